/**
 * Requests an API client (an agent, mostly) sends to the app through the supervisor: the request is
 * built as the app's own origin would receive it and runs as a visitor's does (same rate limit, same
 * swap gate, same log lines in the terminal, counted alike); the answer comes back as data, with the
 * body read up to a bound (a streamed body may never end), the lines this request logged and, for a
 * Worker project, the objects it called.
 */
import {
  type AppRequest,
  type AppResponse,
  LIMITS,
  MAX_FOLLOWED_REDIRECTS,
  type ServedObject,
} from "../../../shared/api";
import type { LogEntry } from "../../../shared/logs";
import { failure, type Outcome, success } from "../../outcome";
import type { RequestObserver } from "./request-calls";

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

/** Runs a request on the app as a visitor's would be (admitted by the rate limit first); `observe` watches it. */
export type Visit = (request: Request, observe: RequestObserver) => Promise<Response>;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Runs `request` with `visit` on the app at `origin` and reads what it answered. A 3xx is the answer
 * unless `redirect` is "follow": then a redirect to the app's own origin is followed as a browser
 * would (each hop a visit of its own, 303 and a POST's 301 and 302 as GET), one elsewhere is not.
 */
export async function sendToApp(origin: string, request: AppRequest, visit: Visit): Promise<Outcome<AppResponse>> {
  const problem = appRequestProblem(request);
  if (problem) return failure("bad_request", problem);
  const base = new URL(origin).origin;
  let outgoing: Request;
  try {
    // Appended to the origin, not resolved against it: "//elsewhere/x" stays a path on the app's origin.
    outgoing = build(`${base}${request.path}`, request.method ?? "GET", request);
  } catch (error) {
    return failure("bad_request", `The request cannot be built: ${(error as Error).message}`);
  }
  const logs: LogEntry[] = [];
  const objects = new Map<string, ServedObject>();
  const observer: RequestObserver = {
    lines: (entries) => logs.push(...entries),
    object: (ref) => {
      if (!objects.has(ref.id)) objects.set(ref.id, { class: ref.class, name: ref.name, id: ref.id });
    },
  };
  const redirects: { status: number; location: string }[] = [];
  let redirectNote: string | undefined;
  const started = performance.now();
  let response = await visit(outgoing, observer);
  while (request.redirect === "follow" && REDIRECT_STATUSES.has(response.status)) {
    const location = response.headers.get("location");
    const next = location === null ? null : sameOrigin(location, outgoing.url, base);
    if (next === null) {
      redirectNote = `Not followed: the Location is not on the app's origin (${base})`;
      break;
    }
    if (redirects.length === MAX_FOLLOWED_REDIRECTS) {
      redirectNote = `Stopped after following ${MAX_FOLLOWED_REDIRECTS} redirects; this is the next one`;
      break;
    }
    await response.body?.cancel();
    redirects.push({ status: response.status, location: location ?? "" });
    const asGet =
      response.status === 303 || ((response.status === 301 || response.status === 302) && outgoing.method === "POST");
    outgoing = build(next, asGet ? "GET" : outgoing.method, asGet ? { headers: request.headers } : request);
    response = await visit(outgoing, observer);
  }
  const body = await readBounded(response, LIMITS.appResponseBodyBytes, LIMITS.appResponseBodyWaitMs);
  const version = Number(response.headers.get("x-app-version"));
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) headers[name] = value;
  const text = isText(response.headers.get("content-type"));
  const note = [body.note, redirectNote].filter((n) => n !== undefined).join(". ");
  return success({
    status: response.status,
    headers,
    body: text ? new TextDecoder().decode(body.bytes) : base64(body.bytes),
    bodyEncoding: text ? "text" : "base64",
    truncated: body.note !== undefined,
    ...(note ? { note } : {}),
    version: Number.isInteger(version) && version > 0 ? version : null,
    durationMs: Math.round(performance.now() - started),
    logs,
    ...(objects.size > 0 ? { objects: [...objects.values()] } : {}),
    ...(redirects.length > 0 ? { redirects } : {}),
  });
}

/** The request to send; "manual": the app's 3xx is its answer (with its Location), as a browser's request with redirect "manual" gets. */
function build(url: string, method: string, { headers, body }: Pick<AppRequest, "headers" | "body">): Request {
  return new Request(url, { method, headers, body, redirect: "manual" });
}

/** Where `location` (relative to `from`) leads when that is on the app's origin `base`; null elsewhere. */
function sameOrigin(location: string, from: string, base: string): string | null {
  try {
    const target = new URL(location, from);
    return target.origin === base ? target.href : null;
  } catch {
    return null;
  }
}

/** Reads at most `maxBytes` of the body, for at most `waitMs`; says why it stopped early, if it did. */
export async function readBounded(
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

export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
