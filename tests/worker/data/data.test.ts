/**
 * The Data view's routes: tables and schema from the catalogue, pages (offset, sort, filters), cut
 * text and BLOBs, parameterised edits and SQLite's errors, and names that try to be SQL. Exports, the
 * change token, storage.kv and reset are in data-export.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { ErrorBody } from "../../../shared/api";
import type { RowResponse, RowsQuery, RowsResponse } from "../../../shared/data";
import { json, numbers, onTable, rows, sql, tables } from "../support/data-helpers";
import { api, app, call, createProject } from "../support/helpers";

describe("tables and schema", () => {
  it("lists the app's tables with row counts and explains the internal ones", async () => {
    const p = await createProject("notes");
    await app(p, "/notes", { method: "POST", body: new URLSearchParams({ text: "hello" }) });
    await sql(p, "CREATE TABLE seq (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)");
    await sql(p, "INSERT INTO seq (v) VALUES ('a'), ('b')");
    await sql(p, "CREATE VIEW recent AS SELECT * FROM notes");
    await sql(p, "CREATE VIRTUAL TABLE docs USING fts5(body)");
    const listed = await tables(p);
    expect(listed.tables).toEqual([
      { name: "docs", kind: "virtual", rowCount: 0 },
      { name: "notes", kind: "table", rowCount: 1 },
      { name: "recent", kind: "view", rowCount: null },
      { name: "seq", kind: "table", rowCount: 2 },
    ]);
    const internal = Object.fromEntries(listed.internal.map((t) => [t.name, t]));
    expect(internal.sqlite_sequence?.note).toMatch(/AUTOINCREMENT/);
    expect(internal.docs_data?.note).toMatch(/virtual table docs/);
    expect(internal.sqlite_schema?.readable).toBe(true);
    expect(listed.version).toMatch(/\S/);
  });

  it("describes a table: columns, keys, indexes, foreign keys, triggers", async () => {
    const p = await createProject();
    await sql(p, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, age INT DEFAULT 18)");
    await sql(
      p,
      "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id) ON DELETE CASCADE, body TEXT)",
    );
    await sql(p, "CREATE INDEX posts_user ON posts(user_id, lower(body))");
    await sql(p, "CREATE TRIGGER posts_touch AFTER INSERT ON posts BEGIN SELECT 1; END");
    const schema = await api.call("getTableSchema", onTable(p, "posts"));
    expect(schema.columns.map((c) => [c.name, c.type, c.primaryKey])).toEqual([
      ["id", "INTEGER", 1],
      ["user_id", "INTEGER", 0],
      ["body", "TEXT", 0],
    ]);
    expect(schema.key).toEqual(["rowid"]);
    expect(schema.readOnly).toBeNull();
    expect(schema.indexes).toEqual([
      expect.objectContaining({ name: "posts_user", unique: false, columns: ["user_id", null] }),
    ]);
    expect(schema.foreignKeys).toEqual([
      { columns: ["user_id"], table: "users", to: ["id"], onUpdate: "NO ACTION", onDelete: "CASCADE" },
    ]);
    expect(schema.triggers.map((t) => t.name)).toEqual(["posts_touch"]);
    expect(schema.sql).toMatch(/^CREATE TABLE posts/);
    const users = await api.call("getTableSchema", onTable(p, "USERS"));
    expect(users.name).toBe("users");
    expect(users.columns.find((c) => c.name === "email")).toMatchObject({ notNull: true });
    expect(users.columns.find((c) => c.name === "age")).toMatchObject({ defaultValue: "18" });
    expect(users.indexes[0]).toMatchObject({ unique: true, origin: "u", columns: ["email"] });
  });

  it("names rows by the primary key of a WITHOUT ROWID table, and by _rowid_ when a column is called rowid", async () => {
    const p = await createProject();
    await sql(p, "CREATE TABLE pairs (a TEXT, b INTEGER, v TEXT, PRIMARY KEY (b, a)) WITHOUT ROWID");
    await sql(p, "CREATE TABLE odd (rowid TEXT, v TEXT)");
    await sql(p, "CREATE VIEW v AS SELECT 1 AS one");
    const pairs = await api.call("getTableSchema", onTable(p, "pairs"));
    expect(pairs).toMatchObject({ withoutRowid: true, key: ["b", "a"] });
    const odd = await api.call("getTableSchema", onTable(p, "odd"));
    expect(odd.key).toEqual(["_rowid_"]);
    const view = await api.call("getTableSchema", onTable(p, "v"));
    expect(view).toMatchObject({ kind: "view", key: null, readOnly: expect.stringMatching(/view/) });
  });
});

describe("pages of rows", () => {
  it("counts a view only up to 100,000 rows, so an endless view opens without freezing the runtime", async () => {
    const p = await createProject();
    await sql(
      p,
      "CREATE VIEW many AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 150000) SELECT i FROM s",
    );
    const many = await json<RowsResponse>(await rows(p, "many", { limit: 10 }));
    expect(many).toMatchObject({ total: 100_000, totalCapped: true });
    expect(many.rows.map((r) => r.values[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await sql(
      p,
      "CREATE VIEW endless AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s) SELECT i FROM s",
    );
    const endless = await json<RowsResponse>(await rows(p, "endless", { limit: 5 }));
    expect(endless).toMatchObject({ total: 100_000, totalCapped: true });
    expect(endless.rows).toHaveLength(5);
    await sql(p, "CREATE VIEW few AS SELECT 1 AS one UNION ALL SELECT 2");
    expect(await json<RowsResponse>(await rows(p, "few"))).toMatchObject({ total: 2, totalCapped: false });
  });

  it("sorts, filters and pages an endless view within its first 100,001 rows, so none of them runs it forever", async () => {
    const p = await createProject();
    await sql(
      p,
      "CREATE VIEW endless AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s) SELECT i FROM s",
    );
    const sorted = await json<RowsResponse>(
      await rows(p, "endless", { limit: 3, sort: [{ column: "i", descending: true }] }),
    );
    expect(sorted).toMatchObject({ total: 100_000, totalCapped: true });
    expect(sorted.rows.map((r) => r.values[0])).toEqual([100_001, 100_000, 99_999]);
    // A filter no row of it meets, and a page far past its end: each reads those rows and ends.
    const none = await json<RowsResponse>(
      await rows(p, "endless", { limit: 3, filters: [{ column: "i", op: "lt", value: 0 }] }),
    );
    expect(none).toMatchObject({ total: 0, totalCapped: false, rows: [] });
    const far = await json<RowsResponse>(await rows(p, "endless", { offset: 1_000_000_000, limit: 3 }));
    expect(far.rows).toEqual([]);
  });

  it("pages with LIMIT/OFFSET and counts what matches", async () => {
    const p = await createProject();
    await numbers(p, 1000);
    const first = await json<RowsResponse>(await rows(p, "nums", { limit: 50 }));
    expect(first.total).toBe(1000);
    expect(first.columns.map((c) => c.name)).toEqual(["id", "name", "score"]);
    expect(first.key).toEqual(["rowid"]);
    expect(first.rows).toHaveLength(50);
    expect(first.rows[0]).toEqual({ key: [1], values: [1, "row 1", 1] });
    const last = await json<RowsResponse>(await rows(p, "nums", { offset: 980, limit: 50 }));
    expect(last.rows.map((r) => r.values[0])).toEqual(Array.from({ length: 20 }, (_, i) => 981 + i));
    const empty = await json<RowsResponse>(await rows(p, "nums", { offset: 5000 }));
    expect(empty).toMatchObject({ rows: [], total: 1000 });
  });

  it("sorts by any column, ties broken by the key, NULLs first ascending", async () => {
    const p = await createProject();
    await numbers(p, 100);
    const ascending = await json<RowsResponse>(await rows(p, "nums", { sort: [{ column: "score" }], limit: 12 }));
    expect(ascending.rows.map((r) => r.values[0])).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 7, 14]);
    const descending = await json<RowsResponse>(
      await rows(p, "nums", {
        sort: [
          { column: "score", descending: true },
          { column: "id", descending: true },
        ],
        limit: 3,
      }),
    );
    expect(descending.rows.map((r) => r.values)).toEqual([
      [97, "row 97", 6],
      [83, "row 83", 6],
      [76, "row 76", 6],
    ]);
    // Pages of a sort on a column full of ties never overlap or skip.
    const seen: unknown[] = [];
    for (let offset = 0; offset < 100; offset += 30) {
      const page = await json<RowsResponse>(await rows(p, "nums", { sort: [{ column: "score" }], offset, limit: 30 }));
      seen.push(...page.rows.map((r) => r.values[0]));
    }
    expect(new Set(seen).size).toBe(100);
  });

  it("filters: all must hold; values are bound, NULL compares as a value", async () => {
    const p = await createProject();
    await numbers(p, 100);
    const filtered = async (filters: RowsQuery["filters"]) =>
      (await json<RowsResponse>(await rows(p, "nums", { filters, limit: 500 }))).total;
    expect(await filtered([{ column: "score", op: "isNull" }])).toBe(10);
    expect(await filtered([{ column: "score", op: "eq", value: null }])).toBe(10);
    expect(await filtered([{ column: "score", op: "notNull" }])).toBe(90);
    expect(await filtered([{ column: "score", op: "ge", value: "5" }])).toBe(25);
    expect(await filtered([{ column: "name", op: "contains", value: "ROW 9" }])).toBe(11);
    expect(await filtered([{ column: "name", op: "startsWith", value: "row 1" }])).toBe(12);
    expect(await filtered([{ column: "name", op: "contains", value: "%" }])).toBe(0);
    expect(
      await filtered([
        { column: "id", op: "gt", value: 50 },
        { column: "score", op: "eq", value: 3 },
      ]),
    ).toBe(6);
    const bad = await rows(p, "nums", { filters: [{ column: "id", op: "gt" }] });
    expect((await json<ErrorBody>(bad, 400)).error.message).toMatch(/needs a value/);
  });

  it("cuts long text and shows BLOBs by their first bytes; the cell route gives the whole text", async () => {
    const p = await createProject();
    await sql(p, "CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT, raw BLOB)");
    await sql(p, "INSERT INTO docs (body, raw) VALUES (?, randomblob(100)), ('short', x'00ff'), (NULL, NULL)", [
      "x".repeat(5000),
    ]);
    const page = await json<RowsResponse>(await rows(p, "docs"));
    const [long, short, empty] = page.rows;
    expect(long?.values[1]).toEqual({ text: "x".repeat(1000), length: 5000 });
    expect(long?.values[2]).toMatchObject({ bytes: 100 });
    expect(short?.values).toEqual([2, "short", { blob: "00ff", bytes: 2 }]);
    expect(empty?.values).toEqual([3, null, null]);
    const cell = await api.send("getCell", { ...onTable(p, "docs"), body: { key: [1], column: "body" } });
    expect((await json<{ value: string }>(cell)).value).toHaveLength(5000);
  });
});

describe("edits", () => {
  it("inserts, updates and deletes by key, through bound parameters", async () => {
    const p = await createProject("notes");
    await app(p, "/");
    const inserted = await api.call("insertRow", {
      ...onTable(p, "notes"),
      body: { values: { text: "from the grid" } },
    });
    expect(inserted.row.key).toEqual([1]);
    expect(inserted.row.values[1]).toBe("from the grid");
    expect(inserted.row.values[2]).toMatch(/^\d{4}-/); // the column's default
    const updated = await api.call("updateRow", {
      ...onTable(p, "notes"),
      body: { key: [1], values: { text: 'it\'s "quoted"; DROP TABLE notes; --' } },
    });
    expect(updated.row.values[1]).toBe('it\'s "quoted"; DROP TABLE notes; --');
    expect(await (await app(p, "/api/notes")).json()).toEqual([
      expect.objectContaining({ id: 1, text: 'it\'s "quoted"; DROP TABLE notes; --' }),
    ]);
    const deleted = await api.send("deleteRows", { ...onTable(p, "notes"), body: { keys: [[1], [99]] } });
    expect(await json(deleted)).toEqual({ deleted: 1 });
    expect(await (await app(p, "/api/notes")).json()).toEqual([]);
  });

  it("answers SQLite's error with the column it names; a missing row is a 404", async () => {
    const p = await createProject("notes");
    await app(p, "/notes", { method: "POST", body: new URLSearchParams({ text: "keep me" }) });
    const patch = (json: unknown) =>
      call(api.path("updateRow", { params: { id: p.id, table: "notes" } }), { method: "PATCH", token: p.token, json });
    const notNull = await json<ErrorBody>(await patch({ key: [1], values: { text: null } }), 400);
    expect(notNull.error).toMatchObject({ code: "sql_error", details: { column: "text" } });
    expect(notNull.error.message).toMatch(/NOT NULL constraint failed: notes\.text/);
    expect(await (await app(p, "/api/notes")).json()).toEqual([expect.objectContaining({ text: "keep me" })]);
    const gone = await json<ErrorBody>(await patch({ key: [42], values: { text: "x" } }), 404);
    expect(gone.error.message).toMatch(/deleted meanwhile/);
    const strict = await createProject();
    await sql(strict, "CREATE TABLE s (id INTEGER PRIMARY KEY, n INTEGER) STRICT");
    const typed = await api.send("insertRow", { ...onTable(strict, "s"), body: { values: { n: "many" } } });
    expect((await json<ErrorBody>(typed, 400)).error).toMatchObject({ details: { column: "n" } });
    // A number typed as text goes in as a number: the column's affinity converts it.
    const converted = await api.send("insertRow", { ...onTable(strict, "s"), body: { values: { n: "42" } } });
    expect((await json<RowResponse>(converted, 201)).row.values).toEqual([1, 42]);
  });

  it("edits a WITHOUT ROWID table by its composite key", async () => {
    const p = await createProject();
    await sql(p, "CREATE TABLE pairs (a TEXT, b INTEGER, v TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID");
    await sql(p, "INSERT INTO pairs VALUES ('x', 1, 'one'), ('x', 2, 'two'), ('y', 1, 'three')");
    const page = await json<RowsResponse>(await rows(p, "pairs"));
    expect(page.rows.map((r) => r.key)).toEqual([
      ["x", 1],
      ["x", 2],
      ["y", 1],
    ]);
    await api.call("updateRow", { ...onTable(p, "pairs"), body: { key: ["x", 2], values: { v: "TWO" } } });
    const deleted = await api.send("deleteRows", {
      ...onTable(p, "pairs"),
      body: {
        keys: [
          ["x", 1],
          ["y", 1],
        ],
      },
    });
    expect(await json(deleted)).toEqual({ deleted: 2 });
    const after = await json<RowsResponse>(await rows(p, "pairs"));
    expect(after.rows).toEqual([{ key: ["x", 2], values: ["x", 2, "TWO"] }]);
  });

  it("refuses names that are not in the schema, and edits of views and internal tables", async () => {
    const p = await createProject("notes");
    await app(p, "/");
    await sql(p, 'CREATE TABLE "we""ird name" (v TEXT)');
    await sql(p, "CREATE VIEW v AS SELECT * FROM notes");
    const missing = await api.send("getTableSchema", { ...onTable(p, "notes; DROP TABLE notes") });
    expect((await json<ErrorBody>(missing, 404)).error.message).toMatch(/No table or view/);
    const column = await rows(p, "notes", { sort: [{ column: 'text" DESC; DROP TABLE notes; --' }] });
    expect((await json<ErrorBody>(column, 400)).error.message).toMatch(/has no column/);
    const value = await api.send("insertRow", {
      ...onTable(p, "notes"),
      body: { values: { "text) VALUES ('x'); DROP TABLE notes; --": "x" } },
    });
    expect(value.status).toBe(400);
    const weird = await api.send("insertRow", { ...onTable(p, 'we"ird name'), body: { values: { v: "ok" } } });
    expect(weird.status).toBe(201);
    const view = await api.send("insertRow", { ...onTable(p, "v"), body: { values: {} } });
    expect((await json<ErrorBody>(view, 400)).error.message).toMatch(/view/);
    const internal = await api.send("deleteRows", { ...onTable(p, "sqlite_schema"), body: { keys: [[1]] } });
    expect((await json<ErrorBody>(internal, 400)).error.message).toMatch(/internal table/);
    const kv = await rows(p, "_cf_KV");
    expect((await json<ErrorBody>(kv, 400)).error.message).toMatch(/SQL may not read/);
    expect((await tables(p)).tables.map((t) => t.name)).toContain("notes");
  });
});
