/** The swap gate and the drain deadline's parsing, on their own. */
import { describe, expect, it } from "vitest";
import {
  cutOffMessage,
  DEFAULT_DRAIN_DEADLINE_MS,
  drainDeadlineMs,
  SwapGate,
} from "../../../../server/supervisor/versions/swap-gate";

describe("SwapGate", () => {
  it("swaps at once when nothing is in flight", async () => {
    const gate = new SwapGate();
    const { result, cutOff } = await gate.swap(60_000, () => "swapped");
    expect(result).toBe("swapped");
    expect(cutOff).toEqual([]);
  });

  it("waits for work inside, holds newcomers at the gate, and lets them in after the swap", async () => {
    const gate = new SwapGate();
    const events: string[] = [];
    const inside = await gate.enter("GET /a");
    const swapped = gate.swap(60_000, () => events.push("swap"));
    const newcomer = gate.enter("GET /b").then((pass) => {
      events.push("newcomer in");
      return pass;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([]);
    inside.release();
    inside.release(); // idempotent: counts once
    expect((await swapped).cutOff).toEqual([]);
    (await newcomer).release();
    expect(events).toEqual(["swap", "newcomer in"]);
    expect(gate.inFlight).toBe(0);
  });

  it("hands the swap what is still inside at the deadline, with its label and stage", async () => {
    const gate = new SwapGate();
    const stuck = await gate.enter("GET /events");
    stuck.stage = "response body still streaming";
    const done = await gate.enter("GET /quick");
    done.release();
    const { result, cutOff } = await gate.swap(20, (cut) => cut.map((p) => `${p.label}: ${p.stage}`));
    expect(result).toEqual(["GET /events: response body still streaming"]);
    expect(cutOff).toEqual([stuck]);
  });
});

describe("SwapGate, more", () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

  it("a pass released twice counts once, so the swap waits for the other one", async () => {
    const gate = new SwapGate();
    const first = await gate.enter("GET /1");
    const second = await gate.enter("GET /2");
    first.release();
    first.release();
    let done = false;
    const swapped = gate.swap(60_000, () => {
      done = true;
    });
    await tick();
    expect(done).toBe(false);
    second.release();
    expect((await swapped).cutOff).toEqual([]);
  });

  it("swaps run one after another", async () => {
    const gate = new SwapGate();
    const order: string[] = [];
    let finishFirst = () => {};
    const first = gate.swap(60_000, async () => {
      await new Promise<void>((resolve) => {
        finishFirst = resolve;
      });
      order.push("first");
    });
    const second = gate.swap(60_000, () => {
      order.push("second");
    });
    await tick();
    expect(order).toEqual([]);
    finishFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(["first", "second"]);
  });

  it("run hands back the work's result and leaves the gate when the work throws", async () => {
    const gate = new SwapGate();
    expect(await gate.run("SQL console query", async () => 42)).toBe(42);
    await expect(gate.run("alarm()", () => Promise.reject(new Error("no")))).rejects.toThrow("no");
    expect(gate.inFlight).toBe(0);
  });
});

describe("the terminal line for what a swap cut off", () => {
  it("names five requests with where each was, counts the rest, and says why", async () => {
    const gate = new SwapGate();
    const passes = await Promise.all(Array.from({ length: 7 }, (_, i) => gate.enter(`GET /s${i}`)));
    const message = cutOffMessage(passes, 5_000, "The app was replaced by v3");
    expect(message).toMatch(
      /^7 requests were still running after the 5 s drain deadline and cut off: GET \/s0 \(running, 0 s\), /,
    );
    expect(message).toContain("GET /s4 (running, 0 s) and 2 more. Why: The app was replaced by v3");
    expect(message).not.toContain("/s5");
  });
});

describe("SWAP_DRAIN_DEADLINE_MS", () => {
  it("takes milliseconds from 0 to 60000 and falls back to the default otherwise", () => {
    expect(drainDeadlineMs("1500")).toBe(1500);
    expect(drainDeadlineMs(0)).toBe(0);
    expect(drainDeadlineMs(undefined)).toBe(DEFAULT_DRAIN_DEADLINE_MS);
    for (const bad of ["soon", "-1", "600000", ""]) expect(drainDeadlineMs(bad)).toBe(DEFAULT_DRAIN_DEADLINE_MS);
  });
});
