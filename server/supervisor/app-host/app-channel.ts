/**
 * What the supervisor reads back from an app's isolate, and how it keeps that channel out of the
 * app's reach.
 *
 * The wrapper (app-runtime/app-class.ts) answers the supervisor in the app's own responses and return values: an
 * exception a fetch call threw, as a JSON 500 marked with EXCEPTION_HEADER; a fetch call's console
 * lines in LOGS_HEADER; the probe's report; the SQL console's results; an alarm's outcome. The app's
 * code runs in the same isolate and can set any header and return anything, so:
 * - the marks carry a secret per loaded version (`channelSecret`), derived from a per-project key the
 *   app cannot read and embedded in the wrapper module only; a header without it is the app's own and
 *   is dropped before the response leaves;
 * - every body is read with a byte limit and every value is checked (protocol.ts's checks, or the
 *   shared contract's schema) and cut to size, so a forged or broken report costs at most its limit
 *   and is shown as what it is.
 */
import type { NewLogEntry } from "../../../shared/logs";
import { SqlResult } from "../../../shared/sql";
import {
  type AlarmOutcome,
  EXCEPTION_HEADER,
  HEADER_MAX_CHARS,
  HEADER_MAX_LINES,
  LOGS_HEADER,
  type ThrownReport,
  WHOLE_BODY_HEADER,
} from "../../app-runtime/protocol";
import { checkAlarmOutcome, checkLogLines, checkThrownReport } from "../../app-runtime/protocol-checks";
import { concatBytes } from "../../bounded-body";

/** Largest exception report read (its stack, message and up to 50 lines of output). */
const THROWN_MAX_BYTES = 256 * 1024;
/** Longest log header accepted (the wrapper keeps its lines under HEADER_MAX_CHARS characters). */
const LOGS_HEADER_MAX_CHARS = HEADER_MAX_CHARS * 4 + 4096;

/**
 * Lines an app sent (through the bridge, on a response, in a probe's answer or an exception), as log
 * entries of `version`; null if malformed or more than `maxLines`.
 */
export function appLogEntries(lines: unknown, version: number | null, maxLines = Infinity): NewLogEntry[] | null {
  const checked = checkLogLines(lines, maxLines);
  return checked === null ? null : checked.map((line) => ({ ...line, version }));
}

/**
 * An alarm handler's outcome, checked by protocol.ts; `lines`: what it logged (checked where they are
 * logged, app-alarms.ts). `safeParse` answers as a schema would.
 */
export const AlarmOutcomeReport = {
  safeParse(value: unknown): { success: true; data: AlarmOutcome } | { success: false } {
    const data = checkAlarmOutcome(value);
    return data === null ? { success: false } : { success: true, data };
  },
};

/**
 * The SQL console's result as the wrapper computes it: the shared contract, with its sizes checked
 * (the rows are the app's; the wrapper cuts them at `maxRows` and blobs at 32 bytes of hex).
 */
export function sqlResultReport(value: unknown, maxRows: number): SqlResult | null {
  // A REAL can be Infinity or NaN, which JSON carries as null anyway (and the schema's numbers refuse).
  const rows = (value as { rows?: unknown } | null)?.rows;
  const finite = Array.isArray(rows)
    ? {
        ...(value as object),
        rows: rows.map((row) =>
          Array.isArray(row) ? row.map((v) => (typeof v === "number" && !Number.isFinite(v) ? null : v)) : row,
        ),
      }
    : value;
  const parsed = SqlResult.safeParse(finite);
  if (!parsed.success || parsed.data.rows.length > maxRows) return null;
  const blobTooLong = parsed.data.rows.some((row) =>
    row.some((v) => v !== null && typeof v === "object" && v.blob.length > 64),
  );
  return blobTooLong ? null : parsed.data;
}

/** The secret that marks the wrapper's reports for one loaded version: 128 bits from the project's key. */
export async function channelSecret(projectKey: string, loaderKey: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${projectKey}\n${loaderKey}`));
  return Array.from(new Uint8Array(digest).subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Equal strings, compared in time that does not depend on where they differ. */
function sameSecret(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Whether the wrapper made this response from an exception (its mark carries the secret). */
export function isThrownReport(response: Response, secret: string): boolean {
  const mark = response.headers.get(EXCEPTION_HEADER);
  return mark !== null && sameSecret(mark, secret);
}

/**
 * The body of a response the wrapper marked as given whole (app-runtime/whole-bodies.ts), read in one
 * go (the wrapper marks bodies of at most WHOLE_BODY_MAX_BYTES only); null when it is not marked (a
 * stream, or the mark is the app's own).
 */
export async function wholeBody(response: Response, secret: string): Promise<Uint8Array | null> {
  const mark = response.headers.get(WHOLE_BODY_HEADER);
  if (mark === null || response.webSocket || !response.body || !sameSecret(mark, secret)) return null;
  return new Uint8Array(await response.arrayBuffer());
}

/** The console lines the wrapper put on a response; none when the header is missing, forged or malformed. */
export function linesOnResponse(response: Response, secret: string): unknown[] {
  const header = response.headers.get(LOGS_HEADER);
  if (!header || header.length > LOGS_HEADER_MAX_CHARS) return [];
  const dot = header.indexOf(".");
  if (dot < 0 || !sameSecret(header.slice(0, dot), secret)) return [];
  try {
    const lines: unknown = JSON.parse(decodeURIComponent(header.slice(dot + 1)));
    return Array.isArray(lines) && lines.length <= HEADER_MAX_LINES ? lines : [];
  } catch {
    return [];
  }
}

/** Headers of the app's response without the channel's (the app may have set them itself). */
export function withoutChannelHeaders(headers: Headers): Headers {
  headers.delete(LOGS_HEADER);
  headers.delete(EXCEPTION_HEADER);
  headers.delete(WHOLE_BODY_HEADER);
  return headers;
}

/** The report in an exception response, or a stand-in that says it could not be read. */
export async function readThrownReport(response: Response): Promise<ThrownReport> {
  const report = checkThrownReport(await readJsonBounded(response, THROWN_MAX_BYTES));
  if (report) return report;
  return {
    name: "Error",
    message: "The app threw, but what it threw could not be read (too large, or not what the wrapper sends)",
  };
}

/** The body as JSON if it is at most `maxBytes` long and parses; undefined otherwise (the rest is not read). */
export async function readJsonBounded(response: Response, maxBytes: number): Promise<unknown> {
  const text = await readTextBounded(response.body, maxBytes);
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A stream as text if it is at most `maxBytes` long; null (and the stream cancelled) if longer. */
export async function readTextBounded(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<string | null> {
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel("too large").catch(() => {});
        return null;
      }
      chunks.push(value);
    }
  } catch {
    return null;
  }
  return new TextDecoder().decode(concatBytes(chunks));
}

/** `promise`, or `fallback()` if it has not settled after `ms` (the app's code may never answer). */
export async function within<T>(promise: Promise<T>, ms: number, fallback: () => T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(fallback());
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
