/**
 * Reads an API request's body, up to `maxBytes`, before any route sees it (`bodyLimit`; the MCP
 * server reads its own with `readBody`).
 *
 * Not hono's bodyLimit: it answers 413 as soon as the limit is passed and leaves the rest of the body
 * unsent, and workerd then closes the connection under a client that is still sending. Only a client
 * that waits for `Expect: 100-continue` (curl) gets the 413; Node's fetch and browsers mostly got a
 * reset connection, and `npm run dev` (Node's fetch in front of workerd) Vite's HTML error page. So an
 * oversized body is read to its end and thrown away before the 413 goes out, up to 100 MB (bounded-body.ts):
 * Cloudflare refuses bodies past 100 MB itself, so nothing larger reaches a deployed worker.
 * Bodies within the limit are read whole, which also means an early answer (401, 404) never leaves
 * a body unread.
 */
import type { MiddlewareHandler } from "hono";
import { readBounded } from "../bounded-body";
import { errorResponse, failure } from "../outcome";

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
export function readBody(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  return readBounded(request.body, maxBytes, "drain");
}
