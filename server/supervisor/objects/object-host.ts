/**
 * A Worker project's Durable Objects as its supervisor serves them: the stubs' `fetch` and RPC calls
 * that reach it through the ObjectBridge (app-runtime/objects/objects.ts has the app's side). Each call names its
 * object (checked, and admitted within the project's `objects` limit by objects.ts), enters the app's
 * swap gate (as part of the request that made it, when that request is still inside:
 * app-host/request-calls.ts), runs on the object's facet, and leaves a request line naming the
 * object with what it logged.
 * What fails before or in the object reaches the app's code as an exception from the stub, as on
 * Cloudflare: an RPC error, or a fetch whose answer carries OBJECT_ERROR_HEADER. Each call is
 * counted in the objects list and, for the live app, on the object's meter.
 *
 * It reaches the app host and the registry through narrow interfaces (ObjectHost, CalledObjects),
 * given at construction: the live app's or the draft's. Tables: none (objects' are object-table.ts's
 * and object-alarms.ts's).
 */
import type { LogEntry, NewLogEntry } from "../../../shared/logs";
import {
  ASSETS_HEADER,
  CALL_HEADER,
  CALL_METHOD,
  HEADER_MAX_LINES,
  OBJECT_CF_HEADER,
  OBJECT_HEADER,
  OBJECT_URL_HEADER,
  type ObjectRef,
} from "../../app-runtime/protocol";
import { checkCallOutcome } from "../../app-runtime/protocol-checks";
import { DRAFT_CALL_HEADER } from "../../internal";
import { appLogEntries, isThrownReport, linesOnResponse, readThrownReport } from "../app-host/app-channel";
import { forClient } from "../app-host/app-responses";
import { type AppSource, versionHeader } from "../app-host/app-source";
import type { AppStub } from "../app-host/app-stub";
import { serveAsset } from "../app-host/assets";
import { projectStack, type ThrownError, thrownError } from "../app-host/errors";
import type { RequestObserver } from "../app-host/request-calls";
import type { GatePass } from "../versions/swap-gate";
import { ERROR_TYPES, objectError, withoutErrorHeader } from "./object-answers";
import { objectLabel } from "./object-reference";
import type { ObjectCall } from "./objects";

/** The app host the objects run in, as the calls need it (AppHost, the live app's or the draft's). */
export interface ObjectHost {
  readonly source: Pick<AppSource, "refusal" | "config" | "files" | "marks">;
  /** Enters the app's swap gate, as part of the request `call` names while it is inside. */
  enter(label: string, call: string | null): Promise<GatePass>;
  facet(ref: ObjectRef): AppStub;
  /** The secret of the code the facets run (app-channel.ts). */
  channel(): Promise<string>;
  log(entries: NewLogEntry[]): LogEntry[];
  /** Who watches the request `call` names (request_app), told of its calls to objects and their lines. */
  observer(call: string | null): RequestObserver | undefined;
  holdsSockets(ref: ObjectRef): void;
}

/** The objects registry, as the calls need it (objects.ts). */
export interface CalledObjects {
  admit(
    raw: unknown,
    classes: readonly string[],
  ): Promise<{ ok: true; ref: ObjectRef } | { ok: false; message: string }>;
  touch(id: string, call: ObjectCall | null): void;
}

const MAX_METHOD_NAME = 200;

/** The `cf` a stub's request carried (OBJECT_CF_HEADER): an object, or null for none or a malformed one. */
function cfOf(header: string | null): CfProperties | null {
  if (header === null) return null;
  try {
    const value: unknown = JSON.parse(decodeURIComponent(header));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as CfProperties) : null;
  } catch {
    return null;
  }
}

export class ObjectCalls {
  #host: ObjectHost;
  #objects: CalledObjects;
  #onCall: ((id: string, call: ObjectCall) => void) | null;

  /** `onCall`: told of each call to an object (the live app's meter; the draft is not metered). */
  constructor(host: ObjectHost, objects: CalledObjects, onCall: ((id: string, call: ObjectCall) => void) | null) {
    this.#host = host;
    this.#objects = objects;
    this.#onCall = onCall;
  }

  /** Counts a call in the object's row, and tells the meter. */
  #counted(id: string, call: ObjectCall): void {
    this.#objects.touch(id, call);
    this.#onCall?.(id, call);
  }

  #classes(): string[] {
    return this.#host.source.config()?.classes ?? [];
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
    const admitted = await this.#objects.admit(raw, this.#classes());
    if (!admitted.ok) return objectError(admitted.message);
    const { ref } = admitted;
    const url = request.headers.get(OBJECT_URL_HEADER) ?? "http://object/";
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return objectError(`Invalid URL: ${url.slice(0, 200)}`);
    }
    const cf = cfOf(request.headers.get(OBJECT_CF_HEADER));
    const headers = new Headers(request.headers);
    for (const name of [OBJECT_HEADER, OBJECT_URL_HEADER, OBJECT_CF_HEADER, DRAFT_CALL_HEADER]) headers.delete(name);
    const method = request.method;
    const forwarded = new Request(target, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" ? null : request.body,
      redirect: "manual",
      // As the Worker's Request had it (none: the object's request.cf is undefined, as on Cloudflare).
      ...(cf ? { cf } : {}),
    });
    const path = target.pathname + target.search;
    const label = objectLabel(ref);
    const call = request.headers.get(CALL_HEADER);
    const observer = host.observer(call);
    observer?.object?.(ref);
    let pass: GatePass;
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
        // A constructor's error carries the app's frames in its message (app-host/errors.ts).
        const thrown = thrownError(error);
        this.#failed(ref, [line(500, "exception")], thrown, started, observer);
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
        const error = { ...thrown, stack: thrown.stack ?? "" };
        this.#failed(ref, [line(500, "exception"), ...lines], error, started, observer);
        // As on Cloudflare: the stub throws the object's error type with its message.
        return Object.hasOwn(ERROR_TYPES, thrown.name)
          ? objectError(thrown.message, thrown.name)
          : objectError(`${thrown.name}: ${thrown.message}`);
      }
      const stored = host.log([
        line(response.status, "ok"),
        ...(appLogEntries(linesOnResponse(response, secret), version, HEADER_MAX_LINES) ?? []).map((e) => ({
          ...e,
          object: label,
        })),
      ]);
      observer?.lines(stored);
      this.#counted(ref.id, { status: response.status, durationMs: Date.now() - started, threw: false });
      if (response.webSocket) host.holdsSockets(ref);
      handedOff = true;
      return forClient(withoutErrorHeader(response), versionHeader(host.source.marks()), pass);
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
    const admitted = await this.#objects.admit(raw, this.#classes());
    if (!admitted.ok) throw new Error(admitted.message);
    const { ref } = admitted;
    const label = objectLabel(ref);
    const callId = typeof call === "string" ? call : null;
    const observer = host.observer(callId);
    observer?.object?.(ref);
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
        this.#failed(ref, [line("exception")], thrownError(error), started, observer);
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
        this.#failed(ref, [line("exception"), ...lines], { name, message, stack }, started, observer);
        const ErrorType = ERROR_TYPES[name] ?? Error;
        throw new ErrorType(message);
      }
      // Logged first and then handed on: inside `observer?.lines(...)` the log call would run only when
      // someone observes the request, and a visitor's RPC calls would never reach the terminal.
      const stored = host.log([line("ok"), ...lines]);
      observer?.lines(stored);
      this.#counted(ref.id, { status: 200, durationMs: Date.now() - started, threw: false });
      return outcome.value;
    } finally {
      pass.release();
    }
  }

  /** `started`: when the call began; `observer`: the request's that made the call, if it is watched. */
  #failed(
    ref: ObjectRef,
    lines: NewLogEntry[],
    thrown: ThrownError,
    started: number,
    observer: RequestObserver | undefined,
  ): void {
    const { version } = this.#host.source.marks();
    const object = objectLabel(ref);
    const stored = this.#host.log([
      ...lines,
      {
        kind: "exception",
        at: Date.now(),
        version,
        object,
        name: thrown.name,
        message: thrown.message,
        stack: projectStack(thrown.stack, Object.keys(this.#host.source.files())),
      },
    ]);
    observer?.lines(stored);
    this.#counted(ref.id, { status: 500, durationMs: Date.now() - started, threw: true });
  }
}
