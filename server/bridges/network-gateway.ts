/**
 * The project's gateway: every loaded app's `globalOutbound` (the supervisor's loader.ts), so each
 * `fetch()` and WebSocket the app's code opens (its Worker, its objects, the draft) arrives here
 * instead of at the network, as Cloudflare documents for Dynamic Workers' egress control. Its props fix
 * the project: an app cannot pass for another. The project's supervisor decides under its network
 * policy (network/outbound.ts) whether the call goes and which headers to inject (secrets the app's
 * code never sees); this entrypoint sends it, bounded by the policy's timeout and response size, and
 * reports what came of it.
 *
 * A redirect goes back to the app's runtime as it is: when the app's fetch follows it, the next hop
 * comes through here again and is judged (and given headers) for its own host, so a redirect never
 * reaches an unlisted host and never carries one host's injected headers to another.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { messageOf } from "../../shared/errors";
import type { NetworkCall } from "../../shared/network/policy";
import { supervisorFor } from "../supervisor-stub";
import { ideHosts } from "./ide-origins";

/** Headers of the app's request that are the connection's, not the app's to choose. */
const DROPPED_HEADERS = ["host", "cf-connecting-ip", "cf-worker", "x-forwarded-for", "x-real-ip"];

export class Gateway extends WorkerEntrypoint<Env, GatewayProps> {
  override async fetch(request: Request): Promise<Response> {
    const { projectId, draft = false } = this.ctx.props;
    const supervisor = supervisorFor(this.env, projectId);
    const url = new URL(request.url);
    const plan = await supervisor.networkPlan(request.url, request.method, ideHosts(), draft);
    if (!plan.ok) throw new Error(plan.message);

    const headers = new Headers(request.headers);
    for (const name of DROPPED_HEADERS) headers.delete(name);
    for (const [name, value] of Object.entries(plan.headers)) headers.set(name, value);
    const call: Omit<NetworkCall, "status" | "ms" | "bytes"> = {
      at: Date.now(),
      method: request.method,
      host: url.host,
      path: url.pathname,
    };
    const report = (status: number | null, bytes: number, error?: string) => {
      const done: NetworkCall = { ...call, status, ms: Date.now() - call.at, bytes, ...(error ? { error } : {}) };
      this.ctx.waitUntil(supervisor.networkDone(done, draft, plan.id));
    };

    const timeout = AbortSignal.timeout(plan.timeoutMs);
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers,
        body: request.body,
        redirect: "manual",
        signal: timeout,
      });
    } catch (error) {
      const message = timeout.aborted
        ? `Network call to ${url.host} timed out after ${plan.timeoutMs} ms (the network policy's timeoutMs)`
        : `Network call to ${url.host} failed: ${messageOf(error)}`;
      report(null, 0, message);
      throw new Error(message);
    }
    if (response.webSocket || !response.body) {
      report(response.status, 0);
      return response;
    }
    const declared = Number(response.headers.get("content-length") ?? "0");
    if (declared > plan.maxResponseBytes) {
      await response.body.cancel();
      const message = tooLarge(url.host, plan.maxResponseBytes);
      report(response.status, 0, message);
      throw new Error(message);
    }
    return new Response(counted(response.body, plan.maxResponseBytes, url.host, report, response.status), response);
  }

  override connect(): never {
    throw new Error(NO_SOCKETS);
  }
}

/** Why an app's connect() fails: the policy speaks HTTP (hosts, headers), so raw sockets never go out. */
export const NO_SOCKETS =
  "Raw TCP sockets (connect()) are not available to apps: only fetch() and WebSockets go out, through the project's network policy";

function tooLarge(host: string, max: number): string {
  return `The response from ${host} is larger than ${max} bytes (the network policy's maxResponseBytes)`;
}

/** `body` passed on as it is read, failing past `max` bytes; `report` is called once, when it ends. */
function counted(
  body: ReadableStream<Uint8Array>,
  max: number,
  host: string,
  report: (status: number | null, bytes: number, error?: string) => void,
  status: number,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let bytes = 0;
  let reported = false;
  const finish = (error?: string) => {
    if (reported) return;
    reported = true;
    report(status, bytes, error);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        finish(`the body failed while read: ${messageOf(error)}`);
        throw error;
      }
      if (chunk.done) {
        finish();
        controller.close();
        return;
      }
      bytes += chunk.value.byteLength;
      if (bytes > max) {
        const message = tooLarge(host, max);
        finish(message);
        controller.error(new Error(message));
        await reader.cancel(message);
        return;
      }
      controller.enqueue(chunk.value);
    },
    async cancel(reason) {
      finish("the app stopped reading the body");
      await reader.cancel(reason);
    },
  });
}
