/**
 * The draft's row: the code it runs (its revision, code ID, files) and what it was based on, kept in
 * the supervisor's SQLite while there is a draft. Read once, then kept in memory and written
 * through. The draft's source (draft-source.ts) and its workflow (drafts.ts) both read it.
 *
 * Table: `draft`, one row while there is a draft, made by `createDraftTable`.
 */
import type { DraftInfo } from "../../../shared/time-travel";

/**
 * The hung mark of the draft (a launcher's verdict sets it, versions/verdicts.ts): versions start at 1,
 * so it blames no live version.
 */
export const DRAFT_HANG_VERSION = 0;

/** Makes the draft's table: code tried on a copy of the live data, until promoted or discarded. */
export function createDraftTable(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS draft (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  revision INTEGER NOT NULL,
  code_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  main TEXT NOT NULL,
  files TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  based_on_version INTEGER,
  -- The label of its last save (write_draft's message), which promoting gives the new version.
  message TEXT
);`);
  // A draft table made before the label existed gets its column.
  if (sql.exec("SELECT 1 FROM pragma_table_info('draft') WHERE name = 'message'").toArray().length === 0) {
    sql.exec("ALTER TABLE draft ADD COLUMN message TEXT");
  }
}

export interface DraftRow {
  revision: number;
  codeId: string;
  contentHash: string;
  main: string;
  files: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  basedOnVersion: number | null;
  /** The label of its last save; null for none. */
  message: string | null;
}

export class DraftCode {
  #sql: SqlStorage;
  #row: DraftRow | null;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    this.#row = this.#read();
  }

  /** The draft's row; null while there is no draft. */
  get row(): DraftRow | null {
    return this.#row;
  }

  /** The draft's revision (0 while there is none), as its log lines are marked. */
  get revision(): number {
    return this.#row?.revision ?? 0;
  }

  get exists(): boolean {
    return this.#row !== null;
  }

  /** The draft as the API shows it, less its preview URL (the worker knows the origin). */
  info(): Omit<DraftInfo, "previewUrl"> | null {
    const row = this.#row;
    if (!row) return null;
    const { contentHash: _, message: _label, ...info } = row;
    return info;
  }

  #read(): DraftRow | null {
    const row = this.#sql
      .exec<{
        revision: number;
        code_id: string;
        content_hash: string;
        main: string;
        files: string;
        created_at: number;
        updated_at: number;
        based_on_version: number | null;
        message: string | null;
      }>("SELECT * FROM draft")
      .toArray()[0];
    if (!row) return null;
    return {
      revision: row.revision,
      codeId: row.code_id,
      contentHash: row.content_hash,
      main: row.main,
      files: JSON.parse(row.files),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      basedOnVersion: row.based_on_version,
      message: row.message,
    };
  }

  write(row: DraftRow): void {
    this.#sql.exec(
      `INSERT OR REPLACE INTO draft (singleton, revision, code_id, content_hash, main, files, created_at, updated_at, based_on_version, message)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.revision,
      row.codeId,
      row.contentHash,
      row.main,
      JSON.stringify(row.files),
      row.createdAt,
      row.updatedAt,
      row.basedOnVersion,
      row.message,
    );
    this.#row = row;
  }

  /** Deletes the row: there is no draft any more. */
  forget(): void {
    this.#sql.exec("DELETE FROM draft");
    this.#row = null;
  }
}
