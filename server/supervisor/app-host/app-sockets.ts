/**
 * WebSockets an API client (an agent, mostly) opens to the app through the supervisor: the upgrade
 * is a visit as a browser's would be (same rate limit, swap gate and request line); once the app
 * accepts it, the supervisor holds the client's end, sends the messages, collects what the app sends
 * within bounds (a count, a time, bytes), closes it, and answers with what it saw. The app's own
 * bounds on a socket (messages a second, its size) apply as they do to any visitor's socket.
 */
import type { WebSocketAppRequest, WebSocketAppResponse } from "../../../shared/app-sockets";
import { SOCKET_APP_LIMITS, type SocketMessage } from "../../../shared/app-sockets";
import type { LogEntry } from "../../../shared/logs";
import { failure, type Outcome, success } from "../../outcome";
import { base64, readBounded, type Visit } from "./app-requests";

/** Bytes of a refusal's body the answer carries. */
const REFUSAL_BODY_BYTES = 4096;
/**
 * How long the answer waits after the socket closed for lines still on their way: what the app
 * prints while handling a socket's messages travels through its log bridge, apart from (and often
 * just after) the messages it sends.
 */
const LATE_LINES_MS = 100;

type Collected = Pick<WebSocketAppResponse, "messages" | "closed" | "stopped">;

/**
 * Opens a socket with `visit` on the app at `origin`, runs `request` on it and answers what came
 * back. `later` gives the lines the same app (live or draft) logged since this call began.
 */
export async function socketToApp(
  origin: string,
  request: WebSocketAppRequest,
  visit: Visit,
  later: () => LogEntry[],
): Promise<Outcome<WebSocketAppResponse>> {
  const headers = new Headers();
  let outgoing: Request;
  try {
    for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
    headers.set("upgrade", "websocket");
    // Appended to the origin, not resolved against it: "//elsewhere/x" stays a path on the app's origin.
    outgoing = new Request(`${new URL(origin).origin}${request.path}`, { headers, redirect: "manual" });
  } catch (error) {
    return failure("bad_request", `The request cannot be built: ${(error as Error).message}`);
  }
  const logs: LogEntry[] = [];
  const started = performance.now();
  const response = await visit(outgoing, { lines: (entries) => logs.push(...entries) });
  const number = Number(response.headers.get("x-app-version"));
  const version = Number.isInteger(number) && number > 0 ? number : null;
  const socket = response.webSocket;
  let collected: Collected;
  let body: string | undefined;
  if (response.status !== 101 || !socket) {
    const read = await readBounded(response, REFUSAL_BODY_BYTES, 1_000);
    body = new TextDecoder().decode(read.bytes);
    collected = { messages: [], closed: null, stopped: "refused" };
  } else {
    collected = await converse(socket, request);
    await new Promise((resolve) => setTimeout(resolve, LATE_LINES_MS));
  }
  const seen = new Set(logs.map((line) => line.seq));
  for (const line of later()) {
    if (!seen.has(line.seq) && (line.kind === "console" || line.kind === "exception")) logs.push(line);
  }
  return success({
    opened: collected.stopped !== "refused",
    status: response.status,
    ...(body !== undefined ? { body } : {}),
    ...collected,
    version,
    durationMs: Math.round(performance.now() - started),
    logs,
  });
}

/** Sends `request.send` on the accepted socket and collects until `expect`, the timeout, a close or a bound. */
function converse(socket: WebSocket, request: WebSocketAppRequest): Promise<Collected> {
  const messages: SocketMessage[] = [];
  const limit = request.expect ?? SOCKET_APP_LIMITS.maxMessages;
  let bytes = 0;
  return new Promise<Collected>((resolve) => {
    let done = false;
    const finish = (stopped: Collected["stopped"], closed: Collected["closed"] = null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (closed === null) {
        try {
          socket.close(1000, "websocket_app is done");
        } catch {
          // Closed meanwhile: nothing to close.
        }
      }
      resolve({ messages, closed, stopped });
    };
    const timer = setTimeout(() => finish("timeout"), request.timeoutMs ?? SOCKET_APP_LIMITS.defaultTimeoutMs);
    socket.addEventListener("message", (event) => {
      if (done) return;
      const message = decode(event.data, SOCKET_APP_LIMITS.maxBytes - bytes);
      bytes += message.bytes;
      messages.push(message.message);
      if (message.message.truncated) finish("bound");
      else if (messages.length >= limit) finish(request.expect === undefined ? "bound" : "expect");
    });
    socket.addEventListener("close", (event) => finish("closed", { code: event.code, reason: event.reason }));
    socket.addEventListener("error", () => finish("closed", { code: 1006, reason: "The connection failed" }));
    socket.accept();
    try {
      for (const text of request.send ?? []) socket.send(text);
    } catch {
      // The app closed the socket before everything was sent: its close event says how.
    }
  });
}

/** A message as the answer holds it, cut to `room` bytes (then `truncated`); `bytes`: what it took. */
function decode(data: unknown, room: number): { message: SocketMessage; bytes: number } {
  if (typeof data === "string") {
    const encoded = new TextEncoder().encode(data);
    if (encoded.byteLength <= room) return { message: { data }, bytes: encoded.byteLength };
    const cut = new TextDecoder().decode(encoded.subarray(0, Math.max(0, room)));
    return { message: { data: cut, truncated: true }, bytes: room };
  }
  const all = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array();
  const kept = all.subarray(0, Math.max(0, room));
  const truncated = kept.byteLength < all.byteLength;
  return { message: { data: base64(kept), binary: true, ...(truncated ? { truncated } : {}) }, bytes: kept.byteLength };
}
