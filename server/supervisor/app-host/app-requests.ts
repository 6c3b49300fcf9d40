/**
 * Requests an API client (an agent, mostly) sends to the app through the supervisor: the request is
 * built as the app's own origin would receive it and runs as any request does (same swap gate, same
 * log lines in the terminal); the answer comes back as data, with the body read up to a bound (a
 * streamed body may never end) and the lines this request logged.
 */
import { type AppRequest, type AppResponse, LIMITS } from "../../../shared/api";
import type { LogEntry } from "../../../shared/logs";
import { failure, type Outcome, success } from "../../outcome";

export function appRequestProblem(request: AppRequest): string | null {
  const method = request.method ?? "GET";
  if (request.body !== undefined && (method === "GET" || method === "HEAD")) {
    return `A ${method} request cannot have a body; use POST, PUT or PATCH`;
  }
  if (Object.keys(request.headers ?? {}).some((name) => name.toLowerCase() === "upgrade")) {
    return "WebSocket upgrades cannot be sent this way; connect to the app's origin instead";
  }
  return null;
}

/** Runs `request` with `serve` on the app at `origin` and reads what it answered. */
export async function sendToApp(
  origin: string,
  request: AppRequest,
  serve: (request: Request, observe: (entries: LogEntry[]) => void) => Promise<Response>,
): Promise<Outcome<AppResponse>> {
  const problem = appRequestProblem(request);
  if (problem) return failure("bad_request", problem);
  let outgoing: Request;
  try {
    // Appended to the origin, not resolved against it: "//elsewhere/x" stays a path on the app's origin.
    outgoing = new Request(`${new URL(origin).origin}${request.path}`, {
      method: request.method ?? "GET",
      headers: request.headers,
      body: request.body,
      // The app's 3xx is its answer (with its Location), as a browser's request with redirect "manual" gets.
      redirect: "manual",
    });
  } catch (error) {
    return failure("bad_request", `The request cannot be built: ${(error as Error).message}`);
  }
  const logs: LogEntry[] = [];
  const started = performance.now();
  const response = await serve(outgoing, (entries) => logs.push(...entries));
  const body = await readBounded(response, LIMITS.appResponseBodyBytes, LIMITS.appResponseBodyWaitMs);
  const version = Number(response.headers.get("x-app-version"));
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) headers[name] = value;
  const text = isText(response.headers.get("content-type"));
  return success({
    status: response.status,
    headers,
    body: text ? new TextDecoder().decode(body.bytes) : base64(body.bytes),
    bodyEncoding: text ? "text" : "base64",
    truncated: body.note !== undefined,
    ...(body.note ? { note: body.note } : {}),
    version: Number.isInteger(version) && version > 0 ? version : null,
    durationMs: Math.round(performance.now() - started),
    logs,
  });
}

/** Reads at most `maxBytes` of the body, for at most `waitMs`; says why it stopped early, if it did. */
async function readBounded(
  response: Response,
  maxBytes: number,
  waitMs: number,
): Promise<{ bytes: Uint8Array; note?: string }> {
  if (!response.body) return { bytes: new Uint8Array() };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let note: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), waitMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), timeout]);
      if (next === "timeout") {
        note = `The body was still streaming after ${waitMs / 1000} s; this is what arrived until then`;
        break;
      }
      if (next.done) break;
      chunks.push(next.value);
      size += next.value.byteLength;
      if (size > maxBytes) {
        note = `The body is longer than ${maxBytes / 1024} KiB and was cut there`;
        break;
      }
    }
  } catch (error) {
    note = `The body failed after ${size} bytes: ${(error as Error).message}`;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (note) await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, maxBytes));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.byteLength - offset);
    bytes.set(part, offset);
    offset += part.byteLength;
    if (offset >= bytes.byteLength) break;
  }
  return note ? { bytes, note } : { bytes };
}

/** Text by its declared type; no type at all is read as text too (most small apps do not set one). */
export function isText(contentType: string | null): boolean {
  if (!contentType) return true;
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return (
    type.startsWith("text/") ||
    /[/+](json|xml|javascript|ecmascript|x-www-form-urlencoded|svg\+xml|graphql|yaml|csv)$/.test(type) ||
    type === "application/x-ndjson"
  );
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
