/**
 * The supervisor's checks of what comes back from an app's isolate (server/app-runtime/protocol.ts):
 * the app's code runs there too, so anything may come back; what passes is bounded and cut to size.
 */
import { describe, expect, it } from "vitest";
import {
  checkAlarmOutcome,
  checkCallOutcome,
  checkLogLines,
  checkMeterReport,
  checkProbeReport,
  checkThrownReport,
} from "../../../../server/app-runtime/protocol-checks";

const report = { rowsRead: 1, rowsWritten: 2, wsIn: 3, wsOut: 4, writesRefused: 0, databaseBytes: 8192 };

describe("what the isolate reports", () => {
  it("takes a meter report with exactly its keys, whole counts in bounds and an object's ID", () => {
    expect(checkMeterReport(report, 1e6)).toEqual(report);
    expect(checkMeterReport({ ...report, databaseBytes: null }, 1e6)).toEqual({ ...report, databaseBytes: null });
    const object = "a".repeat(64);
    expect(checkMeterReport({ ...report, object }, 1e6)).toEqual({ ...report, object });
    for (const forged of [
      { ...report, extra: 1 },
      { ...report, rowsRead: -1 },
      { ...report, rowsRead: 1.5 },
      { ...report, rowsRead: Number.MAX_SAFE_INTEGER + 2 },
      { ...report, wsIn: "3" },
      { ...report, databaseBytes: 2e6 },
      { ...report, object: "Flight:1" },
      { rowsRead: 1 },
      null,
      [report],
    ]) {
      expect(checkMeterReport(forged, 1e6)).toBeNull();
    }
  });

  it("takes an alarm's outcome in one of its three shapes, cut to size", () => {
    expect(checkAlarmOutcome({ ok: true })).toEqual({ ok: true });
    expect(checkAlarmOutcome({ ok: true, lines: [1], extra: 2 })).toEqual({ ok: true, lines: [1] });
    expect(checkAlarmOutcome({ ok: false, missing: true, name: "x" })).toEqual({ ok: false, missing: true });
    const failed = checkAlarmOutcome({ ok: false, name: "E", message: "m".repeat(9_000), stack: "s" });
    expect(failed).toMatchObject({ ok: false, name: "E", stack: "s" });
    expect(failed && "message" in failed && failed.message).toHaveLength(8_001);
    expect(checkAlarmOutcome({ ok: false, name: "E", message: "m" })).toBeNull();
    expect(checkAlarmOutcome({ ok: "yes" })).toBeNull();
  });

  it("takes an RPC call's outcome, its value as it is", () => {
    const value = { any: ["thing"] };
    expect(checkCallOutcome({ ok: true, value, lines: [] })).toEqual({ ok: true, value, lines: [] });
    expect(checkCallOutcome({ ok: false, name: "TypeError", message: "x", stack: "", lines: [] })).toEqual({
      ok: false,
      name: "TypeError",
      message: "x",
      stack: "",
      lines: [],
    });
    expect(checkCallOutcome({ ok: false, name: 1, message: "x", stack: "" })).toBeNull();
    expect(checkCallOutcome("ok")).toBeNull();
  });

  it("takes the probe's report: known shapes under names of at most 200 characters", () => {
    expect(checkProbeReport({ isDurableObject: true, shapes: { App: "durable-object" }, logs: [] })).toEqual({
      isDurableObject: true,
      shapes: { App: "durable-object" },
      logs: [],
    });
    expect(checkProbeReport({ isDurableObject: true, shapes: { App: "rocket" }, logs: [] })).toBeNull();
    expect(checkProbeReport({ isDurableObject: true, shapes: { ["x".repeat(201)]: "class" } })).toBeNull();
    expect(checkProbeReport({ isDurableObject: "yes", shapes: {} })).toBeNull();
  });

  it("takes an exception report with its stack and lines optional", () => {
    expect(checkThrownReport({ name: "E", message: "m" })).toEqual({ name: "E", message: "m" });
    expect(checkThrownReport({ name: "E", message: "m", stack: "s", logs: [1] })).toEqual({
      name: "E",
      message: "m",
      stack: "s",
      logs: [1],
    });
    expect(checkThrownReport({ name: "E", message: "m", stack: 5 })).toBeNull();
  });

  it("takes at most as many log lines as asked, each whole", () => {
    const line = { kind: "console", level: "log", message: "x", at: 1 };
    expect(checkLogLines([line, line], 2)).toHaveLength(2);
    expect(checkLogLines([line, line], 1)).toBeNull();
    expect(checkLogLines([line, { ...line, at: Number.NaN }])).toBeNull();
    expect(checkLogLines([{ kind: "exception", name: "E", message: "m", at: 1 }])).toBeNull();
  });
});
