/**
 * The terminal's plain modules (statement splitting, key parsing, line editing, table formatting),
 * loaded from the dev server into the page as Vite serves them and called there. (Importing client
 * files straight into this Node-side spec would put them in the tests' TypeScript project, which
 * does not include client/; the shapes used are declared below instead.)
 */
import { expect, type Page, test } from "@playwright/test";

type SqlValue = string | number | null | { blob: string; bytes: number };
interface SqlResult {
  columns: string[];
  rows: SqlValue[][];
  rowsRead: number;
  rowsWritten: number;
  durationMs: number;
  truncated: boolean;
  totalRows: number;
}
interface Modules {
  split: {
    isComplete(text: string): boolean;
    splitStatements(text: string): { statements: string[]; rest: string };
    collapse(text: string): string;
  };
  keys: { parseKeys(data: string): unknown[] };
  editor: {
    LineEditor: new (
      history: unknown,
    ) => { handle(key: unknown): unknown; line: string; beforeCursor: string; prompt: string; isEmpty: boolean };
  };
  history: { memoryHistory(initial?: string[]): unknown };
  format: { formatResult(result: SqlResult, cols: number): string[] };
  ansi: { stripAnsi(text: string): string; displayWidth(text: string): number };
}

test.beforeEach(async ({ page }) => {
  await page.goto("/");
  await page.evaluate(async () => {
    const load = (path: string) => import(/* @vite-ignore */ path);
    const modules = {
      split: await load("/client/terminal/sql-split.ts"),
      keys: await load("/client/terminal/keys.ts"),
      editor: await load("/client/terminal/line-editor.ts"),
      history: await load("/client/terminal/history-store.ts"),
      format: await load("/client/terminal/sql-format.ts"),
      ansi: await load("/client/terminal/ansi.ts"),
    };
    Object.assign(window, { __modules: modules });
  });
});

/** Runs `fn` in the page with the modules; `fn` must be self-contained (it is serialized). */
function run<A, R>(page: Page, fn: (m: Modules, arg: A) => R, arg: A): Promise<R> {
  return page.evaluate(
    ([source, a]) => {
      const m = (window as unknown as { __modules: Modules }).__modules;
      // The test's own function, sent to the page as text (page.evaluate only passes one argument).
      return new Function("m", "a", `return (${source})(m, a);`)(m, a);
    },
    [fn.toString(), arg] as const,
  ) as Promise<R>;
}

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
  test("a statement ends at a semicolon outside quotes and comments", async ({ page }) => {
    const inputs = [
      "SELECT 1",
      "SELECT 1;",
      "SELECT ';'",
      "SELECT 'it''s;'",
      "SELECT 'it''s';",
      'SELECT "a;b" FROM t;',
      "SELECT 1 -- done;",
      "SELECT 1; -- trailing comment",
      "SELECT /* ; */ 1",
    ];
    const complete = await run(page, (m, list) => list.map((t) => m.split.isComplete(t)), inputs);
    expect(complete).toEqual([false, true, false, false, true, true, false, true, false]);
  });

  test("several statements on one line run in order, and trigger bodies stay whole", async ({ page }) => {
    const trigger = "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; DELETE FROM u;";
    const out = await run(
      page,
      (m, t) => ({
        two: m.split.splitStatements("CREATE TABLE t(a); INSERT INTO t VALUES (1);").statements,
        open: m.split.isComplete(t),
        closed: m.split.splitStatements(`${t} END;`).statements.length,
      }),
      trigger,
    );
    expect(out).toEqual({ two: ["CREATE TABLE t(a);", "INSERT INTO t VALUES (1);"], open: false, closed: 1 });
  });

  test("history keeps a multi-line statement as one line without comments", async ({ page }) => {
    const out = await run(
      page,
      (m) => [m.split.collapse("SELECT a, -- the a\n  b\nFROM t;"), m.split.collapse("SELECT 'x\ny';")],
      null,
    );
    expect(out).toEqual(["SELECT a, b FROM t;", "SELECT 'x\ny';"]);
  });
});

test("keys: escape sequences and pasted text", async ({ page }) => {
  const out = await run(page, (m) => [m.keys.parseKeys("\x1b[A\x1b[1;5D\x7f"), m.keys.parseKeys("ab c\r\ndef")], null);
  expect(out).toEqual([
    [{ type: "up" }, { type: "word-left" }, { type: "backspace" }],
    [{ type: "char", text: "ab c" }, { type: "enter" }, { type: "char", text: "def" }],
  ]);
});

test.describe("line editor", () => {
  test("a statement continues until it ends with a semicolon; dot commands end with the line", async ({ page }) => {
    const out = await run(
      page,
      (m) => {
        const editor = new m.editor.LineEditor(m.history.memoryHistory());
        const type = (data: string) => m.keys.parseKeys(data).map((k) => editor.handle(k));
        const first = type("SELECT 1\r").at(-1);
        const prompt = editor.prompt;
        const second = type("+ 1;\r").at(-1);
        const dot = type(".tables\r").at(-1);
        return { first, prompt, second, after: editor.prompt, dot };
      },
      null,
    );
    expect(out).toEqual({
      first: { type: "none" },
      prompt: "...> ",
      second: { type: "submit", text: "SELECT 1\n+ 1;", lines: ["SELECT 1", "+ 1;"] },
      after: "sql> ",
      dot: { type: "submit", text: ".tables", lines: [".tables"] },
    });
  });

  test("Up and Down walk the history and come back to the draft", async ({ page }) => {
    const out = await run(
      page,
      (m) => {
        const editor = new m.editor.LineEditor(m.history.memoryHistory(["SELECT 1;", "SELECT 2;"]));
        const type = (data: string) => m.keys.parseKeys(data).map((k) => editor.handle(k));
        const seen: string[] = [];
        type("draft");
        type("\x1b[A");
        seen.push(editor.line);
        type("\x1b[A\x1b[A");
        seen.push(editor.line);
        type("\x1b[B\x1b[B");
        seen.push(editor.line);
        return seen;
      },
      null,
    );
    expect(out).toEqual(["SELECT 2;", "SELECT 1;", "draft"]);
  });

  test("editing keys move and cut by character and word", async ({ page }) => {
    const out = await run(
      page,
      (m) => {
        const editor = new m.editor.LineEditor(m.history.memoryHistory());
        const type = (data: string) => m.keys.parseKeys(data).map((k) => editor.handle(k));
        const seen: (string | boolean)[] = [];
        type("SELECT name FROM t");
        type("\x17"); // Ctrl+W
        seen.push(editor.line);
        type("\x01\x1b[1;5C"); // Ctrl+A, Ctrl+Right
        seen.push(editor.beforeCursor);
        type("\x0b"); // Ctrl+K
        seen.push(editor.line);
        type("\x03"); // Ctrl+C
        seen.push(editor.isEmpty);
        return seen;
      },
      null,
    );
    expect(out).toEqual(["SELECT name FROM ", "SELECT", "SELECT", true]);
  });
});

test.describe("result tables", () => {
  const format = (page: Page, r: SqlResult, cols: number) =>
    run(page, (m, [res, c]) => m.format.formatResult(res, c).map((l) => m.ansi.stripAnsi(l)), [r, cols] as const);

  test("a box table with NULL, blob and numbers, and a row count", async ({ page }) => {
    const lines = await format(
      page,
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

  test("long values are cut to fit the terminal, and line breaks stay on one row", async ({ page }) => {
    const lines = await format(
      page,
      result({ columns: ["a", "b"], rows: [["x".repeat(500), "one\ntwo"]], totalRows: 1 }),
      50,
    );
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(50);
    expect(lines[3]).toContain("…");
    expect(lines[3]).toContain("one↵two");
  });

  test("a cut result says how many rows were left out", async ({ page }) => {
    const lines = await format(
      page,
      result({ columns: ["x"], rows: [[1]], truncated: true, totalRows: 600, durationMs: 3 }),
      80,
    );
    expect(lines.at(-2)).toBe("600 rows · 3 ms");
    expect(lines.at(-1)).toContain("599 more rows not shown");
  });

  test("statements without columns report what they wrote", async ({ page }) => {
    expect(await format(page, result({ rowsWritten: 2, durationMs: 1.4 }), 80)).toEqual(["OK · 2 written · 1 ms"]);
  });
});
