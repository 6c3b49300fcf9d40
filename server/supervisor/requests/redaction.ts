/**
 * Redaction before a request is stored: the values of credential headers, and the values of the
 * project's secrets wherever they appear (a header, the query string, a body, raw or URL-encoded).
 * Pure: the recorder gives it the secrets' values.
 */
import { REDACTED } from "../../../shared/requests";

/** Headers whose values are credentials whatever they hold. */
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie"]);

/** Secrets shorter than this are not searched for: redacting every "1" or "on" would leave nothing to read. */
export const MIN_SECRET_LENGTH = 4;

const encoder = new TextEncoder();
const REDACTED_BYTES = encoder.encode(REDACTED);

/** The strings to redact for these secret values: each as it is, as a URL and as JSON encode it, longest first. */
export function secretNeedles(values: Iterable<string>): string[] {
  const needles = new Set<string>();
  for (const value of values) {
    if (value.length < MIN_SECRET_LENGTH) continue;
    needles.add(value);
    needles.add(encodeURIComponent(value));
    needles.add(new URLSearchParams({ v: value }).toString().slice(2));
    needles.add(JSON.stringify(value).slice(1, -1));
  }
  return [...needles].sort((a, b) => b.length - a.length);
}

/**
 * The credentials a request or its response carries in their own headers (a bearer token, cookie
 * values), to redact wherever else they appear in the same record: an app that echoes one back.
 */
export function credentialValues(...headerSets: Iterable<[string, string]>[]): string[] {
  const values: string[] = [];
  for (const headers of headerSets) {
    for (const [name, value] of headers) {
      const key = name.toLowerCase();
      if (key === "authorization" || key === "proxy-authorization") {
        values.push(value, value.slice(value.indexOf(" ") + 1));
      } else if (key === "cookie" || key === "set-cookie") {
        const pairs = key === "cookie" ? value.split(";") : [value.split(";")[0] ?? ""];
        for (const pair of pairs) values.push(pair.slice(pair.indexOf("=") + 1).trim());
      }
    }
  }
  return values;
}

export function redactText(text: string, needles: readonly string[]): string {
  let out = text;
  for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join(REDACTED);
  return out;
}

/** The headers with credentials and secrets redacted, and the names of those that were. */
export function redactHeaders(
  headers: Iterable<[string, string]>,
  needles: readonly string[],
): { headers: Record<string, string>; redacted: string[] } {
  const out: Record<string, string> = {};
  const redacted: string[] = [];
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const clean = CREDENTIAL_HEADERS.has(key) ? REDACTED : redactText(value, needles);
    if (clean !== value) redacted.push(key);
    out[key] = out[key] === undefined ? clean : `${out[key]}, ${clean}`;
  }
  return { headers: out, redacted };
}

/** `bytes` with every occurrence of a needle's UTF-8 bytes replaced (a binary body may hold a secret too). */
export function redactBytes(bytes: Uint8Array, needles: readonly string[]): Uint8Array {
  let out = bytes;
  for (const needle of needles) out = replaceBytes(out, encoder.encode(needle));
  return out;
}

function replaceBytes(bytes: Uint8Array, needle: Uint8Array): Uint8Array {
  const first = needle[0];
  if (first === undefined || bytes.byteLength < needle.byteLength) return bytes;
  const parts: Uint8Array[] = [];
  let from = 0;
  let at = bytes.indexOf(first);
  while (at !== -1 && at + needle.byteLength <= bytes.byteLength) {
    if (startsAt(bytes, needle, at)) {
      parts.push(bytes.subarray(from, at), REDACTED_BYTES);
      from = at + needle.byteLength;
      at = bytes.indexOf(first, from);
    } else {
      at = bytes.indexOf(first, at + 1);
    }
  }
  if (parts.length === 0) return bytes;
  parts.push(bytes.subarray(from));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

function startsAt(bytes: Uint8Array, needle: Uint8Array, at: number): boolean {
  for (let i = 1; i < needle.byteLength; i++) if (bytes[at + i] !== needle[i]) return false;
  return true;
}
