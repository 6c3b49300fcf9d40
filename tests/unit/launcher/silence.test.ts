/** The launcher's judgement of a runtime that stopped answering (scripts/silence.mjs). */
import { describe, expect, it } from "vitest";
import { HUNG_RUNNABLE_SHARE, STALL_AFTER_MS, silenceOf } from "../../../scripts/silence.mjs";

describe("silenceOf", () => {
  const hang = 3_500;

  it("does not judge a silence shorter than the loop guard's limit allows", () => {
    expect(silenceOf(3_000, 3, hang).kind).toBe("answering");
  });

  it("calls it frozen when workerd wanted a core nearly all the time (code that never yields)", () => {
    expect(silenceOf(4_000, 3.9, hang)).toEqual({ kind: "frozen", busy: 3.9 / 4 });
    expect(silenceOf(4_000, 4 * HUNG_RUNNABLE_SHARE, hang).kind).toBe("frozen");
    // However long the silence: a frozen runtime is replaced and what ran blamed, never only restarted.
    expect(silenceOf(STALL_AFTER_MS + 1_000, 20, hang).kind).toBe("frozen");
  });

  it("waits while workerd idles (vite busy in front of it), and restarts, blaming nobody, after the stall limit", () => {
    expect(silenceOf(4_000, 0.1, hang).kind).toBe("slow");
    expect(silenceOf(STALL_AFTER_MS, 0.5, hang).kind).toBe("stalled");
  });
});
