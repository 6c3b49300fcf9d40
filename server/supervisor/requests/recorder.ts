/**
 * Recording what the app's origins serve: the supervisor's fetch hands each admitted request here.
 * The request goes on at once; its body and the response's (a small one of known size read once, a
 * longer or streamed one teed) are gathered beside it, and the row is redacted and written after
 * the response is on its way (ctx.waitUntil), so a visitor never waits for the recording.
 */
import type { LogEntry } from "../../../shared/logs";
import type { NetworkCall } from "../../../shared/network/policy";
import { RECORDED_BODY_BYTES } from "../../../shared/requests";
import { type ObjectRef, pathOf } from "../../app-runtime/protocol";
import { isText } from "../app-host/app-requests";
import { type BodyStart, BodyTap, joined } from "../app-host/body-tap";
import type { RequestObserver } from "../app-host/request-calls";
import type { Outbound } from "../network/outbound";
import { objectLabel } from "../objects/object-reference";
import { credentialValues, redactBytes, redactHeaders, redactText, secretNeedles } from "./redaction";
import type { NewRecord, RequestTable, StoredBody } from "./request-table";
import { SocketTranscript } from "./socket-transcript";

/** How long a streamed body is read for the recording before what arrived is kept. */
const BODY_WAIT_MS = 10_000;
/** Log lines kept with one request. */
const MAX_LINES = 50;
/** Outbound calls kept with one request. */
const MAX_CALLS = 50;

export interface RecorderParts {
  ctx: Pick<DurableObjectState, "waitUntil">;
  table: RequestTable;
  /** The project's secret values, and a key that changes when they do. */
  secrets(): { key: string; values(): string[] };
  /** The network gateway, which tells of the app's outbound calls while a request runs. */
  outbound?: Pick<Outbound, "watch">;
}

type Serve = (request: Request, observe?: RequestObserver) => Promise<Response>;

export class RequestRecorder {
  #parts: RecorderParts;
  #needles: { key: string; values: string[]; needles: string[] } | null = null;

  constructor(parts: RecorderParts) {
    this.#parts = parts;
  }

  /** Serves `request` with `serve`, recording it unless recording is off. */
  async serve(request: Request, target: "live" | "draft", serve: Serve): Promise<Response> {
    if (!this.#parts.table.settings.enabled) return serve(request);
    const at = Date.now();
    const started = performance.now();
    const recording = new Recording(target === "draft");
    const stopWatching = this.#parts.outbound?.watch(recording);
    // A request without a body (most) is sent on as it is, without waiting a turn.
    const { outgoing, body: requestBody } = request.body ? await withRequestBody(request) : withoutBody(request);
    const response = await serve(outgoing, recording);
    // No app answered (the project has no code yet, or the draft's origin no draft): nothing to replay.
    if (response.headers.get("x-app-version") === "none") {
      stopWatching?.();
      return response;
    }
    const durationMs = Math.round(performance.now() - started);
    // Which secrets to redact is read now (a secret changed later must still be redacted); the
    // redaction itself runs when the row is written, only for rows that are kept (request-table.ts).
    const { values: secrets, needles: secretsNeedles } = this.#secrets();
    const row = (req: StoredBody, res: StoredBody): NewRecord => {
      const credentials = credentialValues(request.headers, response.headers);
      const needles = credentials.length > 0 ? secretNeedles([...secrets, ...credentials]) : secretsNeedles;
      const requestHeaders = redactHeaders(request.headers, needles);
      const responseHeaders = redactHeaders(response.headers, needles);
      const { logged: lines, objects, calls } = recording;
      const exception = lines.find((line) => line.kind === "exception");
      return {
        at,
        target,
        version: response.headers.get("x-app-version") ?? "none",
        method: request.method,
        path: redactText(pathOf(request.url), needles),
        status: response.webSocket ? 101 : response.status,
        durationMs,
        exception: exception?.kind === "exception" ? exception.name : null,
        websocket: response.webSocket !== null && response.webSocket !== undefined,
        requestHeaders: requestHeaders.headers,
        request: { ...req, bytes: redactBytes(req.bytes, needles) },
        responseHeaders: responseHeaders.headers,
        response: { ...res, bytes: redactBytes(res.bytes, needles) },
        // The request line holds the query string, and the app may print a secret.
        logs: lines.length > 0 && needles.length > 0 ? JSON.parse(redactText(JSON.stringify(lines), needles)) : lines,
        objects: objects ? [...objects] : [],
        redacted: [...new Set([...requestHeaders.redacted, ...responseHeaders.redacted])],
        ...(calls ? { outbound: outboundCalls(calls, needles) } : {}),
        ...(recording.transcript
          ? { messages: recording.transcript.shown((bytes) => redactBytes(bytes, needles)) }
          : {}),
      };
    };
    const { transcript } = recording;
    if (transcript) {
      // One entry a session: written now, made again with its last messages once it has ended.
      const handle = this.#parts.table.insert(() => row(empty(request.headers), empty(response.headers)));
      transcript.onEnd = () => {
        stopWatching?.();
        this.#parts.table.rewrite(handle);
      };
      return response;
    }
    const tap = recording.body;
    if (tap.tapped && !(requestBody instanceof Promise)) {
      // The usual case: nothing to wait for. The row is made with the next batch, from what the tap
      // holds by then; the outbound calls are watched until the body has passed.
      if (stopWatching) tap.onEnd = stopWatching;
      this.#parts.table.insert(() => row(requestBody, stored(tap.start(), response.headers)));
      return response;
    }
    const { answer, body: responseBody } = tap.tapped
      ? { answer: response, body: null }
      : await withResponseBody(response);
    this.#parts.ctx.waitUntil(
      Promise.all([requestBody, responseBody])
        .finally(stopWatching)
        .then(([req, res]) => this.#parts.table.insert(() => row(req, res ?? stored(tap.start(), response.headers))))
        .catch((error) => console.error("could not record a request:", error)),
    );
    return answer;
  }

  /** What to redact: the project's secrets, as secretNeedles spells them (worked out again when they change). */
  needles(): string[] {
    return this.#secrets().needles;
  }

  #secrets(): { values: string[]; needles: string[] } {
    const { key, values } = this.#parts.secrets();
    if (this.#needles?.key !== key) {
      const current = values();
      this.#needles = { key, values: current, needles: secretNeedles(current) };
    }
    return this.#needles;
  }
}

/**
 * What one request gathers while it runs: its log lines, the objects it called, its outbound calls
 * (the gateway's watcher), and its answer's first bytes (the body tap). One object a request, its
 * methods shared, so recording allocates little per request.
 */
class Recording implements RequestObserver {
  readonly logged: LogEntry[] = [];
  objects: Set<string> | null = null;
  calls: NetworkCall[] | null = null;
  /** The app's streamed answer (its usual one: it leaves the facet without a Content-Length) is kept as it passes to the client. */
  readonly body = new BodyTap(RECORDED_BODY_BYTES);
  /** A WebSocket session's relay, once the app answered with one. */
  transcript: SocketTranscript | null = null;
  readonly #draft: boolean;

  constructor(draft: boolean) {
    this.#draft = draft;
  }

  lines(entries: LogEntry[]): void {
    const { logged } = this;
    if (logged.length < MAX_LINES) logged.push(...entries.slice(0, MAX_LINES - logged.length));
  }

  socket(appSide: WebSocket): WebSocket {
    this.transcript = new SocketTranscript();
    return this.transcript.relay(appSide);
  }

  object(ref: ObjectRef): void {
    this.objects ??= new Set();
    this.objects.add(objectLabel(ref));
  }

  outboundCall(call: NetworkCall, draft: boolean): void {
    if (draft !== this.#draft) return;
    this.calls ??= [];
    if (this.calls.length < MAX_CALLS) this.calls.push(call);
  }
}

/** A tapped body as stored. */
function stored(start: BodyStart, headers: Headers): StoredBody {
  const declared = Number(headers.get("content-length") ?? Number.NaN);
  const size = Number.isInteger(declared)
    ? declared
    : start.cut
      ? Math.max(start.bytes.byteLength, RECORDED_BODY_BYTES + 1)
      : start.bytes.byteLength;
  return { bytes: start.bytes, size, text: isText(headers.get("content-type")) };
}

/** A request's outbound calls as recorded: host and path (the gateway keeps no scheme or query), redacted. */
function outboundCalls(calls: NetworkCall[], needles: string[]): NonNullable<NewRecord["outbound"]> {
  return calls.map((call) => ({
    method: call.method,
    url: redactText(`${call.host}${call.path}`, needles),
    status: call.status,
  }));
}

/**
 * The request to send on, and its body's first bytes: a body of a known size within the bound is read
 * once and sent as those bytes; a longer or streamed one is teed, and the copy read up to the bound.
 */
function withoutBody(request: Request): { outgoing: Request; body: StoredBody } {
  return { outgoing: request, body: empty(request.headers) };
}

async function withRequestBody(
  request: Request,
): Promise<{ outgoing: Request; body: StoredBody | Promise<StoredBody> }> {
  if (!request.body) return withoutBody(request);
  const length = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isInteger(length) && length <= RECORDED_BODY_BYTES) {
    const bytes = new Uint8Array(await request.arrayBuffer());
    const text = isText(request.headers.get("content-type"));
    return { outgoing: new Request(request, { body: bytes }), body: { bytes, size: length, text } };
  }
  const [app, copy] = request.body.tee();
  return { outgoing: new Request(request, { body: app }), body: capture(copy, request.headers) };
}

/**
 * The response to hand on, and its body's first bytes: a body of a known size within the bound is
 * read once and handed on as those bytes (no tee, no stream read twice); a longer or streamed one is
 * teed, and the copy read up to the bound beside the client's.
 */
async function withResponseBody(response: Response): Promise<{ answer: Response; body: Promise<StoredBody> }> {
  if (!response.body || response.webSocket) return { answer: response, body: Promise.resolve(empty(response.headers)) };
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isInteger(length) && length <= RECORDED_BODY_BYTES) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    const text = isText(response.headers.get("content-type"));
    return { answer: new Response(bytes, response), body: Promise.resolve({ bytes, size: length, text }) };
  }
  const [client, copy] = response.body.tee();
  return { answer: new Response(client, response), body: capture(copy, response.headers) };
}

function empty(headers: Headers): StoredBody {
  return { bytes: new Uint8Array(), size: 0, text: isText(headers.get("content-type")) };
}

/** Reads the first bytes of a teed copy of a body, then lets the rest go. */
function capture(stream: ReadableStream<Uint8Array>, headers: Headers): Promise<StoredBody> {
  return kept(readFirst(stream, RECORDED_BODY_BYTES, BODY_WAIT_MS), headers);
}

/** A body as stored, from its first bytes. */
async function kept(start: Promise<BodyStart>, headers: Headers): Promise<StoredBody> {
  const { bytes, cut } = await start;
  const declared = Number(headers.get("content-length") ?? Number.NaN);
  const size = Number.isInteger(declared) ? declared : cut ? RECORDED_BODY_BYTES + 1 : bytes.byteLength;
  return { bytes, size, text: isText(headers.get("content-type")) };
}

/**
 * At most `max` bytes of `stream`, read for at most `waitMs` (a stream that never ends is cancelled
 * then, which ends the pending read); `cut` when there was more or it was still going. One timer a
 * body, not a race per chunk: this runs on every streamed response.
 */
export async function readFirst(stream: ReadableStream<Uint8Array>, max: number, waitMs: number): Promise<BodyStart> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let cut = false;
  const timer = setTimeout(() => {
    cut = true;
    reader.cancel().catch(() => {});
  }, waitMs);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size > max) {
        cut = true;
        break;
      }
    }
  } catch {
    cut = true;
  } finally {
    clearTimeout(timer);
    if (cut) reader.cancel().catch(() => {});
  }
  return { bytes: joined(chunks, Math.min(size, max)), cut };
}
