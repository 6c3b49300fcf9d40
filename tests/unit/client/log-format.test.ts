import { describe, expect, it } from "vitest";
import { stripAnsi } from "../../../client/terminal/ansi";
import { formatLogEntry } from "../../../client/terminal/log-format";
import type { LogEntry } from "../../../shared/logs";

const at = new Date(2026, 0, 2, 3, 4, 5).getTime();
const line = (entry: LogEntry) => stripAnsi(formatLogEntry(entry)).split("\r\n");

describe("log lines in the terminal", () => {
  it("a request line: time, method, path, status, duration, version", () => {
    const request = {
      seq: 1,
      at,
      version: 7,
      kind: "request",
      method: "GET",
      path: "/notes?x=1",
      status: 200,
    } as const;
    expect(line({ ...request, durationMs: 3, outcome: "ok" })).toEqual(["03:04:05 GET /notes?x=1 200 3 ms v7"]);
    expect(line({ ...request, status: null, durationMs: null, outcome: "exception" })).toEqual([
      "03:04:05 GET /notes?x=1 --- v7 exception",
    ]);
  });

  it("a Worker project's object: its calls indented and named, its other lines marked", () => {
    const base = { seq: 2, at, version: 3, object: "Flight:1234" } as const;
    expect(
      line({ ...base, kind: "request", method: "RPC", path: "getSeats()", status: null, durationMs: 2, outcome: "ok" }),
    ).toEqual(["03:04:05   Flight:1234 ▸ RPC getSeats() ok 2 ms v3"]);
    expect(
      line({ ...base, kind: "request", method: "GET", path: "/ws", status: 101, durationMs: 1, outcome: "ok" }),
    ).toEqual(["03:04:05   Flight:1234 ▸ GET /ws 101 1 ms v3"]);
    expect(line({ ...base, kind: "console", level: "log", message: "Table already exists" })).toEqual([
      "03:04:05 › Table already exists [Flight:1234]",
    ]);
  });

  it("console output: a mark per level, continuation lines under the first", () => {
    const entry = { seq: 2, at, version: 1, kind: "console", message: "one\ntwo" } as const;
    expect(line({ ...entry, level: "log" })).toEqual(["03:04:05 › one", "           two"]);
    expect(line({ ...entry, level: "warn", message: "careful" })).toEqual(["03:04:05 ! careful"]);
    expect(line({ ...entry, level: "error", message: "bad" })).toEqual(["03:04:05 ✖ bad"]);
  });

  it("an exception with its stack, without repeating the message", () => {
    const lines = line({
      seq: 3,
      at,
      version: 2,
      kind: "exception",
      name: "TypeError",
      message: "x is undefined",
      stack: "TypeError: x is undefined\n    at App.fetch (app.js:3:7)\n",
    });
    expect(lines).toEqual(["03:04:05 ✖ TypeError: x is undefined v2", "           at App.fetch (app.js:3:7)"]);
  });

  it("deploys, rejected saves and system notes", () => {
    expect(line({ seq: 4, at, version: 3, kind: "deploy", codeId: "demo:0123456789abcdef" })).toEqual([
      "03:04:05 ● deployed v3 01234567",
    ]);
    const diagnostics = [
      { file: "app.ts", line: 1, column: 2, message: "first" },
      { file: "lib.ts", line: 3, column: 4, message: "second" },
    ];
    expect(line({ seq: 5, at, version: 3, kind: "save-error", message: "app.ts:1:2 first", diagnostics })).toEqual([
      "03:04:05 ✖ save rejected: app.ts:1:2 first (v3 is still live)",
      "           lib.ts:3:4 second",
    ]);
    expect(line({ seq: 6, at, version: null, kind: "system", level: "warn", message: "restarted" })).toEqual([
      "03:04:05 ◆ restarted",
    ]);
  });
});

describe("text from apps and visitors", () => {
  it("is shown with its control characters visible: only the terminal's own styling is left", () => {
    const attack =
      "\u001b[2J● deployed v9 \u001b]8;;http://evil.example/login\u0007log in \u001b]52;c;cHduZWQ=\u0007\rdone";
    const line = formatLogEntry({ kind: "console", level: "log", message: attack, at: 0, version: 1, seq: 2 });
    expect(stripAnsi(line)).not.toContain("\u001b");
    expect(line).not.toContain("\u0007");
    expect(stripAnsi(line)).toContain(
      "^[[2J● deployed v9 ^[]8;;http://evil.example/login^Glog in ^[]52;c;cHduZWQ=^G^Mdone",
    );
  });
});
