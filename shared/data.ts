/**
 * The Data view's contract: the app's tables, their schema and rows, row edits, the `storage.kv`
 * pairs, exports and reset. Table and column names are plain strings here; the server checks each
 * against the database's actual schema before it goes into a statement (quoted), and every value is
 * a bound parameter, so no call can smuggle SQL in.
 */
import { z } from "zod";
import { ProjectId, VersionData } from "./api";
import { SqlParam, SqlValue } from "./sql";

export const DATA_LIMITS = {
  /** Most rows one page may ask for. */
  maxPageRows: 500,
  /** Text longer than this is cut in a page (the cell route gives it whole). */
  maxCellChars: 1_000,
  /** Most rows one delete may name. */
  maxDeleteRows: 10_000,
  /** Most `storage.kv` pairs one page may ask for. */
  maxKvPage: 500,
  /** Longest `storage.kv` key Cloudflare accepts, in bytes. */
  maxKvKeyBytes: 2_048,
} as const;

const Name = z.string().min(1).max(512);

// Path parameters

export const TableParams = z.object({ id: ProjectId, table: Name });
export const ExportParams = z.object({ id: ProjectId, table: Name, format: z.enum(["csv", "json"]) });
export type ExportFormat = z.infer<typeof ExportParams>["format"];

// The tables

export const TableKind = z.enum(["table", "view", "virtual"]);
export type TableKind = z.infer<typeof TableKind>;

export const TableSummary = z.object({
  name: z.string(),
  kind: TableKind,
  /** Null for views, whose count would run the view. */
  rowCount: z.number().nullable(),
});
export type TableSummary = z.infer<typeof TableSummary>;

/** A table that is not the app's own: the runtime's, SQLite's, or part of a full-text index. */
export const InternalTable = z.object({
  name: z.string(),
  /** What it is, and whether it can be read. */
  note: z.string(),
  /** False for the runtime's `_cf_*` tables, which SQL may not read. */
  readable: z.boolean(),
});
export type InternalTable = z.infer<typeof InternalTable>;

export const TablesResponse = z.object({
  tables: z.array(TableSummary),
  internal: z.array(InternalTable),
  /** Changes whenever the database does: see `DataVersionResponse`. */
  version: z.string(),
});
export type TablesResponse = z.infer<typeof TablesResponse>;

// One table's schema

export const ColumnInfo = z.object({
  name: z.string(),
  /** The declared type as written ("" when none was given). */
  type: z.string(),
  notNull: z.boolean(),
  /** The default's SQL expression, or null. */
  defaultValue: z.string().nullable(),
  /** 1-based position in the primary key, 0 when not part of it. */
  primaryKey: z.number(),
  /** A generated column (computed by SQLite, never written). */
  generated: z.boolean(),
});
export type ColumnInfo = z.infer<typeof ColumnInfo>;

export const IndexInfo = z.object({
  name: z.string(),
  unique: z.boolean(),
  /** "c": CREATE INDEX, "u": a UNIQUE constraint, "pk": the primary key. */
  origin: z.string(),
  partial: z.boolean(),
  /** Column names; an expression is shown as null. */
  columns: z.array(z.string().nullable()),
  sql: z.string().nullable(),
});
export type IndexInfo = z.infer<typeof IndexInfo>;

export const ForeignKeyInfo = z.object({
  columns: z.array(z.string()),
  table: z.string(),
  to: z.array(z.string().nullable()),
  onUpdate: z.string(),
  onDelete: z.string(),
});
export type ForeignKeyInfo = z.infer<typeof ForeignKeyInfo>;

export const TableSchemaResponse = z.object({
  name: z.string(),
  kind: TableKind,
  /** The CREATE statement. */
  sql: z.string().nullable(),
  withoutRowid: z.boolean(),
  strict: z.boolean(),
  columns: z.array(ColumnInfo),
  indexes: z.array(IndexInfo),
  foreignKeys: z.array(ForeignKeyInfo),
  triggers: z.array(z.object({ name: z.string(), sql: z.string().nullable() })),
  /**
   * What identifies a row in edits: ["rowid"] (or "_rowid_", "oid" when a column shadows it), the
   * primary key's columns of a WITHOUT ROWID table, or null when rows cannot be edited.
   */
  key: z.array(z.string()).nullable(),
  /** Why rows cannot be edited (a view, an internal table), or null when they can. */
  readOnly: z.string().nullable(),
  rowCount: z.number().nullable(),
});
export type TableSchemaResponse = z.infer<typeof TableSchemaResponse>;

// Rows

export const FilterOp = z.enum(["eq", "ne", "lt", "le", "gt", "ge", "contains", "startsWith", "isNull", "notNull"]);
export type FilterOp = z.infer<typeof FilterOp>;

export const RowFilter = z.strictObject({
  column: Name,
  op: FilterOp,
  /** Compared with the column's values; not used by isNull and notNull. Text for contains and startsWith. */
  value: SqlParam.optional(),
});
export type RowFilter = z.infer<typeof RowFilter>;

export const RowSort = z.strictObject({ column: Name, descending: z.boolean().optional() });
export type RowSort = z.infer<typeof RowSort>;

export const RowsQuery = z.strictObject({
  offset: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.number().int().min(1).max(DATA_LIMITS.maxPageRows).optional(),
  /** Applied in order; the row key breaks ties so pages never overlap. */
  sort: z.array(RowSort).max(8).optional(),
  /** All must hold (AND). */
  filters: z.array(RowFilter).max(32).optional(),
});
export type RowsQuery = z.infer<typeof RowsQuery>;

/** A value as a page shows it: SQL's, or the first characters of a longer text and its length. */
export const CellValue = z.union([SqlValue, z.object({ text: z.string(), length: z.number() })]);
export type CellValue = z.infer<typeof CellValue>;

/** A row's key, as `TableSchemaResponse.key` names its parts. */
export const RowKey = z.array(SqlParam).min(1).max(64);
export type RowKey = z.infer<typeof RowKey>;

export const Row = z.object({
  /** Null when this row cannot be identified (a view, or a key holding a BLOB). */
  key: RowKey.nullable(),
  values: z.array(CellValue),
});
export type Row = z.infer<typeof Row>;

export const RowsResponse = z.object({
  /** The columns, in the order of each row's values (as the schema describes them). */
  columns: z.array(ColumnInfo),
  key: z.array(z.string()).nullable(),
  /** Why rows cannot be edited, or null when they can. */
  readOnly: z.string().nullable(),
  rows: z.array(Row),
  /** Rows matching the filters (a view's counted up to 100,000: see totalCapped). */
  total: z.number(),
  /** True when a view has more than `total` rows (its count stops there, as a view can be endless). */
  totalCapped: z.boolean().optional(),
  offset: z.number(),
  limit: z.number(),
});
export type RowsResponse = z.infer<typeof RowsResponse>;

const Values = z.record(Name, SqlParam);

export const InsertRowRequest = z.strictObject({
  /** Column values; columns left out get their default. */
  values: Values,
});
export type InsertRowRequest = z.infer<typeof InsertRowRequest>;

export const UpdateRowRequest = z.strictObject({
  key: RowKey,
  values: Values.refine((v) => Object.keys(v).length > 0, "name at least one column to change"),
});
export type UpdateRowRequest = z.infer<typeof UpdateRowRequest>;

export const RowResponse = z.object({ row: Row });
export type RowResponse = z.infer<typeof RowResponse>;

export const DeleteRowsRequest = z.strictObject({ keys: z.array(RowKey).min(1).max(DATA_LIMITS.maxDeleteRows) });
export type DeleteRowsRequest = z.infer<typeof DeleteRowsRequest>;
export const DeleteRowsResponse = z.object({ deleted: z.number() });
export type DeleteRowsResponse = z.infer<typeof DeleteRowsResponse>;

export const CellRequest = z.strictObject({ key: RowKey, column: Name });
export type CellRequest = z.infer<typeof CellRequest>;
export const CellResponse = z.object({ value: SqlValue });
export type CellResponse = z.infer<typeof CellResponse>;

// storage.kv

export const KvQuery = z.strictObject({
  prefix: z.string().max(DATA_LIMITS.maxKvKeyBytes).optional(),
  /** The last key of the previous page. */
  startAfter: z.string().max(DATA_LIMITS.maxKvKeyBytes).optional(),
  limit: z.number().int().min(1).max(DATA_LIMITS.maxKvPage).optional(),
});
export type KvQuery = z.infer<typeof KvQuery>;

export const KvEntry = z.object({
  key: z.string(),
  /** What the stored value is: string, number, boolean, null, object, array, Date, Uint8Array, ... */
  type: z.string(),
  /** The value as JSON (or a description for what JSON cannot hold), cut at 1,000 characters. */
  preview: z.string(),
  /** Whether `preview` is JSON that `PUT .../data/kv` would store back unchanged. */
  json: z.boolean(),
});
export type KvEntry = z.infer<typeof KvEntry>;

export const KvPage = z.object({
  entries: z.array(KvEntry),
  /** More keys follow the last one. */
  more: z.boolean(),
});
export type KvPage = z.infer<typeof KvPage>;

export const KvPutRequest = z.strictObject({
  key: z.string().min(1).max(DATA_LIMITS.maxKvKeyBytes),
  /** Stored as the JavaScript value this JSON describes. */
  value: z.json(),
});
export type KvPutRequest = z.infer<typeof KvPutRequest>;

export const KvDeleteRequest = z.strictObject({
  keys: z.array(z.string().min(1).max(DATA_LIMITS.maxKvKeyBytes)).min(1).max(1000),
});
export type KvDeleteRequest = z.infer<typeof KvDeleteRequest>;
export const KvDeleteResponse = z.object({ deleted: z.number() });

// Live updates, reset

export const DataVersionResponse = z.object({
  /**
   * Changes when any row is written (by a request, an alarm, the console or an edit here) or the
   * schema changes; equal strings mean nothing changed. Opaque: compare, do not parse.
   */
  version: z.string(),
});
export type DataVersionResponse = z.infer<typeof DataVersionResponse>;

export const ResetRequest = z.strictObject({
  /** Must be true: a reset drops every table and every storage.kv pair. */
  confirm: z.literal(true, { error: 'a reset drops all of the app\'s data: send {"confirm": true}' }),
});
export const ResetResponse = z.object({
  /** The tables that were dropped (the runtime's own not counted). */
  droppedTables: z.array(z.string()),
  /** The live version when the data was reset. */
  version: z.number().nullable(),
  /**
   * The snapshot taken first, as the live version's (restore that version with its data to undo
   * the reset), or why none was (`snapshot: false` and a note); null when snapshots are off or
   * there was no version yet.
   */
  snapshot: VersionData.nullable(),
});
export type ResetResponse = z.infer<typeof ResetResponse>;
