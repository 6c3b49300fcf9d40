/**
 * What a person types in a column's filter box, as a filter the server understands. Plain text
 * finds values containing it (case-insensitive for ASCII, as SQLite's LIKE); a leading operator
 * compares: `=5`, `!=draft`, `>10`, `<=2024-01-01`, `^prefix`; `null` and `!null` find NULLs and
 * the rest.
 */
import type { RowFilter } from "../../../shared/data";
import type { SqlParam } from "../../../shared/sql";

export const FILTER_HELP =
  "Text finds values containing it. Or start with = != > >= < <= (compare), ^ (starts with); null, !null.";

const OPERATORS: [string, RowFilter["op"]][] = [
  [">=", "ge"],
  ["<=", "le"],
  ["!=", "ne"],
  ["<>", "ne"],
  ["=", "eq"],
  [">", "gt"],
  ["<", "lt"],
  ["^", "startsWith"],
];

/** The filter `text` stands for on `column`, or null when the box is empty. */
export function parseFilter(column: string, text: string): RowFilter | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const lower = trimmed.toLowerCase();
  if (lower === "null" || lower === "is null") return { column, op: "isNull" };
  if (lower === "!null" || lower === "not null" || lower === "is not null") return { column, op: "notNull" };
  for (const [symbol, op] of OPERATORS) {
    if (!trimmed.startsWith(symbol)) continue;
    const rest = trimmed.slice(symbol.length).trim();
    if (op === "startsWith") return { column, op, value: rest };
    return { column, op, value: typedValue(rest) };
  }
  return { column, op: "contains", value: trimmed };
}

/**
 * A typed value: a number when it is written as one (so it also matches in a column without a
 * declared type, where SQLite would not convert '5'), `null` for NULL, else the text without quotes.
 */
export function typedValue(text: string): SqlParam {
  if (text.toUpperCase() === "NULL") return null;
  const quoted = text.match(/^(['"])(.*)\1$/s);
  if (quoted) return quoted[2] ?? "";
  if (/^-?\d+(\.\d+)?$/.test(text) && String(Number(text)) === text) return Number(text);
  return text;
}
