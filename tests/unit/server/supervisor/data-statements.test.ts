import { describe, expect, it } from "vitest";
import { csvField, encoderFor } from "../../../../server/supervisor/data/export-format";
import {
  decodeExportRow,
  decodeRow,
  deleteRows,
  exportChunk,
  insertRow,
  selectPage,
  updateRow,
} from "../../../../server/supervisor/data/statements";
import {
  columnIn,
  quoteName,
  rowKeyOf,
  shapeOf,
  type TableShape,
} from "../../../../server/supervisor/data/table-shape";
import type { ColumnInfo } from "../../../../shared/data";

const column = (name: string, extra: Partial<ColumnInfo> = {}): unknown[] => [
  name,
  extra.type ?? "TEXT",
  extra.notNull ? 1 : 0,
  extra.defaultValue ?? null,
  extra.primaryKey ?? 0,
  extra.generated ? 2 : 0,
];

const notes: TableShape = shapeOf(
  {
    name: "notes",
    type: "table",
    withoutRowid: false,
    strict: false,
    columns: [column("id", { type: "INTEGER", primaryKey: 1 }), column("text"), column("len", { generated: true })],
  },
  false,
);

describe("names in statements", () => {
  it("quotes identifiers, doubling quotes", () => {
    expect(quoteName("plain")).toBe('"plain"');
    expect(quoteName('we"ird; DROP TABLE x')).toBe('"we""ird; DROP TABLE x"');
  });

  it("only ever writes the catalogue's spelling of a column, whatever case the caller used", () => {
    const page = selectPage(notes, { offset: 0, limit: 10, sort: [{ column: "TEXT", descending: true }], filters: [] });
    expect(page.sql).toContain('ORDER BY "text" DESC, rowid ASC');
    expect(() => selectPage(notes, { offset: 0, limit: 10, sort: [{ column: 'text" --' }], filters: [] })).toThrow(
      /has no column "text\\" --"/,
    );
  });
});

describe("the row key", () => {
  it("is the rowid unless a column takes the name, then _rowid_, then oid, then the primary key", () => {
    expect(rowKeyOf("table", false, [{ name: "id", primaryKey: 1 }])).toEqual({ key: ["rowid"], keyIsRowid: true });
    expect(rowKeyOf("table", false, [{ name: "ROWID", primaryKey: 0 }]).key).toEqual(["_rowid_"]);
    const shadowed = [
      { name: "rowid", primaryKey: 0 },
      { name: "_rowid_", primaryKey: 0 },
      { name: "oid", primaryKey: 0 },
    ];
    expect(rowKeyOf("table", false, shadowed).key).toBeNull();
    expect(rowKeyOf("table", false, [...shadowed, { name: "k", primaryKey: 1 }]).key).toEqual(["k"]);
    expect(
      rowKeyOf("table", true, [
        { name: "b", primaryKey: 2 },
        { name: "a", primaryKey: 1 },
      ]).key,
    ).toEqual(["a", "b"]);
    expect(rowKeyOf("view", false, [{ name: "id", primaryKey: 0 }]).key).toBeNull();
  });
});

describe("pages", () => {
  it("binds every filter value and escapes LIKE's wildcards", () => {
    const page = selectPage(notes, {
      offset: 20,
      limit: 10,
      sort: [],
      filters: [
        { column: "text", op: "contains", value: "50%_off\\" },
        { column: "id", op: "eq", value: null },
        { column: "id", op: "ge", value: 3 },
        { column: "text", op: "notNull" },
      ],
    });
    expect(page.sql).toMatch(
      /WHERE "text" LIKE \? ESCAPE '\\' AND "id" IS \? AND "id" >= \? AND "text" IS NOT NULL ORDER BY rowid ASC LIMIT \? OFFSET \?$/,
    );
    expect(page.params).toEqual(["%50\\%\\_off\\\\%", null, 3, 10, 20]);
  });

  it("decodes cut text and leaves a row whose key is a BLOB without a key", () => {
    expect(decodeRow(notes, [7, 7, "abc", 3, "1:5000"])).toEqual({
      key: [7],
      values: [7, { text: "abc", length: 5000 }, 3],
    });
    const blobKeyed = shapeOf(
      {
        name: "b",
        type: "table",
        withoutRowid: true,
        strict: false,
        columns: [column("k", { type: "BLOB", primaryKey: 1 })],
      },
      false,
    );
    expect(decodeRow(blobKeyed, [{ blob: "00", bytes: 1 }, { blob: "00", bytes: 1 }, ""]).key).toBeNull();
  });
});

describe("edits", () => {
  it("insert, update and delete bind their values and refuse generated columns", () => {
    expect(insertRow(notes, {}).sql).toMatch(/^INSERT INTO "notes" DEFAULT VALUES RETURNING rowid, /);
    const insert = insertRow(notes, { text: "hi", ID: 4 });
    expect(insert.sql).toMatch(/^INSERT INTO "notes" \("text", "id"\) VALUES \(\?, \?\) RETURNING/);
    expect(insert.params).toEqual(["hi", 4]);
    const update = updateRow(notes, [4], { text: true });
    expect(update.sql).toMatch(/^UPDATE "notes" SET "text" = \? WHERE rowid = \? RETURNING/);
    expect(update.params).toEqual([1, 4]);
    expect(() => updateRow(notes, [4], { len: 1 })).toThrow(/generated/);
    expect(() => updateRow(notes, [4, 5], { text: "x" })).toThrow(/named by 1 value/);
    const removal = deleteRows(notes, [[1], [2]]);
    expect(removal).toEqual({
      sql: 'DELETE FROM "notes" WHERE rowid IN (SELECT value FROM json_each(?)) RETURNING 1',
      params: ["[1,2]"],
    });
  });

  it("a composite key travels as JSON pairs in one parameter", () => {
    const pairs = shapeOf(
      {
        name: "pairs",
        type: "table",
        withoutRowid: true,
        strict: false,
        columns: [column("a", { primaryKey: 1 }), column("b", { primaryKey: 2 })],
      },
      false,
    );
    const removal = deleteRows(pairs, [["x", 1]]);
    expect(removal.sql).toContain(
      `("a", "b") IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))`,
    );
    expect(removal.params).toEqual(['[["x",1]]']);
  });

  it("finds the column SQLite's message names", () => {
    expect(columnIn("NOT NULL constraint failed: notes.text: SQLITE_CONSTRAINT", notes)).toBe("text");
    expect(columnIn("UNIQUE constraint failed: NOTES.ID", notes)).toBe("id");
    expect(columnIn("FOREIGN KEY constraint failed", notes)).toBeUndefined();
    expect(columnIn("NOT NULL constraint failed: other.text", notes)).toBeUndefined();
  });
});

describe("exports", () => {
  it("pages by key after the first chunk, and decodes BLOBs whole", () => {
    expect(exportChunk(notes, { offset: 0 }, 500).sql).toMatch(/ORDER BY rowid LIMIT \? OFFSET \?$/);
    const next = exportChunk(notes, { after: [500] }, 500);
    expect(next.sql).toMatch(/WHERE rowid > \? ORDER BY rowid LIMIT \?$/);
    expect(next.params).toEqual([500, 500]);
    expect(decodeExportRow(notes, [1, 1, { blob: "00", bytes: 40 }, 3, `1:${"AB".repeat(40)}`]).values).toEqual([
      1,
      { blob: "ab".repeat(40), bytes: 40 },
      3,
    ]);
  });

  it("CSV tells NULL from '' and quotes what needs it; JSON is an array of objects", () => {
    expect([null, "", "a,b", 'say "hi"', "two\nlines", 1.5, { blob: "00ff", bytes: 2 }].map(csvField)).toEqual([
      "",
      '""',
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      "1.5",
      "X'00FF'",
    ]);
    const json = encoderFor("json");
    const text = json.start(["a", "b"]) + json.rows([[1, null]]) + json.rows([["x", 2]]) + json.end();
    expect(JSON.parse(text)).toEqual([
      { a: 1, b: null },
      { a: "x", b: 2 },
    ]);
    const empty = encoderFor("json");
    expect(JSON.parse(empty.start(["a"]) + empty.end())).toEqual([]);
  });
});
