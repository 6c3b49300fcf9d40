/**
 * Every export ends (server/supervisor/data/export-stream.ts): by offset (a view) after
 * EXPORT_LIMITS.offsetRows, any export once its queries took EXPORT_LIMITS.queryMs, and a failed
 * query ends it too; each with a note in the file's own format. The statements run against a fake
 * console here; tests/worker/data/data-export.test.ts runs a real endless view.
 */
import { describe, expect, it } from "vitest";
import type { RunStatement } from "../../../../server/supervisor/data/catalog";
import { EXPORT_LIMITS, exportStream } from "../../../../server/supervisor/data/export-stream";
import type { TableShape } from "../../../../server/supervisor/data/table-shape";
import type { SqlResult } from "../../../../shared/sql";

const column = (name: string) => ({
  name,
  type: "",
  notNull: false,
  defaultValue: null,
  primaryKey: 0,
  generated: false,
});

const view: TableShape = {
  name: "v",
  kind: "view",
  withoutRowid: false,
  strict: false,
  columns: [column("x")],
  key: null,
  keyIsRowid: false,
  readOnly: "a view",
};

const table: TableShape = { ...view, name: "t", kind: "table", key: ["rowid"], keyIsRowid: true, readOnly: null };

const result = (rows: SqlResult["rows"]): SqlResult => ({
  columns: [],
  rows,
  rowsRead: rows.length,
  rowsWritten: 0,
  durationMs: 0,
  truncated: false,
  totalRows: rows.length,
  totalRowsExact: true,
});

/**
 * A console over rows 1..`rows` (Infinity: an endless recursive view), answering the export's
 * statements by their parameters: `LIMIT ? OFFSET ?` for a view, `WHERE rowid > ? ... LIMIT ?` for a
 * table. A table's rows carry their key first; every row ends with the BLOB marker ('').
 */
function fakeConsole(rows: number, keyed: boolean): { run: RunStatement; statements: number } {
  const state = { statements: 0, run: (async () => result([])) as RunStatement };
  state.run = async ({ sql, params }) => {
    state.statements++;
    const [first, second] = params as number[];
    const [limit, from] = /OFFSET/.test(sql) ? [first ?? 0, second ?? 0] : [second ?? 0, first ?? 0];
    const values: number[] = [];
    for (let x = from + 1; x <= rows && values.length < limit; x++) values.push(x);
    return result(values.map((x) => (keyed ? [x, x, ""] : [x, ""])));
  };
  return state;
}

/** The stream's text, cut after 10,000 lines: an export that does not end fails here instead of hanging. */
async function read(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    text += decoder.decode(value, { stream: true });
    if (text.split("\n").length > 10_000) {
      await reader.cancel();
      return text;
    }
  }
}

describe("an export ends", () => {
  it("a view that never ends: after offsetRows rows, with a note as the last CSV record", async () => {
    const console = fakeConsole(Number.POSITIVE_INFINITY, false);
    const text = await read(exportStream(view, "csv", console.run, { offsetRows: 1_200, queryMs: 60_000 }));
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("x");
    expect(lines.slice(1, 1_201)).toEqual(Array.from({ length: 1_200 }, (_, i) => String(i + 1)));
    expect(lines[1_201]).toMatch(/^"Export stopped after 1,200 rows: a view \(read by offset.*up to 1,200 rows\./);
    expect(lines.slice(1_202)).toEqual([""]);
    // Three chunks of 500 (the third cut to 200 by the limit's check), then one row to see there is more.
    expect(console.statements).toBeLessThanOrEqual(5);
  });

  it("as JSON: the rows, then the note as a string after them, still valid JSON", async () => {
    const console = fakeConsole(Number.POSITIVE_INFINITY, false);
    const text = await read(exportStream(view, "json", console.run, { offsetRows: 1_000, queryMs: 60_000 }));
    const parsed = JSON.parse(text) as unknown[];
    expect(parsed).toHaveLength(1_001);
    expect(parsed[999]).toEqual({ x: 1_000 });
    expect(parsed[1_000]).toMatch(/^Export stopped after 1,000 rows: /);
  });

  it("a view of exactly offsetRows rows ends as usual, with no note", async () => {
    const console = fakeConsole(1_000, false);
    const text = await read(exportStream(view, "csv", console.run, { offsetRows: 1_000, queryMs: 60_000 }));
    expect(text.split("\r\n")).toHaveLength(1_002);
    expect(text).not.toMatch(/Export stopped/);
  });

  it("a table is not cut by the rows limit (it is read by key), but by the time its queries take", async () => {
    const whole = await read(
      exportStream(table, "csv", fakeConsole(3_000, true).run, { offsetRows: 1_000, queryMs: 60_000 }),
    );
    expect(whole.split("\r\n")).toHaveLength(3_002);
    // Each query takes 10 ms on this clock: past 25 ms in all, the next chunk is not read.
    let clock = 0;
    const slow = fakeConsole(Number.POSITIVE_INFINITY, true);
    const timed: RunStatement = async (statement) => {
      clock += 10;
      return slow.run(statement);
    };
    const text = await read(exportStream(table, "csv", timed, { offsetRows: 1_000, queryMs: 25 }, () => clock));
    const lines = text.split("\r\n");
    expect(lines).toHaveLength(1 + 1_500 + 2);
    expect(lines[1_501]).toBe(
      '"Export stopped after 1,500 rows: its queries took over 0.025 s in all, the most one export may take."',
    );
  });

  it("a query that fails mid-way ends the file with its error, not a cut download", async () => {
    const console = fakeConsole(Number.POSITIVE_INFINITY, true);
    let calls = 0;
    const failing: RunStatement = async (statement) => {
      if (++calls === 3) throw new Error("The statement did not finish within 30 s");
      return console.run(statement);
    };
    const text = await read(exportStream(table, "json", failing));
    const parsed = JSON.parse(text) as unknown[];
    expect(parsed).toHaveLength(1_001);
    expect(parsed[1_000]).toBe("Export stopped after 1,000 rows: The statement did not finish within 30 s");
  });

  it("states its limits: 100,000 rows by offset, 30 s of queries", () => {
    expect(EXPORT_LIMITS).toEqual({ offsetRows: 100_000, queryMs: 30_000 });
  });
});
