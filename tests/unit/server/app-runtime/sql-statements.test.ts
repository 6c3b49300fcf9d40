import { describe, expect, it } from "vitest";
import { type SqlPiece as Piece, splitSqlStatements } from "../../../../server/app-runtime/data/sql-statements";

function pieces(sql: string): Piece[] {
  const out = splitSqlStatements(sql);
  return Array.from({ length: out.length }, (_, i) => ({ ...(out[i] as Piece) }));
}
const texts = (sql: string) => pieces(sql).map((p) => p.text);
const kinds = (sql: string) => pieces(sql).map((p) => p.kind);

describe("splitting SQL into the statements workerd runs one by one", () => {
  it("keeps a single statement whole, trailing semicolon and blanks included", () => {
    expect(texts("SELECT 1")).toEqual(["SELECT 1"]);
    expect(texts("SELECT 1;  \n ")).toEqual(["SELECT 1;  \n "]);
    expect(texts("")).toEqual([""]);
  });

  it("splits at top-level semicolons and puts the pieces back together exactly", () => {
    const sql = "CREATE TABLE a (x); INSERT INTO a VALUES (1);\nSELECT * FROM a";
    expect(texts(sql)).toEqual(["CREATE TABLE a (x);", " INSERT INTO a VALUES (1);", "\nSELECT * FROM a"]);
    expect(texts(sql).join("")).toBe(sql);
  });

  it("does not split inside strings, quoted names or comments", () => {
    expect(texts("INSERT INTO t VALUES ('a;b', 'it''s; fine')")).toHaveLength(1);
    expect(texts('SELECT "x;y", `p;q`, [r;s] FROM t')).toHaveLength(1);
    expect(texts("SELECT 1 -- not; here\n, 2")).toHaveLength(1);
    expect(texts("SELECT 1 /* not; here */")).toHaveLength(1);
  });

  it("keeps a trigger body whole until '; END ;', even with CASE ... END inside", () => {
    const trigger =
      "CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET v = CASE WHEN new.id > 1 THEN 'a' END; SELECT 1; END;";
    expect(texts(`${trigger} SELECT 5`)).toEqual([trigger, " SELECT 5"]);
    expect(texts("EXPLAIN CREATE TRIGGER x AFTER DELETE ON t BEGIN DELETE FROM u; END; SELECT 1")).toHaveLength(2);
  });

  it("marks empty statements, parameters and trailing comments as workerd sees them", () => {
    const p = pieces("SELECT 1;; SELECT ?; -- done");
    expect(p.map((x) => x.empty)).toEqual([false, true, false, true]);
    expect(p.map((x) => x.hasParams)).toEqual([false, false, true, false]);
    expect(pieces("SELECT :name, @a, $b").map((x) => x.hasParams)).toEqual([true]);
    expect(pieces("SELECT 'a?b', \"$c\"").map((x) => x.hasParams)).toEqual([false]);
  });

  it("tells reads, deletes and writes apart, WITH included", () => {
    expect(kinds("select 1; values (2); pragma table_list; explain insert into t values (1)")).toEqual([
      "read",
      "read",
      "read",
      "read",
    ]);
    expect(kinds("DELETE FROM t; DROP TABLE t")).toEqual(["delete", "delete"]);
    expect(
      kinds("INSERT INTO t VALUES (1); UPDATE t SET a = 1; REPLACE INTO t VALUES (2); CREATE TABLE u (x)"),
    ).toEqual(["write", "write", "write", "write"]);
    expect(
      kinds("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT x FROM c"),
    ).toEqual(["read"]);
    expect(kinds("WITH c AS (SELECT 1 AS x) INSERT INTO t SELECT x FROM c")).toEqual(["write"]);
    expect(kinds("WITH c AS (SELECT 1 AS x) DELETE FROM t WHERE a IN (SELECT x FROM c)")).toEqual(["delete"]);
    expect(kinds("(SELECT 1)")).toEqual(["write"]);
  });

  it("keeps working when the app has replaced String.prototype methods", () => {
    const original = String.prototype.indexOf;
    const originalSlice = String.prototype.slice;
    try {
      String.prototype.indexOf = () => -1;
      String.prototype.slice = () => "";
      expect(texts("INSERT INTO t VALUES (1); SELECT 2")).toEqual(["INSERT INTO t VALUES (1);", " SELECT 2"]);
    } finally {
      String.prototype.indexOf = original;
      String.prototype.slice = originalSlice;
    }
  });

  it("is not fooled by a setter the app put on Object.prototype", () => {
    Object.defineProperty(Object.prototype, "0", { set() {}, configurable: true });
    try {
      expect(texts("SELECT 1; SELECT 2")).toHaveLength(2);
    } finally {
      delete (Object.prototype as Record<string, unknown>)["0"];
    }
  });
});
