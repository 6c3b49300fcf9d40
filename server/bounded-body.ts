/**
 * Reading a body whole, up to a size: the API's request bodies (api/body-limit.ts, the MCP server)
 * and the package registry's answers (packages/registry.ts) are read through this one reader, so
 * the limit is counted, and the chunks joined, in one place.
 */

/** Past the limit, what happens to the rest of the body. */
export type PastLimit =
  /** Read to its end and thrown away (up to DRAIN_LIMIT_BYTES), so that the sender gets an answer. */
  | "drain"
  /** Cancelled at once (a response whose sender need not hear back). */
  | "cancel";

/** Cloudflare refuses request bodies past 100 MB itself, so draining stops there. */
const DRAIN_LIMIT_BYTES = 100 * 1_048_576;

/** A body's whole bytes (empty when there is none), or null when it is larger than `maxBytes`. */
export async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  pastLimit: PastLimit,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      if (pastLimit === "drain") await drain(reader, size);
      else await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}

/** The chunks as one array of bytes. */
export function concatBytes(chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(chunks.reduce((n, chunk) => n + chunk.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** Reads and discards the rest of a body, or gives up past DRAIN_LIMIT_BYTES. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number): Promise<void> {
  let size = alreadyRead;
  while (size <= DRAIN_LIMIT_BYTES) {
    const { done, value } = await reader.read();
    if (done) return;
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
}
