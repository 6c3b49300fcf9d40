/**
 * Pieces of the app's runtime (server/app-runtime/) that need no isolate, imported as they are:
 * how output becomes log lines, what names a request in a marker, the meter's counting, the SQL
 * console's and the Data view's answers, the dump's table filter and what an export is. (Everything
 * together, in an app's isolate, is what the worker tests drive.)
 */

import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { quote, skippedTables } from "../../../../server/app-runtime/data/dump";
import { describeValue, isPlain, kvCall, typeOf } from "../../../../server/app-runtime/data/kv";
import { encodeValue, runSql } from "../../../../server/app-runtime/data/sql-console";
import { clip, describeError, formatPart } from "../../../../server/app-runtime/logs/log-lines";
import {
  type Cursor,
  DatabaseSizeLimitError,
  keep,
  type Meter,
  meterFor,
  meterOf,
  type Native,
  newMeter,
  refuseIfWrite,
  take,
  wrote,
} from "../../../../server/app-runtime/meter/meter-counts";
import { pathOf } from "../../../../server/app-runtime/protocol";
import { shapeOf, shapesOf } from "../../../../server/app-runtime/shapes";

describe("log lines", () => {
  it("cut a message past 8,000 characters, and format what console gets", () => {
    expect(clip("x".repeat(8_001))).toHaveLength(8_001);
    expect(clip("x".repeat(8_001)).endsWith("x…")).toBe(true);
    expect(formatPart("text")).toBe("text");
    expect(formatPart({ a: [1] })).toBe('{"a":[1]}');
    expect(formatPart(undefined)).toBe("undefined");
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(formatPart(circular)).toBe("[object Object]");
    expect(formatPart(new TypeError("bad"))).toMatch(/^TypeError: bad\n/);
  });

  it("describe an error without the frames of the IDE's modules", () => {
    const error = new Error("boom");
    error.stack = "Error: boom\n    at run (__facet_ide_app-class.js:3:1)\n    at fetch (app.js:7:9)";
    expect(describeError(error)).toEqual({
      name: "Error",
      message: "boom",
      stack: "Error: boom\n    at fetch (app.js:7:9)",
    });
    expect(describeError("plain")).toMatchObject({ name: "Error", message: "plain" });
  });

  it("name a request in a marker by its path and query", () => {
    expect(pathOf("https://p.localhost/a/b?c=1")).toBe("/a/b?c=1");
    expect(pathOf("https://p.localhost")).toBe("/");
  });
});

/** A cursor as the meter sees it through the runtime's getters (faked here). */
interface FakeCursor {
  columns: string[];
  read: number;
  written: number;
}
const fakeNative = (sql: { size: number }): Native => ({
  exec: () => {
    throw new Error("not run here");
  },
  columnNames: (cursor) => (cursor as unknown as FakeCursor).columns,
  rowsRead: (cursor) => (cursor as unknown as FakeCursor).read,
  rowsWritten: (cursor) => (cursor as unknown as FakeCursor).written,
  databaseSize: () => sql.size,
});

function fakeMeter(cap = 1_000_000): { meter: Meter; sql: { size: number } } {
  const sql = { size: 4096 };
  const reports: unknown[] = [];
  const meter = newMeter(
    fakeNative(sql),
    sql as unknown as SqlStorage,
    cap,
    { report: async (r) => reports.push(r) },
    null,
  );
  // As if a report were due already: nothing is scheduled while the test counts.
  meter.timer = 0;
  return { meter, sql };
}
const cursor = (columns: string[], read = 0, written = 0) => ({ columns, read, written }) as FakeCursor;
const asCursor = (c: FakeCursor) => c as unknown as Cursor;

describe("the meter's counting", () => {
  it("counts a statement without result columns at once, and a query's rows as they are read", () => {
    const { meter } = fakeMeter();
    keep(meter, asCursor(cursor([], 0, 3)), 3);
    const query = cursor(["id"]);
    keep(meter, asCursor(query), 0);
    expect(take(meter)).toEqual({
      rowsRead: 0,
      rowsWritten: 3,
      wsIn: 0,
      wsOut: 0,
      writesRefused: 0,
      databaseBytes: 4096,
    });
    query.read = 5;
    expect(take(meter)?.rowsRead).toBe(5);
    query.read = 7;
    expect(take(meter)?.rowsRead).toBe(2);
    // Unchanged twice, the cursor is forgotten; nothing new is no report.
    expect(take(meter)).toBeNull();
    expect(meter.cursors.size).toBe(1);
    take(meter);
    expect(meter.cursors.size).toBe(0);
  });

  it("names a Worker project's object in its reports, and finds an instance's meter by its storage objects", () => {
    const { meter } = fakeMeter();
    meter.object = "f".repeat(64);
    meter.wsIn = 2;
    expect(take(meter)).toMatchObject({ wsIn: 2, object: "f".repeat(64) });
    const ctx = {};
    const storage = {};
    meterFor([ctx, storage], meter);
    expect(meterOf(ctx)).toBe(meter);
    expect(meterOf(storage)).toBe(meter);
    expect(meterOf({})).toBeUndefined();
    expect(meterOf("ctx")).toBeUndefined();
  });

  it("refuses writes once the database is at its limit, and lets reads and deletes run", () => {
    const { meter, sql } = fakeMeter(1_000_000);
    wrote(meter, 1); // one row could add 4 MB: the size is read again
    expect(meter.overCap).toBe(false);
    sql.size = 1_000_000;
    wrote(meter, 1);
    expect(meter.overCap).toBe(true);
    expect(() => refuseIfWrite(meter, "read")).not.toThrow();
    expect(() => refuseIfWrite(meter, "delete")).not.toThrow();
    expect(() => refuseIfWrite(meter, "write")).toThrow(DatabaseSizeLimitError);
    expect(() => refuseIfWrite(meter, "write")).toThrow(/at its size limit: 1\.0 MiB of 1\.0 MiB \(databaseBytes\)/);
    expect(take(meter)?.writesRefused).toBe(2);
    expect(new DatabaseSizeLimitError("x").name).toBe("DatabaseSizeLimitError");
  });
});

describe("the SQL console's answer", () => {
  it("encodes a BLOB as the hex of its first 32 bytes and its length", () => {
    expect(encodeValue(new Uint8Array([1, 255, 16]).buffer)).toEqual({ blob: "01ff10", bytes: 3 });
    expect(encodeValue(new Uint8Array(40).buffer)).toEqual({ blob: "00".repeat(32), bytes: 40 });
    expect(encodeValue("text")).toBe("text");
  });

  it("keeps the first maxRows rows and counts the rest", () => {
    const rows = Array.from({ length: 5 }, (_, i) => [i, `r${i}`]);
    const sql = {
      exec: (query: string, ...params: unknown[]) => {
        expect([query, params]).toEqual(["SELECT * FROM t WHERE a > ?", [0]]);
        return { columnNames: ["a", "b"], raw: () => rows.values(), rowsRead: 5, rowsWritten: 0 };
      },
    };
    const answer = runSql(sql as unknown as SqlStorage, "SELECT * FROM t WHERE a > ?", [0], 2);
    expect(answer).toMatchObject({
      columns: ["a", "b"],
      rows: [
        [0, "r0"],
        [1, "r1"],
      ],
      rowsRead: 5,
      truncated: true,
      totalRows: 5,
      totalRowsExact: true,
    });
  });
});

describe("the Data view's storage.kv", () => {
  it("tells JSON data it can edit from values JSON would change", () => {
    expect(isPlain({ a: [1, "x", null, true] }, 0)).toBe(true);
    expect(isPlain(Object.create(null), 0)).toBe(true);
    expect(isPlain({ a: new Date(0) }, 0)).toBe(false);
    expect(isPlain(Number.NaN, 0)).toBe(false);
    expect(typeOf([])).toBe("array");
    expect(typeOf(new Map())).toBe("Map");
    expect(typeOf({})).toBe("object");
    expect(typeOf(1n)).toBe("bigint");
    expect(describeValue(1n)).toBe("1n");
    expect(describeValue(new Map([["k", 1]]))).toBe('Map(1) [["k",1]]');
    expect(describeValue(new Uint8Array([1, 2]))).toBe("2 bytes: 0102");
    expect(describeValue(undefined)).toBe("undefined");
  });

  it("lists a page of pairs after a key, puts and deletes", () => {
    const pairs = new Map<string, unknown>([
      ["a", 1],
      ["b", { x: "y".repeat(2_000) }],
      ["c", new Set([1])],
    ]);
    const kv = {
      put: (key: string, value: unknown) => pairs.set(key, value),
      delete: (key: string) => pairs.delete(key),
      list: ({ limit, startAfter }: { limit: number; startAfter?: string }) =>
        [...pairs].filter(([key]) => startAfter === undefined || key > startAfter).slice(0, limit),
    } as unknown as SyncKvStorage;
    const page = kvCall(kv, { op: "list", startAfter: "a", limit: 1 });
    expect(page).toEqual({
      entries: [{ key: "b", type: "object", preview: expect.stringMatching(/^\{"x":"y+$/), json: false }],
      more: true,
    });
    expect(page !== null && typeof page === "object" && page.entries[0]?.preview).toHaveLength(1_000);
    expect(kvCall(kv, { op: "put", key: "d", value: 4 })).toBeNull();
    expect(kvCall(kv, { op: "delete", keys: ["a", "zz", "d"] })).toBe(2);
    expect(kvCall(kv, { op: "list", limit: 5 })).toMatchObject({
      entries: [{ key: "b" }, { key: "c", type: "Set", preview: "Set(1) [1]", json: false }],
      more: false,
    });
  });
});

describe("the dump", () => {
  it("quotes names for SQL", () => {
    expect(quote('a"b')).toBe('"a""b"');
  });

  it("leaves out the runtime's tables and virtual tables' shadow tables", () => {
    const withTableList = {
      exec: (query: string) => {
        expect(query).toBe("PRAGMA table_list");
        return [
          { type: "shadow", name: "docs_data" },
          { type: "table", name: "users" },
        ];
      },
    } as unknown as SqlStorage;
    const skipped = skippedTables(withTableList);
    expect(["sqlite_sequence", "_cf_KV", "docs_data", "users"].map(skipped)).toEqual([true, true, true, false]);
    // Without PRAGMA table_list: every table named after a virtual table and "_".
    const older = {
      exec: (query: string) => {
        if (query.startsWith("PRAGMA")) throw new Error("no such pragma");
        return [{ name: "docs" }];
      },
    } as unknown as SqlStorage;
    expect(["docs_config", "docs", "users"].map(skippedTables(older))).toEqual([true, false, false]);
  });
});

describe("what an export of the app's module is", () => {
  it("tells Durable Objects, the older style of class, Workers and the rest apart", () => {
    class Room extends DurableObject {}
    class Chat {
      fetch() {}
    }
    class Plain {}
    class Entry extends WorkerEntrypoint {}
    expect(shapeOf(Room)).toBe("durable-object");
    expect(shapeOf(Chat)).toBe("plain-class");
    expect(shapeOf(Plain)).toBe("class");
    expect(shapeOf(Entry)).toBe("worker");
    expect(shapeOf({ fetch() {} })).toBe("worker");
    expect(shapeOf(() => 1)).toBe("function");
    expect(shapeOf(function named() {})).toBe("function");
    expect(shapeOf(42)).toBe("other");
    expect(shapesOf({ Room, x: 1 })).toEqual({ Room: "durable-object", x: "other" });
  });
});
