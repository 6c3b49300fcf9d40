/**
 * A Worker project's Durable Objects as its supervisor serves them: the stubs' `fetch` and RPC calls
 * that reach it through the ObjectBridge (app-runtime/objects.ts has the app's side). Each call names its
 * object (checked, and admitted within the project's `objects` limit by objects.ts), enters the app's
 * swap gate (as part of the request that made it, when that request is still inside: app-host.ts),
 * runs on the object's facet, and leaves a request line naming the object with what it logged.
 * What fails before or in the object reaches the app's code as an exception from the stub, as on
 * Cloudflare: an RPC error, or a fetch whose answer carries OBJECT_ERROR_HEADER.
 */
import type { NewLogEntry } from "../../../shared/logs";
import {
  ASSETS_HEADER,
  CALL_HEADER,
  CALL_METHOD,
  checkCallOutcome,
  HEADER_MAX_LINES,
  OBJECT_ERROR_HEADER,
  OBJECT_HEADER,
  OBJECT_URL_HEADER,
  type ObjectRef,
} from "../../app-runtime/protocol";
import { DRAFT_CALL_HEADER } from "../../internal";
import { appLogEntries, isThrownReport, linesOnResponse, readThrownReport } from "../app-host/app-channel";
import type { AppHost } from "../app-host/app-host";
import { forClient } from "../app-host/app-responses";
import { serveAsset } from "../app-host/assets";
import type { ThrownError } from "../app-host/errors";
import { objectLabel } from "./objects";

/** Errors whose type survives an RPC call on Cloudflare; any other arrives as an Error. */
const ERROR_TYPES: Record<string, ErrorConstructor> = {
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

const MAX_METHOD_NAME = 200;

export class ObjectCalls {
  #host: AppHost;

  constructor(host: AppHost) {
    this.#host = host;
  }

  #classes(): string[] {
    return [...new Set(this.#host.source.config()?.bindings.map((b) => b.className) ?? [])];
  }

  /** A request from the bridge: a stub's fetch, or the assets binding's. */
  async fetch(request: Request): Promise<Response> {
    const host = this.#host;
    const refusal = host.source.refusal();
    if (refusal) return objectError((await refusal.text()).trim());
    const config = host.source.config();
    if (!config) return objectError("This project has no Durable Object namespaces (it has no wrangler.jsonc)");
    const assetUrl = request.headers.get(ASSETS_HEADER);
    if (assetUrl !== null) {
      const answer = config.assets
        ? serveAsset(host.source.files(), config.assets, new Request(assetUrl, request))
        : null;
      return answer ?? new Response("Not Found", { status: 404 });
    }
    let raw: unknown = null;
    try {
      raw = JSON.parse(request.headers.get(OBJECT_HEADER) ?? "null");
    } catch {
      // Reported below as not a reference.
    }
    const admitted = await host.objects.admit(raw, this.#classes());
    if (!admitted.ok) return objectError(admitted.message);
    const { ref } = admitted;
    const url = request.headers.get(OBJECT_URL_HEADER) ?? "http://object/";
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return objectError(`Invalid URL: ${url.slice(0, 200)}`);
    }
    const headers = new Headers(request.headers);
    for (const name of [OBJECT_HEADER, OBJECT_URL_HEADER, DRAFT_CALL_HEADER]) headers.delete(name);
    const method = request.method;
    const forwarded = new Request(target, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" ? null : request.body,
      redirect: "manual",
    });
    const path = target.pathname + target.search;
    const label = objectLabel(ref);
    const call = request.headers.get(CALL_HEADER);
    let pass: Awaited<ReturnType<AppHost["enter"]>>;
    try {
      pass = await host.enter(`${label} ${method} ${path}`, call);
    } catch (error) {
      return objectError(String(error instanceof Error ? error.message : error));
    }
    let handedOff = false;
    try {
      const { version } = host.source.marks();
      const started = Date.now();
      const line = (status: number, outcome: string): NewLogEntry => ({
        kind: "request",
        at: started,
        version,
        object: label,
        method,
        path,
        status,
        durationMs: Date.now() - started,
        outcome,
      });
      let response: Response;
      try {
        response = await host.facet(ref).fetch(forwarded);
      } catch (error) {
        const thrown = { name: "Error", message: String(error instanceof Error ? error.message : error), stack: "" };
        this.#failed(ref, [line(500, "exception")], thrown, started);
        return objectError(thrown.message);
      }
      // The wrapper's marks carry this load's secret; a header without it is the app's own.
      const secret = await host.channel();
      if (isThrownReport(response, secret)) {
        const thrown = await readThrownReport(response);
        const lines = (appLogEntries(thrown.logs, version, HEADER_MAX_LINES) ?? []).map((e) => ({
          ...e,
          object: label,
        }));
        this.#failed(ref, [line(500, "exception"), ...lines], { ...thrown, stack: thrown.stack ?? "" }, started);
        return objectError(`${thrown.name}: ${thrown.message}`);
      }
      host.log([
        line(response.status, "ok"),
        ...(appLogEntries(linesOnResponse(response, secret), version, HEADER_MAX_LINES) ?? []).map((e) => ({
          ...e,
          object: label,
        })),
      ]);
      host.objects.touch(ref.id, { status: response.status, durationMs: Date.now() - started, threw: false });
      if (response.webSocket) host.holdsSockets(ref);
      handedOff = true;
      return forClient(withoutErrorHeader(response), host.source.header(), pass);
    } finally {
      if (!handedOff) pass.release();
    }
  }

  /** A stub's RPC call: `method(...args)` on the object `raw` names, as part of the request `call` names. */
  async call(raw: unknown, method: unknown, args: unknown, call: unknown): Promise<unknown> {
    const host = this.#host;
    const refusal = host.source.refusal();
    if (refusal) throw new Error((await refusal.text()).trim());
    if (typeof method !== "string" || method.length === 0 || method.length > MAX_METHOD_NAME) {
      throw new TypeError("An RPC method's name is a string");
    }
    if (!Array.isArray(args)) throw new TypeError("RPC arguments are a list");
    const admitted = await host.objects.admit(raw, this.#classes());
    if (!admitted.ok) throw new Error(admitted.message);
    const { ref } = admitted;
    const label = objectLabel(ref);
    const callId = typeof call === "string" ? call : null;
    const pass = await host.enter(`${label} ${method}()`, callId);
    try {
      const { version } = host.source.marks();
      const started = Date.now();
      const line = (outcome: string): NewLogEntry => ({
        kind: "request",
        at: started,
        version,
        object: label,
        method: "RPC",
        path: `${method}()`,
        status: null,
        durationMs: Date.now() - started,
        outcome,
      });
      let answer: unknown;
      try {
        answer = await host.facet(ref)[CALL_METHOD](method, args, callId);
      } catch (error) {
        const message = String(error instanceof Error ? error.message : error);
        this.#failed(ref, [line("exception")], { name: "Error", message, stack: "" }, started);
        throw error;
      }
      // What the wrapper's call method answers (app-runtime/app-class.ts), from the app's isolate:
      // checked and cut to size (its lines are checked here too); the value passes as it is, to the
      // app's own code.
      const outcome = checkCallOutcome(answer);
      if (!outcome) throw new Error(`${label} answered ${method}() in a form the supervisor does not read`);
      const lines = (appLogEntries(outcome.lines, version, HEADER_MAX_LINES) ?? []).map((e) => ({
        ...e,
        object: label,
      }));
      if (!outcome.ok) {
        const { name, message, stack } = outcome;
        this.#failed(ref, [line("exception"), ...lines], { name, message, stack }, started);
        const ErrorType = ERROR_TYPES[name] ?? Error;
        throw new ErrorType(message);
      }
      host.log([line("ok"), ...lines]);
      host.objects.touch(ref.id, { status: 200, durationMs: Date.now() - started, threw: false });
      return outcome.value;
    } finally {
      pass.release();
    }
  }

  /** `started`: when the call began. */
  #failed(ref: ObjectRef, lines: NewLogEntry[], thrown: ThrownError, started: number): void {
    const { version } = this.#host.source.marks();
    const object = objectLabel(ref);
    this.#host.log([
      ...lines,
      {
        kind: "exception",
        at: Date.now(),
        version,
        object,
        name: thrown.name,
        message: thrown.message,
        stack: thrown.stack,
      },
    ]);
    this.#host.objects.touch(ref.id, { status: 500, durationMs: Date.now() - started, threw: true });
  }
}

/**
 * The object's own answer, less the header that makes the stub throw: set by the object's code, it
 * would turn its answer into an error the supervisor never raised.
 */
function withoutErrorHeader(response: Response): Response {
  if (!response.headers.has(OBJECT_ERROR_HEADER)) return response;
  const headers = new Headers(response.headers);
  headers.delete(OBJECT_ERROR_HEADER);
  return new Response(response.status === 101 ? null : response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
    webSocket: response.webSocket,
  });
}

/** The answer that makes the app's stub.fetch() throw `message` (app-runtime/objects.ts). */
function objectError(message: string): Response {
  return new Response(message, {
    status: 500,
    headers: { [OBJECT_ERROR_HEADER]: encodeURIComponent(message.slice(0, 2_000)) },
  });
}
