/**
 * A response body passed on to the client while its first bytes are kept for the request recording
 * (requests/recorder.ts): one read of each chunk, written on to the client's stream, instead of a
 * pipe and then a tee whose copy is read again. Chunks are kept as they came (no copy) until the
 * bound; past it nothing more is kept, and the rest only passes through.
 */

/** The first bytes of a body as the recording keeps them; `cut` when there was more or it was still going. */
export interface BodyStart {
  bytes: Uint8Array;
  cut: boolean;
}

export interface BodyTap {
  /** Bytes kept at most. */
  max: number;
  /** How long the recording waits for a streamed body before keeping what arrived. */
  waitMs: number;
  /** Told the body's first bytes once the body ended, passed the bound, or waitMs ran out. */
  kept(start: Promise<BodyStart>): void;
}

/**
 * Streams `body` into `writable` (an IdentityTransformStream's) and hands `tap` its first bytes.
 * `done` runs once the body has ended, failed or been cut; `signal` cuts it (a swap's deadline).
 */
export function pumpWithTap(
  body: ReadableStream<Uint8Array>,
  writable: WritableStream<Uint8Array>,
  tap: BodyTap,
  signal: AbortSignal,
  done: () => void,
): void {
  const reader = body.getReader();
  const writer = writable.getWriter();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let settle: ((start: BodyStart) => void) | null = null;
  tap.kept(
    new Promise<BodyStart>((resolve) => {
      settle = resolve;
    }),
  );
  const keep = (cut: boolean) => {
    if (!settle) return;
    const resolve = settle;
    settle = null;
    clearTimeout(timer);
    resolve({ bytes: joined(chunks, Math.min(size, tap.max)), cut });
  };
  // A stream that goes on (server-sent events) is recorded with what arrived by then.
  const timer = setTimeout(() => keep(true), tap.waitMs);
  const cut = () => {
    const reason: unknown = signal.reason;
    reader.cancel(reason).catch(() => {});
    writer.abort(reason).catch(() => {});
  };
  signal.addEventListener("abort", cut, { once: true });
  const pump = async () => {
    for (;;) {
      const { done: ended, value } = await reader.read();
      if (ended) break;
      if (settle) {
        chunks.push(value);
        size += value.byteLength;
        if (size > tap.max) keep(true);
      }
      await writer.write(value);
    }
    keep(false);
    await writer.close();
  };
  pump()
    .catch((error: unknown) => {
      keep(true);
      reader.cancel(error).catch(() => {});
      writer.abort(error).catch(() => {});
    })
    .finally(() => {
      signal.removeEventListener("abort", cut);
      done();
    });
}

/** The first `length` bytes of `chunks`: the one chunk itself when it holds them all. */
export function joined(chunks: Uint8Array[], length: number): Uint8Array {
  const only = chunks[0];
  if (chunks.length === 1 && only && only.byteLength === length) return only;
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    if (offset >= length) break;
    const part = chunk.subarray(0, length - offset);
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}
