/**
 * Dumps of the instance's database and loads of them, inside the app's isolate (the wrapper's
 * DUMP_METHOD, LOAD_METHOD and DATA_SIZE_METHOD; supervisor/time-travel/dump.ts calls them for fork,
 * export, import and the snapshots' budget, and encodes what comes back).
 *
 * Taking a dump is one synchronous call: nothing else runs in the object meanwhile, so it is
 * consistent without a transaction. SQL cannot read `_cf_KV` (the table behind `storage.kv`,
 * SQLITE_AUTH), so the kv pairs are read with the kv API in the same call. Names are quoted for SQL,
 * and the runtime's own tables (`sqlite_*`, `_cf_*`) and virtual tables' shadow tables (which their
 * virtual table makes and fills) are neither dumped nor dropped.
 */
import type { DumpSchemaEntry, LoadReport, RawDump, RawLoad } from "../protocol";

type Row = Record<string, SqlStorageValue>;

/** A name quoted for SQL. */
export function quote(name: unknown): string {
  return `"${String(name).replaceAll('"', '""')}"`;
}

/** Whether a table is one a dump leaves out: the runtime's own, and virtual tables' shadow tables. */
export function skippedTables(sql: SqlStorage): (name: string) => boolean {
  const shadow = new Set<unknown>();
  const virtual: string[] = [];
  try {
    for (const t of sql.exec<Row>("PRAGMA table_list")) if (t.type === "shadow") shadow.add(t.name);
  } catch {
    for (const r of sql.exec<Row>("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")) {
      virtual.push(`${r.name}_`);
    }
  }
  return (name) =>
    name.startsWith("sqlite_") ||
    name.startsWith("_cf_") ||
    shadow.has(name) ||
    virtual.some((prefix) => name.startsWith(prefix));
}

/** The database's size in bytes. */
export function dataSize(storage: DurableObjectStorage): number {
  return storage.sql.databaseSize;
}

/** The whole database and the kv pairs, rows as flat [type, value, ...] lists (typeof() and the value). */
export function takeDump(storage: DurableObjectStorage): RawDump {
  const sql = storage.sql;
  const skipped = skippedTables(sql);
  const schema: DumpSchemaEntry[] = [];
  for (const row of sql.exec<Row>("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid")) {
    if (row.sql === null || skipped(String(row.name))) continue;
    schema.push({
      type: row.type as DumpSchemaEntry["type"],
      name: row.name as string,
      tableName: row.tbl_name as string,
      sql: row.sql as string,
    });
  }
  const tables: RawDump["tables"] = [];
  for (const entry of schema) {
    if (entry.type !== "table") continue;
    let columns: string[];
    try {
      // Generated and hidden columns are left out: SQLite computes them, and refuses them in INSERT.
      columns = sql
        .exec<Row>("SELECT name, hidden FROM pragma_table_xinfo(?)", entry.name)
        .toArray()
        .filter((c) => c.hidden === 0)
        .map((c) => c.name as string);
    } catch {
      columns = sql.exec(`SELECT * FROM ${quote(entry.name)} LIMIT 0`).columnNames;
    }
    const rows: unknown[][] = [];
    if (columns.length > 0) {
      // typeof() keeps REAL 1.0 apart from INTEGER 1, and an INTEGER is read as text so that
      // one past 2^53 keeps its digits (read as a number it would be rounded).
      const select = columns
        .map(
          (c) =>
            `typeof(${quote(c)}), CASE typeof(${quote(c)}) WHEN 'integer' THEN CAST(${quote(c)} AS TEXT) ELSE ${quote(c)} END`,
        )
        .join(", ");
      for (const row of sql.exec(`SELECT ${select} FROM ${quote(entry.name)}`).raw()) rows.push(row);
    }
    tables.push({ name: entry.name, columns, rows });
  }
  let sequences: RawDump["sequences"] = [];
  try {
    sequences = sql
      .exec<Row>("SELECT name, CAST(seq AS TEXT) AS seq FROM sqlite_sequence")
      .toArray()
      .map((r) => ({ table: r.name as string, seq: r.seq as string }));
  } catch {}
  return { schema, tables, sequences, kv: [...storage.kv.list()] };
}

/** Replaces the database and the kv pairs with `dump`, in one transaction. */
export function loadDump(storage: DurableObjectStorage, dump: RawLoad): LoadReport {
  const sql = storage.sql;
  let rows = 0;
  storage.transactionSync(() => {
    // Tables are dropped and filled in any order; foreign keys are checked once, at the end.
    sql.exec("PRAGMA defer_foreign_keys = ON");
    const skipped = skippedTables(sql);
    const existing = sql
      .exec<Row>("SELECT type, name FROM sqlite_master WHERE type IN ('view', 'table')")
      .toArray()
      .filter((r) => !skipped(String(r.name)));
    // What was there (tables an app's constructor made, say) goes; indexes and triggers go with their tables.
    for (const r of existing) if (r.type === "view") sql.exec(`DROP VIEW IF EXISTS ${quote(r.name)}`);
    for (const r of existing) if (r.type === "table") sql.exec(`DROP TABLE IF EXISTS ${quote(r.name)}`);
    for (const [key] of [...storage.kv.list()]) storage.kv.delete(key);
    for (const entry of dump.schema) if (entry.type === "table") sql.exec(entry.sql);
    for (const table of dump.tables) {
      const into = `INSERT INTO ${quote(table.name)} (${table.columns.map(quote).join(", ")}) VALUES (`;
      for (const row of table.rows) {
        const marks: string[] = [];
        const values: unknown[] = [];
        for (const value of row) {
          if (value !== null && typeof value === "object" && !(value instanceof ArrayBuffer)) {
            marks.push("int" in value ? "CAST(? AS INTEGER)" : "CAST(? AS REAL)");
            values.push("int" in value ? value.int : value.real);
          } else {
            marks.push("?");
            values.push(value);
          }
        }
        sql.exec(`${into + marks.join(", ")})`, ...values);
        rows++;
      }
    }
    for (const { table, seq } of dump.sequences) {
      sql.exec("DELETE FROM sqlite_sequence WHERE name = ?", table);
      sql.exec("INSERT INTO sqlite_sequence (name, seq) VALUES (?, CAST(? AS INTEGER))", table, seq);
    }
    // Indexes, views and triggers after the rows: a trigger must not fire while rows are loaded.
    for (const entry of dump.schema) if (entry.type !== "table") sql.exec(entry.sql);
    for (const [key, value] of dump.kv) storage.kv.put(key, value);
  });
  return { tables: dump.tables.length, rows, kv: dump.kv.length };
}
