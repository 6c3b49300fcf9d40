import { describe, expect, it } from "vitest";
import { collapse, isBlank, isComplete, splitStatements } from "../../../client/terminal/sql-split";

describe("statement splitting", () => {
  it("a statement ends at a semicolon outside quotes and comments", () => {
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
    expect(inputs.map(isComplete)).toEqual([false, true, false, false, true, true, false, true, false]);
  });

  it("several statements on one line run in order, and trigger bodies stay whole", () => {
    const trigger = "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; DELETE FROM u;";
    expect(splitStatements("CREATE TABLE t(a); INSERT INTO t VALUES (1);").statements).toEqual([
      "CREATE TABLE t(a);",
      "INSERT INTO t VALUES (1);",
    ]);
    expect(isComplete(trigger)).toBe(false);
    expect(splitStatements(`${trigger} END;`).statements).toHaveLength(1);
  });

  it("identifiers in brackets and backticks hide semicolons too; the rest is kept", () => {
    expect(splitStatements("SELECT [a;b], `c;d` FROM t; SELECT").statements).toEqual(["SELECT [a;b], `c;d` FROM t;"]);
    expect(splitStatements("SELECT 1; SELECT").rest).toBe(" SELECT");
    expect(isBlank("  -- only a comment\n/* and another */ ")).toBe(true);
  });

  it("history keeps a multi-line statement as one line without comments", () => {
    expect(collapse("SELECT a, -- the a\n  b\nFROM t;")).toBe("SELECT a, b FROM t;");
    expect(collapse("SELECT 'x\ny';")).toBe("SELECT 'x\ny';");
  });
});
