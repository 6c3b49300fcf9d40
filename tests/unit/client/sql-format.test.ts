import { describe, expect, it } from "vitest";
import { stripAnsi } from "../../../client/terminal/ansi";
import { formatBytes, formatDuration, formatResult } from "../../../client/terminal/sql-format";
import type { SqlResult } from "../../../shared/sql";

const result = (partial: Partial<SqlResult>): SqlResult => ({
  columns: [],
  rows: [],
  rowsRead: 0,
  rowsWritten: 0,
  durationMs: 0.2,
  truncated: false,
  totalRowsExact: true,
  totalRows: 0,
  ...partial,
});

const format = (r: SqlResult, cols: number) => formatResult(r, cols).map(stripAnsi);

describe("result tables", () => {
  it("a box table with NULL, blob and numbers, and a row count", () => {
    const lines = format(
      result({
        columns: ["id", "name", "data"],
        rows: [
          [1, "alpha", null],
          [22, "beta", { blob: "deadbeef", bytes: 4 }],
        ],
        totalRows: 2,
      }),
      80,
    );
    expect(lines).toEqual([
      "┌────┬───────┬───────────────────────┐",
      "│ id │ name  │ data                  │",
      "├────┼───────┼───────────────────────┤",
      "│  1 │ alpha │ NULL                  │",
      "│ 22 │ beta  │ x'deadbeef' (4 bytes) │",
      "└────┴───────┴───────────────────────┘",
      "2 rows · <1 ms",
    ]);
  });

  it("long values are cut to fit the terminal, and line breaks stay on one row", () => {
    const lines = format(result({ columns: ["a", "b"], rows: [["x".repeat(500), "one\ntwo"]], totalRows: 1 }), 50);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(50);
    expect(lines[3]).toContain("…");
    expect(lines[3]).toContain("one↵two");
  });

  it("a cut result says how many rows were left out", () => {
    const lines = format(result({ columns: ["x"], rows: [[1]], truncated: true, totalRows: 600, durationMs: 3 }), 80);
    expect(lines.at(-2)).toBe("600 rows · 3 ms");
    expect(lines.at(-1)).toContain("599 more rows not shown");
  });

  it("statements without columns report what they wrote", () => {
    expect(format(result({ rowsWritten: 2, durationMs: 1.4 }), 80)).toEqual(["OK · 2 written · 1 ms"]);
  });

  it("durations and sizes read as a person says them", () => {
    expect([0, 0.4, 12.6, 1500, 12_000].map(formatDuration)).toEqual(["0 ms", "<1 ms", "13 ms", "1.50 s", "12.0 s"]);
    expect([1, 2048, 3 * 1024 * 1024].map(formatBytes)).toEqual(["1 byte", "2.0 KiB", "3.0 MiB"]);
  });
});
