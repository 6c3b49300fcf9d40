import { describe, expect, it } from "vitest";
import {
  displayOf,
  editedValue,
  editTextOf,
  formatBytes,
  keyId,
  shortSqlError,
} from "../../../client/data/grid/cell-format";
import { parseFilter, typedValue } from "../../../client/data/grid/filter-syntax";

describe("what a filter box means", () => {
  it("plain text searches, a leading operator compares", () => {
    expect(parseFilter("name", "  ")).toBeNull();
    expect(parseFilter("name", "ada")).toEqual({ column: "name", op: "contains", value: "ada" });
    expect(parseFilter("n", "=5")).toEqual({ column: "n", op: "eq", value: 5 });
    expect(parseFilter("n", ">= 10")).toEqual({ column: "n", op: "ge", value: 10 });
    expect(parseFilter("n", "<2")).toEqual({ column: "n", op: "lt", value: 2 });
    expect(parseFilter("s", "!=draft")).toEqual({ column: "s", op: "ne", value: "draft" });
    expect(parseFilter("s", "<>draft")).toEqual({ column: "s", op: "ne", value: "draft" });
    expect(parseFilter("s", "^pre")).toEqual({ column: "s", op: "startsWith", value: "pre" });
    expect(parseFilter("s", "NULL")).toEqual({ column: "s", op: "isNull" });
    expect(parseFilter("s", "!null")).toEqual({ column: "s", op: "notNull" });
    expect(parseFilter("s", "= null")).toEqual({ column: "s", op: "eq", value: null });
  });

  it("numbers only when written as one; quotes keep text", () => {
    expect(typedValue("42")).toBe(42);
    expect(typedValue("-1.5")).toBe(-1.5);
    expect(typedValue("007")).toBe("007");
    expect(typedValue("1e3")).toBe("1e3");
    expect(typedValue("'42'")).toBe("42");
    expect(typedValue('""')).toBe("");
  });
});

describe("values in the grid", () => {
  it("tells NULL, numbers, text, cut text and BLOBs apart", () => {
    expect(displayOf(null)).toEqual({ kind: "null" });
    expect(displayOf(3)).toEqual({ kind: "number", text: "3" });
    expect(displayOf("")).toEqual({ kind: "text", text: "" });
    expect(displayOf({ text: "abc", length: 5000 })).toEqual({ kind: "long", text: "abc", length: 5000 });
    expect(displayOf({ blob: "00ff", bytes: 2 })).toEqual({ kind: "blob", text: "00ff", bytes: 2 });
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2.0 KB");
  });

  it("edits text; keeps a number a number only in a column without a type", () => {
    expect(editTextOf(null)).toBe("");
    expect(editTextOf(12)).toBe("12");
    expect(editTextOf({ blob: "00", bytes: 1 })).toBeNull();
    expect(editedValue("42", "INTEGER", 1)).toBe("42");
    expect(editedValue("42", "", 1)).toBe(42);
    expect(editedValue("42", "", "x")).toBe("42");
    expect(editedValue("4 2", "", 1)).toBe("4 2");
  });

  it("drops the runtime's result code from SQLite's message; keys are stable ids", () => {
    expect(
      shortSqlError("NOT NULL constraint failed: notes.text: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_NOTNULL)"),
    ).toBe("NOT NULL constraint failed: notes.text");
    expect(shortSqlError("no such column: x: SQLITE_ERROR")).toBe("no such column: x");
    expect(keyId([1], 5)).toBe("[1]");
    expect(keyId(["a", 2], 5)).toBe('["a",2]');
    expect(keyId(null, 5)).toBe("#5");
  });
});
