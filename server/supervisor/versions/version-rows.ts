/**
 * The `versions` table's rows: a saved version's code (files as JSON), label and package lock. Rows
 * never change once written; SupervisorStore (store.ts) reads and adds them through these.
 */
import type { VersionSummary } from "../../../shared/api";
import { PackageLock } from "../../../shared/packages";

export interface VersionRow {
  version: number;
  codeId: string;
  contentHash: string;
  main: string;
  files: Record<string, string>;
  createdAt: number;
  /** The label it was saved with; null for none. */
  message: string | null;
  /** The npm packages it was bundled with (empty for none). */
  lock: PackageLock;
}

/** A version's row, or null when there is no such version. */
export function readVersionRow(sql: SqlStorage, version: number): VersionRow | null {
  const row = sql
    .exec<{
      version: number;
      code_id: string;
      content_hash: string;
      main: string;
      files: string;
      created_at: number;
      message: string | null;
      lock: string | null;
    }>("SELECT * FROM versions WHERE version = ?", version)
    .toArray()[0];
  if (!row) return null;
  return {
    version: row.version,
    codeId: row.code_id,
    contentHash: row.content_hash,
    main: row.main,
    files: JSON.parse(row.files),
    createdAt: row.created_at,
    message: row.message,
    lock: lockOf(row.lock),
  };
}

/** Every version, newest first, without its files' contents. */
export function listVersionRows(sql: SqlStorage): Omit<VersionSummary, "data">[] {
  return sql
    .exec<{
      version: number;
      code_id: string;
      main: string;
      files: string;
      created_at: number;
      message: string | null;
      lock: string | null;
    }>("SELECT version, code_id, main, files, created_at, message, lock FROM versions ORDER BY version DESC")
    .toArray()
    .map((r) => ({
      version: r.version,
      codeId: r.code_id,
      main: r.main,
      files: Object.keys(JSON.parse(r.files)),
      createdAt: r.created_at,
      message: r.message,
      lock: lockOf(r.lock),
    }));
}

export function insertVersionRow(sql: SqlStorage, v: VersionRow): void {
  sql.exec(
    "INSERT INTO versions (version, code_id, content_hash, main, files, created_at, message, lock) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    v.version,
    v.codeId,
    v.contentHash,
    v.main,
    JSON.stringify(v.files),
    v.createdAt,
    v.message,
    v.lock.length > 0 ? JSON.stringify(v.lock) : null,
  );
}

/** A stored lock (this database wrote it; one that no longer reads counts as none, and the next save resolves again). */
function lockOf(text: string | null): PackageLock {
  if (text === null) return [];
  const parsed = PackageLock.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : [];
}
