/**
 * The terminal's plain modules (statement splitting, key parsing, line editing, table formatting),
 * run in Node by the same runner as the browser tests.
 */
import { expect, test } from "@playwright/test";
import { displayWidth, stripAnsi } from "../../client/terminal/ansi";
import { memoryHistory } from "../../client/terminal/history-store";
import { parseKeys } from "../../client/terminal/keys";
import { LineEditor } from "../../client/terminal/line-editor";
import { formatResult } from "../../client/terminal/sql-format";
import { collapse, isComplete, splitStatements } from "../../client/terminal/sql-split";
import type { SqlResult } from "../../shared/api";

const result = (partial: Partial<SqlResult>): SqlResult => ({
  columns: [],
  rows: [],
  rowsRead: 0,
  rowsWritten: 0,
  durationMs: 0.2,
  truncated: false,
  totalRows: 0,
  ...partial,
});

test.describe("statement splitting", () => {
  test("a statement ends at a semicolon outside quotes and comments", () => {
    expect(isComplete("SELECT 1")).toBe(false);
    expect(isComplete("SELECT 1;")).toBe(true);
    expect(isComplete("SELECT ';'")).toBe(false);
    expect(isComplete("SELECT 'it''s;'")).toBe(false);
    expect(isComplete("SELECT 'it''s';")).toBe(true);
    expect(isComplete('SELECT "a;b" FROM t;')).toBe(true);
    expect(isComplete("SELECT 1 -- done;")).toBe(false);
    expect(isComplete("SELECT 1; -- trailing comment")).toBe(true);
    expect(isComplete("SELECT /* ; */ 1")).toBe(false);
  });

  test("several statements on one line run in order", () => {
    expect(splitStatements("CREATE TABLE t(a); INSERT INTO t VALUES (1);").statements).toEqual([
      "CREATE TABLE t(a);",
      "INSERT INTO t VALUES (1);",
    ]);
  });

  test("a trigger body's semicolons do not end the statement", () => {
    const trigger = "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; DELETE FROM u;";
    expect(isComplete(trigger)).toBe(false);
    expect(splitStatements(`${trigger} END;`).statements).toHaveLength(1);
  });

  test("history keeps multi-line statements as one line without comments", () => {
    expect(collapse("SELECT a, -- the a\n  b\nFROM t;")).toBe("SELECT a, b FROM t;");
    expect(collapse("SELECT 'x\ny';")).toBe("SELECT 'x\ny';");
  });
});

test.describe("keys", () => {
  test("escape sequences and pasted text", () => {
    expect(parseKeys("\x1b[A\x1b[1;5D\x7f")).toEqual([{ type: "up" }, { type: "word-left" }, { type: "backspace" }]);
    expect(parseKeys("ab c\r\ndef")).toEqual([
      { type: "char", text: "ab c" },
      { type: "enter" },
      { type: "char", text: "def" },
    ]);
  });
});

test.describe("line editor", () => {
  const type = (editor: LineEditor, data: string) => parseKeys(data).map((k) => editor.handle(k));

  test("continues until the statement is complete", () => {
    const editor = new LineEditor(memoryHistory());
    expect(type(editor, "SELECT 1\r").at(-1)).toEqual({ type: "none" });
    expect(editor.prompt).toBe("...> ");
    const results = type(editor, "+ 1;\r");
    expect(results.at(-1)).toEqual({ type: "submit", text: "SELECT 1\n+ 1;", lines: ["SELECT 1", "+ 1;"] });
    expect(editor.prompt).toBe("sql> ");
  });

  test("dot commands run at the end of their line", () => {
    const editor = new LineEditor(memoryHistory());
    expect(type(editor, ".tables\r").at(-1)).toMatchObject({ type: "submit", text: ".tables" });
  });

  test("Up and Down walk the history and come back to the draft", () => {
    const history = memoryHistory(["SELECT 1;", "SELECT 2;"]);
    const editor = new LineEditor(history);
    type(editor, "draft");
    type(editor, "\x1b[A");
    expect(editor.line).toBe("SELECT 2;");
    type(editor, "\x1b[A\x1b[A");
    expect(editor.line).toBe("SELECT 1;");
    type(editor, "\x1b[B\x1b[B");
    expect(editor.line).toBe("draft");
  });

  test("editing keys move and cut by character and word", () => {
    const editor = new LineEditor(memoryHistory());
    type(editor, "SELECT name FROM t");
    type(editor, "\x17"); // Ctrl+W
    expect(editor.line).toBe("SELECT name FROM ");
    type(editor, "\x01\x1b[1;5C"); // Ctrl+A, Ctrl+Right
    expect(editor.beforeCursor).toBe("SELECT");
    type(editor, "\x0b"); // Ctrl+K
    expect(editor.line).toBe("SELECT");
    type(editor, "\x03");
    expect(editor.isEmpty).toBe(true);
  });
});

test.describe("result tables", () => {
  test("box table with NULL, blob and numbers, and a row count", () => {
    const lines = formatResult(
      result({
        columns: ["id", "name", "data"],
        rows: [
          [1, "alpha", null],
          [22, "beta", { blob: "deadbeef", bytes: 4 }],
        ],
        totalRows: 2,
      }),
      80,
    ).map(stripAnsi);
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

  test("long values are cut to fit the terminal, and line breaks stay on one row", () => {
    const long = "x".repeat(500);
    const lines = formatResult(result({ columns: ["a", "b"], rows: [[long, "one\ntwo"]], totalRows: 1 }), 50).map(
      stripAnsi,
    );
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(50);
    expect(lines[3]).toContain("…");
    expect(lines[3]).toContain("one↵two");
  });

  test("a cut result says how many rows were left out", () => {
    const lines = formatResult(
      result({ columns: ["x"], rows: [[1]], truncated: true, totalRows: 600, durationMs: 3 }),
      80,
    ).map(stripAnsi);
    expect(lines.at(-2)).toBe("600 rows · 3 ms");
    expect(lines.at(-1)).toContain("599 more rows not shown");
  });

  test("statements without columns report what they wrote", () => {
    expect(formatResult(result({ rowsWritten: 2, durationMs: 1.4 }), 80).map(stripAnsi)).toEqual([
      "OK · 2 written · 1 ms",
    ]);
  });
});
