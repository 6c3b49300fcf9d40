/**
 * What the app's database holds, read from SQLite's catalogue through the SQL console's path: the
 * tables with their row counts, the internal tables and what each is, one table's shape (for the
 * statements) and its full schema (for the Schema tab).
 */
import type { ForeignKeyInfo, IndexInfo, InternalTable, TableSchemaResponse, TableSummary } from "../../../shared/data";
import type { SqlResult, SqlValue } from "../../../shared/sql";
import type { Statement } from "./statements";
import {
  type CatalogRow,
  DataProblem,
  isRuntimeTable,
  isSqliteTable,
  quoteName,
  shapeOf,
  type TableShape,
} from "./table-shape";

/** Runs a statement through the SQL console; SQLite's error is thrown (StatementFailed). */
export type RunStatement = (statement: Statement) => Promise<SqlResult>;

/** Tables whose row counts go into one statement. */
const COUNTS_PER_STATEMENT = 50;

export async function listTables(run: RunStatement): Promise<{ tables: TableSummary[]; internal: InternalTable[] }> {
  const listed = await run({
    sql: "SELECT name, type FROM pragma_table_list WHERE schema = 'main' ORDER BY name COLLATE NOCASE",
    params: [],
  });
  const rows = listed.rows.map(([name, type]) => ({ name: String(name), type: String(type) }));
  const virtual = rows.filter((r) => r.type === "virtual").map((r) => r.name);
  const tables: TableSummary[] = [];
  const internal: InternalTable[] = [];
  for (const { name, type } of rows) {
    const note = internalNote(name, type, virtual);
    if (note) internal.push({ name, note, readable: !isRuntimeTable(name) });
    else
      tables.push({ name, kind: type === "view" ? "view" : type === "virtual" ? "virtual" : "table", rowCount: null });
  }
  await countRowsOf(run, tables);
  return { tables, internal };
}

function internalNote(name: string, type: string, virtual: string[]): string | null {
  if (/^_cf_KV$/i.test(name)) {
    return "The pairs of storage.kv (and the async storage API): the runtime's own table, which SQL may not read. The Key-value view shows them.";
  }
  if (isRuntimeTable(name)) return "The runtime's own table; SQL may not read it.";
  if (/^sqlite_(schema|master)$/i.test(name))
    return "SQLite's catalogue: every table, index, view and trigger with its CREATE statement.";
  if (/^sqlite_sequence$/i.test(name)) return "The largest rowid each AUTOINCREMENT table has used.";
  if (/^sqlite_stat/i.test(name)) return "The query planner's statistics, written by ANALYZE.";
  if (isSqliteTable(name)) return "SQLite's own table.";
  if (type === "shadow") {
    const owner = virtual.find((v) => name.toLowerCase().startsWith(`${v.toLowerCase()}_`));
    return `Part of the virtual table ${owner ?? "it belongs to"} (a full-text index keeps its data here); SQLite keeps it in step.`;
  }
  return null;
}

/** Row counts in a few statements (one subquery a table); a view's stays null, as counting runs it. */
async function countRowsOf(run: RunStatement, tables: TableSummary[]): Promise<void> {
  const counted = tables.filter((t) => t.kind !== "view");
  for (let i = 0; i < counted.length; i += COUNTS_PER_STATEMENT) {
    const chunk = counted.slice(i, i + COUNTS_PER_STATEMENT);
    const sql = `SELECT ${chunk.map((t) => `(SELECT count(*) FROM ${quoteName(t.name)})`).join(", ")}`;
    try {
      const result = await run({ sql, params: [] });
      chunk.forEach((table, j) => {
        const value = result.rows[0]?.[j];
        table.rowCount = typeof value === "number" ? value : null;
      });
    } catch {
      // A table that cannot be counted (a virtual table whose module is missing) keeps null.
    }
  }
}

/** The table a caller named, as the catalogue has it; 404 when there is none. */
export async function tableShape(run: RunStatement, name: string): Promise<TableShape> {
  if (isRuntimeTable(name)) {
    throw new DataProblem(
      `${name} is the runtime's own table and SQL may not read it${/^_cf_KV$/i.test(name) ? " (storage.kv's pairs: see the kv routes)" : ""}`,
    );
  }
  const result = await run({
    sql: `SELECT t.name, t.type, t.wr, t.strict,
  (SELECT json_group_array(json_array(c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden)) FROM pragma_table_xinfo(t.name) AS c)
FROM pragma_table_list AS t WHERE t.schema = 'main' AND t.name = ?1 COLLATE NOCASE ORDER BY t.name = ?1 DESC LIMIT 1`,
    params: [name],
  });
  const row = result.rows[0];
  if (!row) throw new DataProblem(`No table or view named ${JSON.stringify(name)}`, 404);
  const [found, type, wr, strict, columns] = row;
  const catalog: CatalogRow = {
    name: String(found),
    type: String(type),
    withoutRowid: wr === 1,
    strict: strict === 1,
    columns: parseJsonArray(columns) as unknown[][],
  };
  return shapeOf(catalog, type === "shadow");
}

/** Everything the Schema tab shows about a table. */
export async function tableSchema(run: RunStatement, shape: TableShape): Promise<TableSchemaResponse> {
  const details = await run({
    sql: `SELECT
  (SELECT sql FROM sqlite_master WHERE name = ?1 AND type IN ('table', 'view')),
  (SELECT json_group_array(json_array(il.name, il."unique", il.origin, il.partial,
    (SELECT json_group_array(ii.name) FROM pragma_index_xinfo(il.name) AS ii WHERE ii.key = 1),
    (SELECT sql FROM sqlite_master AS m WHERE m.type = 'index' AND m.name = il.name))) FROM pragma_index_list(?1) AS il),
  (SELECT json_group_array(json_array(id, seq, "table", "from", "to", on_update, on_delete)) FROM pragma_foreign_key_list(?1)),
  (SELECT json_group_array(json_array(name, sql)) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1)`,
    params: [shape.name],
  });
  const [sql, indexes, foreignKeys, triggers] = details.rows[0] ?? [];
  let rowCount: number | null = null;
  if (shape.kind !== "view") {
    const counted = await run({ sql: `SELECT count(*) FROM ${quoteName(shape.name)}`, params: [] });
    rowCount = typeof counted.rows[0]?.[0] === "number" ? counted.rows[0][0] : null;
  }
  return {
    name: shape.name,
    kind: shape.kind,
    sql: typeof sql === "string" ? sql : null,
    withoutRowid: shape.withoutRowid,
    strict: shape.strict,
    columns: shape.columns,
    indexes: parseJsonArray(indexes).map(indexInfo),
    foreignKeys: foreignKeysOf(parseJsonArray(foreignKeys)),
    triggers: parseJsonArray(triggers).map((t) => {
      const [name, text] = asArray(t);
      return { name: String(name), sql: typeof text === "string" ? text : null };
    }),
    key: shape.key,
    readOnly: shape.readOnly,
    rowCount,
  };
}

function indexInfo(raw: unknown): IndexInfo {
  const [name, unique, origin, partial, columns, sql] = asArray(raw);
  return {
    name: String(name),
    unique: unique === 1,
    origin: String(origin),
    partial: partial === 1,
    columns: asArray(columns).map((c) => (typeof c === "string" ? c : null)),
    sql: typeof sql === "string" ? sql : null,
  };
}

/** pragma_foreign_key_list gives one row per column; a key of several columns shares its id. */
function foreignKeysOf(rows: unknown[]): ForeignKeyInfo[] {
  const byId = new Map<number, ForeignKeyInfo>();
  for (const raw of rows) {
    const [id, , table, from, to, onUpdate, onDelete] = asArray(raw);
    const key = Number(id);
    const entry = byId.get(key) ?? {
      columns: [],
      table: String(table),
      to: [],
      onUpdate: String(onUpdate),
      onDelete: String(onDelete),
    };
    entry.columns.push(String(from));
    entry.to.push(typeof to === "string" ? to : null);
    byId.set(key, entry);
  }
  return [...byId.values()];
}

function parseJsonArray(value: SqlValue | undefined): unknown[] {
  if (typeof value !== "string") return [];
  try {
    return asArray(JSON.parse(value));
  } catch {
    return [];
  }
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
