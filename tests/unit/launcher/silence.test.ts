/** The launcher's judgement of a runtime that stopped answering (scripts/silence.mjs). */
import { describe, expect, it } from "vitest";
import { HUNG_RUNNABLE_SHARE, STALL_AFTER_MS, silenceOf } from "../../../scripts/silence.mjs";

describe("silenceOf", () => {
  const hang = 3_500;

  it("does not judge a silence shorter than the loop guard's limit allows, nor read workerd's time for it", () => {
    expect(
      silenceOf(
        3_000,
        () => {
          throw new Error("read");
        },
        hang,
      ),
    ).toBeNull();
  });

  it("calls it frozen when workerd wanted a core nearly all the time (code that never yields)", () => {
    expect(silenceOf(4_000, () => 3.9, hang)).toEqual({ frozen: true, stalled: false, busy: 3.9 / 4 });
    expect(silenceOf(4_000, () => 4 * HUNG_RUNNABLE_SHARE, hang)?.frozen).toBe(true);
    // However long the silence: a frozen runtime is replaced and what ran blamed, never only restarted.
    expect(silenceOf(STALL_AFTER_MS + 1_000, () => 20, hang)?.frozen).toBe(true);
  });

  it("waits while workerd idles (vite busy in front of it), and restarts, blaming nobody, after the stall limit", () => {
    expect(silenceOf(4_000, () => 0.1, hang)).toMatchObject({ frozen: false, stalled: false });
    expect(silenceOf(STALL_AFTER_MS, () => 0.5, hang)).toMatchObject({ frozen: false, stalled: true });
  });
});
