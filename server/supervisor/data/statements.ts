/**
 * The Data view's SQL, built from a TableShape (names from SQLite's catalogue, quoted) and the
 * caller's values as bound parameters. Pure: tests/unit/server/supervisor/data-statements.test.ts runs them.
 *
 * Every SELECT puts the row key first, then one expression per column, then one marker column
 * (`decodeRow` undoes this): text longer than `maxCellChars` is cut to that many characters in SQL,
 * so a page of large documents stays small, and the marker lists `index:length` for each cut cell.
 */
import { type CellValue, DATA_LIMITS, type Row, type RowFilter, type RowKey, type RowSort } from "../../../shared/data";
import type { SqlParam, SqlValue } from "../../../shared/sql";
import { columnNamed, DataProblem, quoteName, type TableShape } from "./table-shape";

export interface Statement {
  sql: string;
  params: SqlParam[];
}

/** SQLite binds at most this many parameters to a statement on Cloudflare. */
const MAX_PARAMS = 100;
/** Past this many columns the cut-text expressions would make statements too long; values come whole. */
const MAX_CUT_COLUMNS = 200;

const keyExpressions = (shape: TableShape): string[] =>
  shape.key === null ? [] : shape.keyIsRowid ? [shape.key[0] ?? "rowid"] : shape.key.map(quoteName);

function cellExpressions(shape: TableShape, cut: boolean): string[] {
  if (!cut || shape.columns.length > MAX_CUT_COLUMNS) return shape.columns.map((c) => quoteName(c.name));
  const max = DATA_LIMITS.maxCellChars;
  return shape.columns.map((c) => {
    const q = quoteName(c.name);
    return `CASE WHEN typeof(${q}) = 'text' AND length(${q}) > ${max} THEN substr(${q}, 1, ${max}) ELSE ${q} END`;
  });
}

function markerExpression(shape: TableShape): string {
  if (shape.columns.length > MAX_CUT_COLUMNS || shape.columns.length === 0) return "''";
  const max = DATA_LIMITS.maxCellChars;
  const parts = shape.columns.map((c, i) => {
    const q = quoteName(c.name);
    return `CASE WHEN typeof(${q}) = 'text' AND length(${q}) > ${max} THEN '${i}:' || length(${q}) END`;
  });
  return `concat_ws(',', ${parts.join(", ")})`;
}

/** Key, cut cells and the marker, as `decodeRow` reads them back. */
function rowSelection(shape: TableShape): string {
  return [...keyExpressions(shape), ...cellExpressions(shape, true), markerExpression(shape)].join(", ");
}

/** A result row of a statement built with `rowSelection`, as the API shows it. */
export function decodeRow(shape: TableShape, raw: SqlValue[]): Row {
  const keyLength = shape.key?.length ?? 0;
  const keyValues = raw.slice(0, keyLength);
  const values: CellValue[] = raw.slice(keyLength, keyLength + shape.columns.length);
  const marker = raw[keyLength + shape.columns.length];
  if (typeof marker === "string" && marker !== "") {
    for (const entry of marker.split(",")) {
      const [index, length] = entry.split(":").map(Number);
      const value = values[index ?? -1];
      if (index !== undefined && length !== undefined && typeof value === "string") {
        values[index] = { text: value, length };
      }
    }
  }
  // A key holding a BLOB comes back as its first bytes only: such a row cannot be named again.
  const key = shape.key !== null && keyValues.every(isBindable) ? keyValues.filter(isBindable) : null;
  return { key, values };
}

/** A value that can be bound back as a parameter (a BLOB comes back as its first bytes only). */
export const isBindable = (value: SqlValue): value is string | number | null =>
  value === null || typeof value !== "object";

/** `WHERE ...` for the filters (all must hold), or "" when there are none. */
function whereClause(shape: TableShape, filters: RowFilter[], params: SqlParam[]): string {
  const terms = filters.map((filter) => {
    const column = quoteName(columnNamed(shape, filter.column).name);
    const needsValue = filter.op !== "isNull" && filter.op !== "notNull";
    if (needsValue && filter.value === undefined) {
      throw new DataProblem(`The filter ${filter.op} on ${filter.column} needs a value`);
    }
    const value = filter.value ?? null;
    switch (filter.op) {
      case "isNull":
        return `${column} IS NULL`;
      case "notNull":
        return `${column} IS NOT NULL`;
      case "contains":
      case "startsWith": {
        const escaped = String(value).replace(/[\\%_]/g, (c) => `\\${c}`);
        params.push(filter.op === "contains" ? `%${escaped}%` : `${escaped}%`);
        return `${column} LIKE ? ESCAPE '\\'`;
      }
      default: {
        // IS and IS NOT compare NULL as a value, so "= NULL" finds the NULLs instead of nothing.
        const operator = { eq: "IS", ne: "IS NOT", lt: "<", le: "<=", gt: ">", ge: ">=" }[filter.op];
        params.push(value);
        return `${column} ${operator} ?`;
      }
    }
  });
  return terms.length === 0 ? "" : ` WHERE ${terms.join(" AND ")}`;
}

/** `ORDER BY` the sort columns, then the key, so that pages are stable and never overlap. */
function orderClause(shape: TableShape, sort: RowSort[]): string {
  const terms = sort.map((s) => `${quoteName(columnNamed(shape, s.column).name)} ${s.descending ? "DESC" : "ASC"}`);
  const keys = keyExpressions(shape);
  const sorted = new Set(sort.map((s) => columnNamed(shape, s.column).name));
  terms.push(...keys.filter((_, i) => !sorted.has(shape.key?.[i] ?? "")).map((k) => `${k} ASC`));
  return terms.length === 0 ? "" : ` ORDER BY ${terms.join(", ")}`;
}

export interface PageRequest {
  offset: number;
  limit: number;
  sort: RowSort[];
  filters: RowFilter[];
}

/**
 * One page, by LIMIT/OFFSET: a person jumps to any page and sorts by any column, which keyset
 * paging cannot serve without an index per column; SQLite skips the offset's rows without
 * returning them (figures in docs/data-view.md).
 */
export function selectPage(shape: TableShape, page: PageRequest): Statement {
  const params: SqlParam[] = [];
  const where = whereClause(shape, page.filters, params);
  const order = orderClause(shape, page.sort);
  params.push(page.limit, page.offset);
  return {
    sql: `SELECT ${rowSelection(shape)} FROM ${rowSource(shape)}${where}${order} LIMIT ? OFFSET ?`,
    params,
  };
}

/**
 * A view is read through its first VIEW_COUNT_CAP + 1 rows: a view can be endless (a recursive CTE
 * without an end), and counting it, sorting it, filtering it for rows it never yields or paging far
 * into it would run it forever, freezing the runtime every project shares. So a view's count stops
 * there (the page says "100,000+": RowsResponse.totalCapped), and its sort, filters and pages apply
 * to those rows; a table is read whole.
 */
export const VIEW_COUNT_CAP = 100_000;

/** What a page reads from: the table, or a view's first VIEW_COUNT_CAP + 1 rows under its own name. */
function rowSource(shape: TableShape): string {
  const name = quoteName(shape.name);
  return shape.kind === "view" ? `(SELECT * FROM ${name} LIMIT ${VIEW_COUNT_CAP + 1}) AS ${name}` : name;
}

/** Counts what matches: a table in full, a view within its first VIEW_COUNT_CAP + 1 rows (so it ends). */
export function countRows(shape: TableShape, filters: RowFilter[]): Statement {
  const params: SqlParam[] = [];
  const where = whereClause(shape, filters, params);
  return { sql: `SELECT count(*) FROM ${rowSource(shape)}${where}`, params };
}

function editable(shape: TableShape): string[] {
  if (shape.readOnly !== null || shape.key === null)
    throw new DataProblem(`${shape.name} cannot be edited here: ${shape.readOnly}`);
  return shape.key;
}

/** The SET or INSERT columns, checked: known, not generated, each once. */
function assignments(shape: TableShape, values: Record<string, SqlParam>): { names: string[]; params: SqlParam[] } {
  const names: string[] = [];
  const params: SqlParam[] = [];
  for (const [name, value] of Object.entries(values)) {
    const column = columnNamed(shape, name);
    if (column.generated) throw new DataProblem(`${column.name} is a generated column: SQLite computes its values`);
    if (names.includes(column.name)) throw new DataProblem(`${column.name} is named twice`);
    names.push(column.name);
    params.push(typeof value === "boolean" ? Number(value) : value);
  }
  if (params.length > MAX_PARAMS - 64) throw new DataProblem(`At most ${MAX_PARAMS - 64} columns can be set at once`);
  return { names, params };
}

/** `key = ?` for each part of the key (IS NULL for a NULL part, which a rowid table's key may hold). */
function keyMatch(shape: TableShape, key: RowKey, params: SqlParam[]): string {
  const parts = editable(shape);
  if (key.length !== parts.length) {
    throw new DataProblem(
      `A row of ${shape.name} is named by ${parts.length} value(s) (${parts.join(", ")}), not ${key.length}`,
    );
  }
  return keyExpressions(shape)
    .map((expression, i) => {
      const value = key[i] ?? null;
      if (value === null) return `${expression} IS NULL`;
      params.push(typeof value === "boolean" ? Number(value) : value);
      return `${expression} = ?`;
    })
    .join(" AND ");
}

export function insertRow(shape: TableShape, values: Record<string, SqlParam>): Statement {
  editable(shape);
  const { names, params } = assignments(shape, values);
  const target = quoteName(shape.name);
  const body =
    names.length === 0
      ? "DEFAULT VALUES"
      : `(${names.map(quoteName).join(", ")}) VALUES (${names.map(() => "?").join(", ")})`;
  return { sql: `INSERT INTO ${target} ${body} RETURNING ${rowSelection(shape)}`, params };
}

export function updateRow(shape: TableShape, key: RowKey, values: Record<string, SqlParam>): Statement {
  editable(shape);
  const { names, params } = assignments(shape, values);
  const set = names.map((n) => `${quoteName(n)} = ?`).join(", ");
  const match = keyMatch(shape, key, params);
  return { sql: `UPDATE ${quoteName(shape.name)} SET ${set} WHERE ${match} RETURNING ${rowSelection(shape)}`, params };
}

/**
 * Deletes the rows with these keys in one statement (so all or none go): the keys travel as one
 * JSON parameter, which also keeps clear of the 100-parameter limit.
 */
export function deleteRows(shape: TableShape, keys: RowKey[]): Statement {
  const parts = editable(shape);
  for (const key of keys) {
    if (key.length !== parts.length) {
      throw new DataProblem(`A row of ${shape.name} is named by ${parts.length} value(s) (${parts.join(", ")})`);
    }
  }
  const expressions = keyExpressions(shape);
  const target = quoteName(shape.name);
  if (expressions.length === 1) {
    return {
      sql: `DELETE FROM ${target} WHERE ${expressions[0]} IN (SELECT value FROM json_each(?)) RETURNING 1`,
      params: [JSON.stringify(keys.map((k) => k[0]))],
    };
  }
  const picks = expressions.map((_, i) => `json_extract(value, '$[${i}]')`).join(", ");
  return {
    sql: `DELETE FROM ${target} WHERE (${expressions.join(", ")}) IN (SELECT ${picks} FROM json_each(?)) RETURNING 1`,
    params: [JSON.stringify(keys)],
  };
}

/** One cell, whole (a page cuts long text). */
export function selectCell(shape: TableShape, key: RowKey, column: string): Statement {
  const name = columnNamed(shape, column).name;
  const params: SqlParam[] = [];
  const match = keyMatch(shape, key, params);
  return { sql: `SELECT ${quoteName(name)} FROM ${quoteName(shape.name)} WHERE ${match}`, params };
}

/** Where an export chunk starts: after the last key seen, or (a view, a BLOB key) at an offset. */
export type ExportPosition = { after: SqlParam[] } | { offset: number };

/**
 * A chunk of an export, whole values in key order. Tables with a key page by it (keyset: each chunk
 * starts after the last key, so a large table costs no more per chunk at the end than at the start);
 * a view, which has none, by OFFSET. After the columns comes one marker: `index:hex` for each BLOB,
 * whole (a page shows a BLOB's first bytes only).
 */
export function exportChunk(shape: TableShape, position: ExportPosition, limit: number): Statement {
  const keys = keyExpressions(shape);
  const columns = shape.columns.map((c) => quoteName(c.name));
  const blobs = shape.columns.map((c, i) => {
    const q = quoteName(c.name);
    return `CASE WHEN typeof(${q}) = 'blob' THEN '${i}:' || hex(${q}) END`;
  });
  const marker = blobs.length === 0 ? "''" : `concat_ws(',', ${blobs.join(", ")})`;
  const select = `SELECT ${[...keys, ...columns, marker].join(", ")} FROM ${quoteName(shape.name)}`;
  const order = keys.length === 0 ? "" : ` ORDER BY ${keys.join(", ")}`;
  if ("offset" in position) return { sql: `${select}${order} LIMIT ? OFFSET ?`, params: [limit, position.offset] };
  const tuple = keys.length === 1 ? keys[0] : `(${keys.join(", ")})`;
  const marks = keys.length === 1 ? "?" : `(${keys.map(() => "?").join(", ")})`;
  return { sql: `${select} WHERE ${tuple} > ${marks}${order} LIMIT ?`, params: [...position.after, limit] };
}

/** An export chunk's row: its key (for the next chunk) and whole values, BLOBs as their full hex. */
export function decodeExportRow(
  shape: TableShape,
  raw: SqlValue[],
): { key: SqlValue[]; values: (string | number | null | { blob: string; bytes: number })[] } {
  const keyLength = shape.key === null ? 0 : keyExpressions(shape).length;
  const key = raw.slice(0, keyLength);
  const values = raw.slice(keyLength, keyLength + shape.columns.length);
  const marker = raw[keyLength + shape.columns.length];
  if (typeof marker === "string" && marker !== "") {
    for (const entry of marker.split(",")) {
      const colon = entry.indexOf(":");
      const index = Number(entry.slice(0, colon));
      const hex = entry.slice(colon + 1).toLowerCase();
      values[index] = { blob: hex, bytes: hex.length / 2 };
    }
  }
  return { key, values };
}
