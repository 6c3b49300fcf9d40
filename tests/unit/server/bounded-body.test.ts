import { describe, expect, it } from "vitest";
import { concatBytes, readBounded } from "../../../server/bounded-body";

/** A stream of `chunks`, and what became of it: how many chunks were pulled, whether it was cancelled. */
function streamOf(chunks: number[]) {
  const seen = { pulled: 0, cancelled: false };
  let next = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const size = chunks[next++];
      if (size === undefined) return controller.close();
      seen.pulled++;
      controller.enqueue(new Uint8Array(size).fill(next));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

describe("reading a body up to a size", () => {
  it("gives the whole body within the limit, joined in order", async () => {
    const { stream } = streamOf([2, 3]);
    expect([...((await readBounded(stream, 5, "cancel")) ?? [])]).toEqual([1, 1, 2, 2, 2]);
  });

  it("gives an empty body for none", async () => {
    expect(await readBounded(null, 5, "drain")).toEqual(new Uint8Array(0));
  });

  it("past the limit, cancels the rest when asked to", async () => {
    const { stream, seen } = streamOf([4, 4, 4, 4]);
    expect(await readBounded(stream, 5, "cancel")).toBeNull();
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThan(4);
  });

  it("past the limit, reads the rest to its end when asked to drain it", async () => {
    const { stream, seen } = streamOf([4, 4, 4, 4]);
    expect(await readBounded(stream, 5, "drain")).toBeNull();
    expect(seen.cancelled).toBe(false);
    expect(seen.pulled).toBe(4);
  });

  it("joins chunks of any sizes", () => {
    expect([...concatBytes([new Uint8Array([1]), new Uint8Array(0), new Uint8Array([2, 3])])]).toEqual([1, 2, 3]);
  });
});
