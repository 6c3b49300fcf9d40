/**
 * The guard with beacons (server/app-runtime/guard.ts, beacon.ts): the marker is written into memory,
 * where the launcher's scan (scripts/beacons.mjs, run on this very process) finds it, and printed only
 * for a turn that runs long.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ActivityLog, expectedTag } from "../../../../scripts/activity-markers.mjs";
import { scanBeacons } from "../../../../scripts/beacons.mjs";
import { GUARD_CALL, MARKER_PREFIX, PLACEHOLDERS } from "../../../../server/app-runtime/protocol";
import { beaconMagic } from "../../../../shared/launcher-contract.mjs";
import { keepGuardedGlobals } from "./guard-globals";

const KEY = "3c".repeat(32);
const MAGIC = await beaconMagic(KEY);
const TAG = expectedTag(KEY, "p9", "c9");
const WHO = `${TAG} p9 c9`;

/** A turn later, once the guard's leave hops ran (with the timer the guard has not wrapped). */
const realTimeout = globalThis.setTimeout;
const afterHops = () => new Promise((resolve) => realTimeout(resolve, 0));
/** What this process's memory says about the guard's beacon. */
const ours = () => scanBeacons(process.pid, MAGIC).filter((beacon) => beacon.text.startsWith(WHO));

describe("the guard with beacons", () => {
  const restoreGlobals = keepGuardedGlobals();
  const print = vi.spyOn(console, "log").mockImplementation(() => {});
  let guard: typeof import("../../../../server/app-runtime/guard");

  beforeAll(async () => {
    vi.resetModules();
    vi.stubGlobal(PLACEHOLDERS.markers, { projectId: "p9", codeId: "c9", tag: TAG, beacon: MAGIC });
    guard = await import("../../../../server/app-runtime/guard");
  });

  afterAll(() => {
    restoreGlobals();
    vi.unstubAllGlobals();
    print.mockRestore();
  });

  it("says running while the app's code runs and idle after, printing nothing", async () => {
    // (Scanning this process also finds the copies its own read buffer holds: the same state.)
    await afterHops();
    const idle = ours();
    expect(idle.length).toBeGreaterThan(0);
    expect(idle.every((beacon) => !beacon.running)).toBe(true);
    print.mockClear();
    guard.enter("request", "GET /a\nb");
    expect(ours()).toContainEqual({ running: true, text: `${WHO} request GET /a\nb` });
    const marker = new ActivityLog(() => {}, KEY).runningByBeacons(ours());
    expect(marker).toMatchObject({ projectId: "p9", codeId: "c9", what: "request", detail: "GET /a?b" });
    await afterHops();
    expect(ours().every((beacon) => !beacon.running)).toBe(true);
    expect(print).not.toHaveBeenCalled();
  });

  it("prints the enter of a turn that runs long, and its leave, so that a crash in it is blamed", async () => {
    print.mockClear();
    guard.enter("request", "GET /bomb");
    const loop = guard[GUARD_CALL];
    for (let i = 0; i < 63; i++) loop("loop at app.ts:1");
    expect(print).not.toHaveBeenCalled();
    for (let i = 0; i < 128; i++) loop("loop at app.ts:1");
    expect(print).toHaveBeenCalledTimes(1);
    expect(print).toHaveBeenLastCalledWith(`${MARKER_PREFIX} enter ${WHO} request GET /bomb`);
    await afterHops();
    expect(print).toHaveBeenLastCalledWith(`${MARKER_PREFIX} leave ${WHO}`);
    expect(ours().every((beacon) => !beacon.running)).toBe(true);
    // The next short turn prints nothing again.
    print.mockClear();
    guard.enter("timer", "");
    loop("loop at app.ts:1");
    await afterHops();
    expect(print).not.toHaveBeenCalled();
  });
});
