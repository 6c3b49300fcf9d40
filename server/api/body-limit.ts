/**
 * Reads an API request's body, up to `maxBytes`, before any route sees it (`bodyLimit`; the MCP
 * server reads its own with `readBody`).
 *
 * Not hono's bodyLimit: it answers 413 as soon as the limit is passed and leaves the rest of the body
 * unsent, and workerd then closes the connection under a client that is still sending. Only a client
 * that waits for `Expect: 100-continue` (curl) gets the 413; Node's fetch and browsers mostly got a
 * reset connection, and `npm run dev` (Node's fetch in front of workerd) Vite's HTML error page. So an
 * oversized body is read to its end and thrown away before the 413 goes out, up to DRAIN_LIMIT_BYTES:
 * Cloudflare refuses bodies past 100 MB itself, so nothing larger reaches a deployed worker.
 * Bodies within the limit are read whole, which also means an early answer (401, 404) never leaves
 * a body unread.
 */
import type { MiddlewareHandler } from "hono";
import { errorResponse, failure } from "../outcome";

const DRAIN_LIMIT_BYTES = 100 * 1_048_576;

export const bodyLimit =
  (maxBytes: number): MiddlewareHandler =>
  async (c, next) => {
    if (!c.req.raw.body) return next();
    const whole = await readBody(c.req.raw, maxBytes);
    if (!whole) {
      return errorResponse(
        failure("payload_too_large", `Request bodies are limited to ${maxBytes / 1_048_576} MiB (${maxBytes} bytes)`),
      );
    }
    c.req.raw = new Request(c.req.raw, { body: whole });
    return next();
  };

/**
 * A request's whole body (empty when it has none), or null when it is larger than `maxBytes`: then
 * it has been read to its end and thrown away (see above), so the 413 the caller answers arrives.
 */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await drain(reader, size);
      return null;
    }
    chunks.push(value);
  }
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}

/** Reads and discards the rest of a body (see above), or gives up past DRAIN_LIMIT_BYTES. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number): Promise<void> {
  let size = alreadyRead;
  while (size <= DRAIN_LIMIT_BYTES) {
    const { done, value } = await reader.read();
    if (done) return;
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
}
