import { describe, expect, it } from "vitest";
import { SwapGate } from "../../../server/supervisor/swap-gate";

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("swap gate", () => {
  it("a swap waits for the requests inside, and requests that come meanwhile wait for the swap", async () => {
    const gate = new SwapGate();
    const events: string[] = [];
    const release = await gate.enter();
    const swapped = gate.swap(1_000, () => {
      events.push("swap");
    });
    const late = gate.run(async () => {
      events.push("late request");
    });
    await tick();
    expect(events).toEqual([]);
    events.push("first request done");
    release();
    expect(await swapped).toEqual({ cutOff: 0 });
    await late;
    expect(events).toEqual(["first request done", "swap", "late request"]);
  });

  it("a request still inside at the deadline is cut off, and counted", async () => {
    const gate = new SwapGate();
    const release = await gate.enter();
    let swappedWhileInside = false;
    const { cutOff } = await gate.swap(20, () => {
      swappedWhileInside = true;
    });
    expect(swappedWhileInside).toBe(true);
    expect(cutOff).toBe(1);
    release();
  });

  it("release is idempotent, so a request counts once however its end is reported", async () => {
    const gate = new SwapGate();
    const first = await gate.enter();
    const second = await gate.enter();
    first();
    first();
    const swapped = gate.swap(1_000, () => {});
    await tick();
    let done = false;
    void swapped.then(() => {
      done = true;
    });
    await tick();
    expect(done).toBe(false);
    second();
    expect(await swapped).toEqual({ cutOff: 0 });
  });

  it("swaps run one after another", async () => {
    const gate = new SwapGate();
    const order: string[] = [];
    let finishFirst = () => {};
    const first = gate.swap(1_000, () =>
      new Promise<void>((resolve) => (finishFirst = resolve)).then(() => order.push("first")),
    );
    const second = gate.swap(1_000, () => {
      order.push("second");
    });
    await tick();
    expect(order).toEqual([]);
    finishFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(["first", "second"]);
  });

  it("run hands back the work's result and lets go when it throws", async () => {
    const gate = new SwapGate();
    expect(await gate.run(async () => 42)).toBe(42);
    await expect(gate.run(() => Promise.reject(new Error("no")))).rejects.toThrow("no");
    expect(await gate.swap(1_000, () => {})).toEqual({ cutOff: 0 });
  });
});
