/**
 * The launcher's side of the activity beacons (scripts/beacons.mjs, activity-markers.mjs): the layout
 * both sides agree on, a scan of another process's memory for beacons the runtime's module wrote, and
 * which of them the launcher believes.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { ActivityLog, expectedTag } from "../../../../scripts/activity-markers.mjs";
import { memoryReadable, readBeacon, scanBeacons } from "../../../../scripts/beacons.mjs";
import { beaconIdle, beaconRunning, makeBeacon } from "../../../../server/app-runtime/beacon";
import * as protocol from "../../../../server/app-runtime/protocol";
import * as contract from "../../../../shared/launcher-contract.mjs";

const KEY = "5e".repeat(32);
const MAGIC = await contract.beaconMagic(KEY);
const who = (projectId: string, codeId: string, key = KEY) =>
  `${expectedTag(key, projectId, codeId)} ${projectId} ${codeId}`;

describe("the beacon's layout", () => {
  it("is the same for the runtime's module and the launcher, and the magic is the key's", async () => {
    expect(protocol.BEACON_BYTES).toBe(contract.BEACON_BYTES);
    expect(protocol.BEACON_MAGIC_BYTES).toBe(contract.BEACON_MAGIC_BYTES);
    expect(MAGIC).toMatch(/^[0-9a-f]{32}$/);
    expect(await contract.beaconMagic("6f".repeat(32))).not.toBe(MAGIC);
  });

  it("reads what the runtime's module wrote: running with what and detail, then idle", () => {
    const beacon = makeBeacon(MAGIC, who("p1", "c1"));
    const bytes = Buffer.from(beacon.bytes.buffer);
    expect(bytes.subarray(0, 16).toString("hex")).toBe(MAGIC);
    beaconRunning(beacon, "request", "GET /a-long-path");
    beaconRunning(beacon, "alarm", "");
    expect(readBeacon(bytes)).toEqual({ running: true, text: `${who("p1", "c1")} alarm ` });
    beaconIdle(beacon);
    expect(readBeacon(bytes).running).toBe(false);
    // A detail longer than the beacon is cut where it ends, never past it.
    beaconRunning(beacon, "request", `GET /${"x".repeat(2000)}`);
    expect(readBeacon(bytes).text.length).toBeLessThan(protocol.BEACON_BYTES);
  });
});

describe("runningByBeacons", () => {
  const log = () => new ActivityLog(() => {}, KEY);

  it("names the one verified beacon that says running, its detail on one line", () => {
    const activity = log();
    const marker = activity.runningByBeacons([
      { running: false, text: `${who("p2", "c2")} request GET /idle` },
      { running: true, text: `${who("p1", "c1")} request GET /a\n\u001b[31mred` },
    ]);
    expect(marker).toMatchObject({
      kind: "enter",
      projectId: "p1",
      codeId: "c1",
      what: "request",
      detail: "GET /a??[31mred",
    });
    expect(activity.forged).toBe(0);
  });

  it("takes no beacon whose tag another key made, and counts it as forged", () => {
    const activity = log();
    expect(
      activity.runningByBeacons([{ running: true, text: `${who("p1", "c1", "77".repeat(32))} request GET /` }]),
    ).toBeNull();
    expect(activity.forged).toBe(1);
  });

  it("blames nobody when two codes' beacons say running, or none does", () => {
    const activity = log();
    const a = { running: true, text: `${who("p1", "c1")} request GET /` };
    const b = { running: true, text: `${who("p2", "c2")} timer ` };
    expect(activity.runningByBeacons([a, b])).toBeNull();
    expect(activity.runningByBeacons([{ ...a, running: false }])).toBeNull();
    // The same code twice (its old isolate's beacon left behind) is still that code.
    expect(activity.runningByBeacons([a, a])).toMatchObject({ projectId: "p1" });
  });
});

describe("scanBeacons", () => {
  it("finds the beacons in another process's memory, running or not", async () => {
    expect(await memoryReadable()).toBe(process.platform === "linux");
    const running = makeBeacon(MAGIC, who("p1", "c1"));
    beaconRunning(running, "request", "GET /frozen");
    const idle = makeBeacon(MAGIC, who("p2", "c2"));
    const hex = [running, idle].map((b) => Buffer.from(b.bytes.buffer).toString("hex"));
    // The child keeps the beacons in ArrayBuffers of its own, as the runtime's isolates do.
    const child = spawn(
      process.execPath,
      [
        "-e",
        `const kept = process.argv.slice(1).map((h) => new Uint8Array(Buffer.from(h, "hex")));
         process.argv.length = 1; console.log("ready"); setInterval(() => kept.length, 1000);`,
        ...hex,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      await once(child.stdout, "data");
      const found = scanBeacons(child.pid as number, MAGIC).filter(
        (b) => b.text.includes(" c1 ") || b.text.includes(" c2 "),
      );
      expect(found).toContainEqual({ running: true, text: `${who("p1", "c1")} request GET /frozen` });
      expect(found).toContainEqual({ running: false, text: `${who("p2", "c2")} ` });
      expect(new ActivityLog(() => {}, KEY).runningByBeacons(found)).toMatchObject({
        projectId: "p1",
        detail: "GET /frozen",
      });
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("says so when the process cannot be read", () => {
    expect(() => scanBeacons(2 ** 22 + 12345, MAGIC)).toThrow();
  });
});
