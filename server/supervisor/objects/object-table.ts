/**
 * The `objects` table: a row per object of a Worker project that has ever been called, the live
 * app's and the draft's copies kept apart (`scope`), and the statements the registry (objects.ts)
 * reads and writes it with. The registry keeps the rows in memory; this is where they last.
 *
 * Table: `objects` (createObjectTable).
 */

export type Scope = "live" | "draft";

export interface ObjectRow {
  id: string;
  className: string;
  name: string | null;
  createdAt: number;
  lastActiveAt: number;
  requests: number;
  errors: number;
  bytes: number | null;
  rowsRead: number;
  rowsWritten: number;
}

/** Makes `objects`. */
export function createObjectTable(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS objects (
    scope TEXT NOT NULL,
    id TEXT NOT NULL,
    class TEXT NOT NULL,
    name TEXT,
    created_at INTEGER NOT NULL,
    last_active_at INTEGER NOT NULL,
    requests INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    bytes INTEGER,
    rows_read INTEGER NOT NULL DEFAULT 0,
    rows_written INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, id)
  )`);
}

/** The rows of one scope. */
export class ObjectTable {
  #sql: SqlStorage;
  readonly scope: Scope;

  constructor(sql: SqlStorage, scope: Scope) {
    this.#sql = sql;
    this.scope = scope;
  }

  read(): ObjectRow[] {
    const rows = this.#sql.exec<{
      id: string;
      class: string;
      name: string | null;
      created_at: number;
      last_active_at: number;
      requests: number;
      errors: number;
      bytes: number | null;
      rows_read: number;
      rows_written: number;
    }>("SELECT * FROM objects WHERE scope = ?", this.scope);
    return rows.toArray().map((r) => ({
      id: r.id,
      className: r.class,
      name: r.name,
      createdAt: r.created_at,
      lastActiveAt: r.last_active_at,
      requests: r.requests,
      errors: r.errors,
      bytes: r.bytes,
      rowsRead: r.rows_read,
      rowsWritten: r.rows_written,
    }));
  }

  /** Writes a row for an object new to this scope (made, or brought back by a restore): no counts yet. */
  insert(row: { id: string; className: string; name: string | null; bytes: number | null }, now: number): void {
    this.#sql.exec(
      "INSERT OR REPLACE INTO objects (scope, id, class, name, created_at, last_active_at, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)",
      this.scope,
      row.id,
      row.className,
      row.name,
      now,
      now,
      row.bytes,
    );
  }

  /** Writes what changes as the object is used: when, how often, its errors, rows and size. */
  writeCounts(row: ObjectRow): void {
    this.#sql.exec(
      "UPDATE objects SET last_active_at = ?, requests = ?, errors = ?, bytes = ?, rows_read = ?, rows_written = ? WHERE scope = ? AND id = ?",
      row.lastActiveAt,
      row.requests,
      row.errors,
      row.bytes,
      row.rowsRead,
      row.rowsWritten,
      this.scope,
      row.id,
    );
  }

  delete(id: string): void {
    this.#sql.exec("DELETE FROM objects WHERE scope = ? AND id = ?", this.scope, id);
  }

  deleteAll(): void {
    this.#sql.exec("DELETE FROM objects WHERE scope = ?", this.scope);
  }

  /** Copies `other`'s rows into this scope (which is empty), with their counts started again. */
  copyFrom(other: Scope): void {
    this.#sql.exec(
      `INSERT INTO objects (scope, id, class, name, created_at, last_active_at, requests, errors, bytes)
       SELECT ?, id, class, name, created_at, last_active_at, 0, 0, bytes FROM objects WHERE scope = ?`,
      this.scope,
      other,
    );
  }
}
