/**
 * How the grid shows a value and reads back an edit: NULL, BLOBs and cut text are shown for what
 * they are, never as text that looks like data.
 */
import type { CellValue } from "../../../shared/data";
import type { SqlParam } from "../../../shared/sql";

export type CellDisplay =
  | { kind: "null" }
  | { kind: "number"; text: string }
  | { kind: "text"; text: string }
  | { kind: "long"; text: string; length: number }
  | { kind: "blob"; text: string; bytes: number };

export function displayOf(value: CellValue): CellDisplay {
  if (value === null) return { kind: "null" };
  if (typeof value === "number") return { kind: "number", text: String(value) };
  if (typeof value === "string") return { kind: "text", text: value };
  if ("blob" in value) return { kind: "blob", text: value.blob, bytes: value.bytes };
  return { kind: "long", text: value.text, length: value.length };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export const formatCount = (n: number): string => n.toLocaleString("en-US");

/** What an edit box starts with; null for a value the grid cannot edit in place (a BLOB, cut text). */
export function editTextOf(value: CellValue): string | null {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return value;
  return null;
}

/**
 * The value an edit stands for. Text stays text: SQLite's column affinity turns '42' into 42 in an
 * INTEGER column, and a STRICT column refuses what does not fit. In a column without a declared
 * type, a number stays a number when it is written as one and the old value was one.
 */
export function editedValue(text: string, declaredType: string, before: CellValue): SqlParam {
  const untyped = declaredType.trim() === "";
  if (untyped && typeof before === "number" && text.trim() !== "" && String(Number(text.trim())) === text.trim()) {
    return Number(text.trim());
  }
  return text;
}

/** SQLite's message without the result-code suffix the runtime appends (": SQLITE_CONSTRAINT (...)"). */
export function shortSqlError(message: string): string {
  return message.replace(/:\s*SQLITE_[A-Z_]+(?:\s*\(extended:\s*SQLITE_[A-Z_]+\))?\s*$/, "");
}

/** A row's key as a stable string, for React keys and selection. */
export const keyId = (key: SqlParam[] | null, index: number): string =>
  key === null ? `#${index}` : JSON.stringify(key);
