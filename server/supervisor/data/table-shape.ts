/**
 * A table as the Data view's statements need it, read from SQLite's own catalogue (pragma_table_list
 * and pragma_table_xinfo). Names given by a caller are looked up here and only the catalogue's
 * spelling ever reaches a statement, quoted (statements.ts).
 */
import type { ColumnInfo, TableKind } from "../../../shared/data";

export interface TableShape {
  /** The name as the catalogue spells it. */
  name: string;
  kind: TableKind;
  withoutRowid: boolean;
  strict: boolean;
  /** Every column a SELECT * shows (a virtual table's hidden columns left out). */
  columns: ColumnInfo[];
  /** What identifies a row: a rowid alias, or primary key columns; null when nothing does. */
  key: string[] | null;
  /** True when `key` is the rowid (an alias, not a column). */
  keyIsRowid: boolean;
  /** Why rows cannot be changed here, or null. */
  readOnly: string | null;
}

/** A problem with what the caller asked for (unknown table or column, bad value): a 400 or 404. */
export class DataProblem extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
    this.name = "DataProblem";
  }
}

/** `"name"`, with any `"` doubled: SQLite's quoting for identifiers. */
export function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const ROWID_ALIASES = ["rowid", "_rowid_", "oid"];

/** The runtime's tables (storage.kv's `_cf_KV` among them): SQL may not read them. */
export function isRuntimeTable(name: string): boolean {
  return /^_cf_/i.test(name);
}

/** SQLite's own tables (sqlite_schema, sqlite_sequence, sqlite_stat1...). */
export function isSqliteTable(name: string): boolean {
  return /^sqlite_/i.test(name);
}

/** One row of the catalogue statement in catalog.ts: type, wr, strict and the columns as JSON. */
export interface CatalogRow {
  name: string;
  type: string;
  withoutRowid: boolean;
  strict: boolean;
  /** `[name, type, notnull, dflt_value, pk, hidden]` per column, from pragma_table_xinfo. */
  columns: unknown[][];
}

export function shapeOf(row: CatalogRow, shadow: boolean): TableShape {
  const kind: TableKind = row.type === "view" ? "view" : row.type === "virtual" ? "virtual" : "table";
  const columns: ColumnInfo[] = row.columns
    .filter((c) => c[5] !== 1)
    .map((c) => ({
      name: String(c[0]),
      type: typeof c[1] === "string" ? c[1] : "",
      notNull: c[2] === 1,
      defaultValue: typeof c[3] === "string" ? c[3] : null,
      primaryKey: typeof c[4] === "number" ? c[4] : 0,
      generated: c[5] === 2 || c[5] === 3,
    }));
  const { key, keyIsRowid } = rowKeyOf(kind, row.withoutRowid, columns);
  let readOnly: string | null = null;
  if (kind === "view") readOnly = "A view: its rows come from a query; change the tables it reads.";
  else if (isSqliteTable(row.name) || shadow) {
    readOnly = "An internal table: SQLite keeps it; change it from the terminal's SQL console if you must.";
  } else if (key === null) readOnly = "Its rows have no key to tell them apart (no rowid, no primary key).";
  return {
    name: row.name,
    kind,
    withoutRowid: row.withoutRowid,
    strict: row.strict,
    columns,
    key,
    keyIsRowid,
    readOnly,
  };
}

/**
 * What tells rows apart. A rowid table has a rowid, reachable as `rowid`, `_rowid_` or `oid` unless a
 * column of that name shadows it; a WITHOUT ROWID table has its primary key; a view has nothing.
 */
export function rowKeyOf(
  kind: TableKind,
  withoutRowid: boolean,
  columns: Pick<ColumnInfo, "name" | "primaryKey">[],
): { key: string[] | null; keyIsRowid: boolean } {
  if (kind === "view") return { key: null, keyIsRowid: false };
  const primaryKey = columns
    .filter((c) => c.primaryKey > 0)
    .sort((a, b) => a.primaryKey - b.primaryKey)
    .map((c) => c.name);
  if (withoutRowid) return { key: primaryKey.length > 0 ? primaryKey : null, keyIsRowid: false };
  const taken = new Set(columns.map((c) => c.name.toLowerCase()));
  const alias = ROWID_ALIASES.find((a) => !taken.has(a));
  if (alias) return { key: [alias], keyIsRowid: true };
  return { key: primaryKey.length > 0 ? primaryKey : null, keyIsRowid: false };
}

/** The column a caller named, as the catalogue spells it (SQLite matches names without case). */
export function columnNamed(shape: TableShape, name: string): ColumnInfo {
  const column = shape.columns.find((c) => c.name === name) ?? shape.columns.find((c) => sameName(c.name, name));
  if (!column) {
    throw new DataProblem(
      `${shape.name} has no column ${JSON.stringify(name)}; its columns: ${shape.columns.map((c) => c.name).join(", ")}`,
    );
  }
  return column;
}

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The column an error message names as `table.column` (NOT NULL, UNIQUE, a STRICT type), if any. */
export function columnIn(message: string, shape: TableShape | undefined): string | undefined {
  if (!shape) return undefined;
  const lower = message.toLowerCase();
  const prefix = `${shape.name.toLowerCase()}.`;
  // Longest names first, so "text" does not win over "text_2".
  const columns = [...shape.columns].sort((a, b) => b.name.length - a.name.length);
  return columns.find((c) => {
    const at = lower.indexOf(prefix + c.name.toLowerCase());
    if (at < 0) return false;
    const after = lower[at + prefix.length + c.name.length];
    return after === undefined || !/[\w$]/.test(after);
  })?.name;
}
