/**
 * A response body passed on to the client while its first bytes are kept for the request recording
 * (requests/recorder.ts): one read of each chunk, written on to the client's stream, instead of a
 * pipe and then a tee whose copy is read again. Chunks are kept as they came (no copy) until the
 * bound; past it nothing more is kept, and the rest only passes through. Nothing waits on the tap:
 * the recording reads what it holds when its row is made (a body still streaming then is kept as
 * far as it came, and marked cut).
 */

/** The first bytes of a body as the recording keeps them; `cut` when there was more or it was still going. */
export interface BodyStart {
  bytes: Uint8Array;
  cut: boolean;
}

export class BodyTap {
  readonly max: number;
  /** Whether a body passed through this tap (else the recorder reads the response itself). */
  tapped = false;
  #chunks: Uint8Array[] = [];
  #size = 0;
  #ended = false;
  /** Called once the body has ended, failed or been cut. */
  onEnd: (() => void) | null = null;

  constructor(max: number) {
    this.max = max;
  }

  keep(chunk: Uint8Array): void {
    if (this.#size > this.max) return;
    this.#chunks.push(chunk);
    this.#size += chunk.byteLength;
  }

  end(complete: boolean): void {
    if (!complete) this.#size = Math.max(this.#size, this.max + 1);
    this.#ended = true;
    this.onEnd?.();
  }

  /** A body that came whole (app-channel.ts's wholeBody): kept as it is, up to the bound. */
  whole(bytes: Uint8Array): void {
    this.tapped = true;
    this.keep(bytes);
    this.end(true);
  }

  /** What arrived so far. */
  start(): BodyStart {
    const cut = !this.#ended || this.#size > this.max;
    return { bytes: joined(this.#chunks, Math.min(this.#size, this.max)), cut };
  }
}

/**
 * Streams `body` into `writable` (an IdentityTransformStream's) through `tap`; `done` runs once the
 * body has ended, failed or been cut. Returns how to cut it (a swap's deadline).
 */
export function pumpWithTap(
  body: ReadableStream<Uint8Array>,
  writable: WritableStream<Uint8Array>,
  tap: BodyTap,
  done: () => void,
): (reason: unknown) => void {
  tap.tapped = true;
  const reader = body.getReader();
  const writer = writable.getWriter();
  const pump = async () => {
    for (;;) {
      const { done: ended, value } = await reader.read();
      if (ended) break;
      tap.keep(value);
      await writer.write(value);
    }
    await writer.close();
  };
  pump()
    .then(
      () => tap.end(true),
      (error: unknown) => {
        tap.end(false);
        reader.cancel(error).catch(() => {});
        writer.abort(error).catch(() => {});
      },
    )
    .finally(done);
  return (reason) => {
    reader.cancel(reason).catch(() => {});
    writer.abort(reason).catch(() => {});
  };
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
