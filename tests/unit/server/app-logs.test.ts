import { describe, expect, it } from "vitest";
import { LOGS_HEADER } from "../../../server/internal";
import { appLogEntries, appLogEntriesOf } from "../../../server/supervisor/app-logs";

describe("lines an app sends", () => {
  it("become log entries of the version that sent them", () => {
    const lines = [
      { kind: "console", level: "warn", message: "careful", at: 5 },
      { kind: "exception", name: "Error", message: "boom", stack: "Error: boom", at: 6 },
    ];
    expect(appLogEntries(lines, 3)).toEqual([
      { kind: "console", level: "warn", message: "careful", at: 5, version: 3 },
      { kind: "exception", name: "Error", message: "boom", stack: "Error: boom", at: 6, version: 3 },
    ]);
  });

  it("are cut to size, and refused when they are not what the wrapper sends", () => {
    const [long] = appLogEntries([{ kind: "console", level: "log", message: "x".repeat(10_000), at: 1 }], 1) ?? [];
    expect(long?.kind === "console" && long.message.length).toBe(8_001);
    expect(appLogEntries([{ kind: "console", level: "shout", message: "x", at: 1 }], 1)).toBeNull();
    expect(appLogEntries([{ kind: "system", level: "info", message: "forged", at: 1 }], 1)).toBeNull();
    expect(appLogEntries("not a list", 1)).toBeNull();
    expect(appLogEntries(Array(501).fill({ kind: "console", level: "log", message: "x", at: 1 }), 1)).toBeNull();
  });

  it("ride on a response header; a forged or cut header loses only those lines", () => {
    const lines = [{ kind: "console", level: "log", message: "hi", at: 1 }];
    const carried = new Response("", { headers: { [LOGS_HEADER]: encodeURIComponent(JSON.stringify(lines)) } });
    expect(appLogEntriesOf(carried, 2)).toEqual([{ ...lines[0], version: 2 }]);
    expect(appLogEntriesOf(new Response("", { headers: { [LOGS_HEADER]: "%E0%A4%A" } }), 2)).toEqual([]);
    expect(appLogEntriesOf(new Response(""), 2)).toEqual([]);
  });
});
