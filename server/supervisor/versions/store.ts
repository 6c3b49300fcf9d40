/**
 * The supervisor's own SQLite database: the project row, its versions, its variables and the key of
 * the app's channel. The app's database is a different one (the facet's) and is never opened here.
 *
 * Tables: `project`, `versions`, `env_vars`, `channel_key`, made by `createVersionTables` from the
 * schema in tables.ts.
 */
import { type EnvVarInfo, envVarNameProblem, type ProjectInfo, type VersionSummary } from "../../../shared/api";
import { PackageLock } from "../../../shared/packages";
import { ADDED_COLUMNS, PROJECT_SCHEMA, VERSION_SCHEMA } from "./tables";

/** What the API's `ProjectInfo` says, less the preview URL (the worker knows the origin). */
export type ProjectSummary = Omit<ProjectInfo, "previewUrl">;

export interface ProjectRow {
  id: string;
  tokenHash: string;
  /** The agent key the project was created with (it opens the project too), as a SHA-256. */
  ownerKeyHash: string | null;
  createdAt: number;
  updatedAt: number;
  currentVersion: number | null;
  /** A version that froze the runtime, as the launcher's verdict marked it (verdicts.ts). */
  hung: { version: number; detail: string } | null;
  requests: number;
  errors: number;
}

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

/** Makes the tables of tables.ts, and adds the columns added since a project's were made. */
export function createVersionTables(sql: SqlStorage): void {
  sql.exec(PROJECT_SCHEMA);
  sql.exec(VERSION_SCHEMA);
  // A project created before a column existed gets it (CREATE TABLE IF NOT EXISTS leaves it as it was).
  for (const [table, column, alter] of ADDED_COLUMNS) {
    const has = sql.exec("SELECT 1 FROM pragma_table_info(?) WHERE name = ?", table, column).toArray();
    if (has.length === 0) sql.exec(alter);
  }
}

export class SupervisorStore {
  #sql: SqlStorage;
  /** Cached because every app request needs it; written through on each change. */
  #project: ProjectRow | null;
  #versionByCodeId = new Map<string, number>();
  /**
   * The current version's row: every app request needs its code ID (the channel's secret), and
   * reading it (files and all) from SQLite on every request would be the largest cost of the
   * supervisor's path (bench/profile/cpu-profile.mjs). Rows never change once written, so it is only
   * kept by number.
   */
  #current: VersionRow | null = null;
  #appEnv: { values: Record<string, string>; hash: string } | null = null;
  #channelKey: string | null = null;

  /** `sql`: the supervisor's database, its tables made (createVersionTables). */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
    this.#project = this.#readProject();
  }

  get project(): ProjectRow | null {
    return this.#project;
  }

  #readProject(): ProjectRow | null {
    const row = this.#sql
      .exec<{
        id: string;
        token_hash: string;
        owner_key_hash: string | null;
        created_at: number;
        updated_at: number;
        current_version: number | null;
        hung_version: number | null;
        hung_detail: string | null;
        requests: number;
        errors: number;
      }>("SELECT * FROM project")
      .toArray()[0];
    if (!row) return null;
    return {
      id: row.id,
      tokenHash: row.token_hash,
      ownerKeyHash: row.owner_key_hash,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      currentVersion: row.current_version,
      hung: row.hung_version !== null ? { version: row.hung_version, detail: row.hung_detail ?? "" } : null,
      requests: row.requests,
      errors: row.errors,
    };
  }

  createProject(id: string, tokenHash: string, ownerKeyHash: string | null, now: number): void {
    this.#sql.exec(
      "INSERT INTO project (singleton, id, token_hash, owner_key_hash, created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?)",
      id,
      tokenHash,
      ownerKeyHash,
      now,
      now,
    );
    this.#project = this.#readProject();
  }

  version(version: number): VersionRow | null {
    const row = this.#sql
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

  currentVersion(): VersionRow | null {
    const current = this.#project?.currentVersion;
    if (current == null) return null;
    if (this.#current?.version !== current) {
      const row = this.version(current);
      this.#current = row && Object.freeze({ ...row, files: Object.freeze(row.files) });
    }
    return this.#current;
  }

  listVersions(): Omit<VersionSummary, "data">[] {
    return this.#sql
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

  nextVersionNumber(): number {
    const row = this.#sql.exec<{ v: number | null }>("SELECT max(version) AS v FROM versions").one();
    return (row.v ?? 0) + 1;
  }

  /** Records a version and makes it current, in one transaction. */
  addVersion(v: VersionRow): void {
    this.#sql.exec(
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
    this.#sql.exec("UPDATE project SET current_version = ?, updated_at = ?", v.version, v.createdAt);
    this.#versionByCodeId.set(v.codeId, v.version);
    this.#project = this.#readProject();
  }

  /** Takes back a version `addVersion` just made (its App did not start): `previous` is current again. */
  removeVersion(version: number, previous: number | null): void {
    const row = this.#sql
      .exec<{ code_id: string }>("SELECT code_id FROM versions WHERE version = ?", version)
      .toArray()[0];
    this.#sql.exec("DELETE FROM versions WHERE version = ?", version);
    this.#sql.exec("UPDATE project SET current_version = ?", previous);
    if (row) this.#versionByCodeId.delete(row.code_id);
    this.#project = this.#readProject();
  }

  /** The newest version that runs this code (the same content can be saved again as a later version). */
  versionOfCode(codeId: string): number | null {
    const cached = this.#versionByCodeId.get(codeId);
    if (cached !== undefined) return cached;
    const row = this.#sql
      .exec<{ v: number | null }>("SELECT max(version) AS v FROM versions WHERE code_id = ?", codeId)
      .one();
    if (row.v !== null) this.#versionByCodeId.set(codeId, row.v);
    return row.v;
  }

  listEnv(): EnvVarInfo[] {
    return this.#sql
      .exec<{ name: string; value: string; secret: number }>("SELECT name, value, secret FROM env_vars ORDER BY name")
      .toArray()
      .map((r) => (r.secret ? { name: r.name, secret: true } : { name: r.name, value: r.value, secret: false }));
  }

  setEnv(name: string, value: string, secret: boolean): void {
    this.#sql.exec(
      "INSERT OR REPLACE INTO env_vars (name, value, secret) VALUES (?, ?, ?)",
      name,
      value,
      secret ? 1 : 0,
    );
    this.#appEnv = null;
  }

  deleteEnv(name: string): boolean {
    const { rowsWritten } = this.#sql.exec("DELETE FROM env_vars WHERE name = ?", name);
    this.#appEnv = null;
    return rowsWritten > 0;
  }

  /** What the app gets as `this.env`, and a short hash of it for the loader's cache key. */
  appEnv(): { values: Record<string, string>; hash: string } {
    if (this.#appEnv) return this.#appEnv;
    const values: Record<string, string> = {};
    for (const row of this.#sql.exec<{ name: string; value: string }>(
      "SELECT name, value FROM env_vars ORDER BY name",
    )) {
      // Names set before they were refused (`__proto__`, the bridges' keys) are not passed on.
      if (envVarNameProblem(row.name) === null) values[row.name] = row.value;
    }
    this.#appEnv = { values, hash: fnv1a(JSON.stringify(values)) };
    return this.#appEnv;
  }

  summary(): ProjectSummary | null {
    const project = this.#project;
    if (!project) return null;
    return {
      id: project.id,
      version: project.currentVersion,
      codeId: this.currentVersion()?.codeId ?? null,
      createdAt: project.createdAt,
      updatedAt: project.updatedAt,
      requests: project.requests,
      errors: project.errors,
    };
  }

  /** The project's channel key (app-channel.ts), made on first use. */
  channelKey(): string {
    if (this.#channelKey) return this.#channelKey;
    const row = this.#sql.exec<{ key: string }>("SELECT key FROM channel_key").toArray()[0];
    let key = row?.key;
    if (!key) {
      key = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");
      this.#sql.exec("INSERT INTO channel_key (singleton, key) VALUES (1, ?)", key);
    }
    this.#channelKey = key;
    return key;
  }

  /**
   * Forgets the project (a fork or import whose seed could not go live): every row of the
   * supervisor's tables, so the name can be used again.
   */
  wipe(): void {
    const tables = this.#sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
      )
      .toArray();
    for (const { name } of tables) this.#sql.exec(`DELETE FROM "${name}"`);
    this.#project = null;
    this.#current = null;
    this.#channelKey = null;
    this.#versionByCodeId.clear();
    this.#appEnv = null;
  }

  /** Marks `version` (DRAFT_HANG_VERSION for the draft) as having frozen the runtime: it is not run again. */
  markHung(version: number, detail: string): void {
    this.#sql.exec("UPDATE project SET hung_version = ?, hung_detail = ?", version, detail);
    this.#project = this.#readProject();
  }

  /** Lets code marked as hung run again (a new save of the draft, whose hangs are marked as `version`). */
  clearHung(version: number): void {
    if (this.#project?.hung?.version !== version) return;
    this.#sql.exec("UPDATE project SET hung_version = NULL, hung_detail = NULL");
    this.#project = this.#readProject();
  }

  /** Adds to the request and error counters shown by GET /api/projects/:id. */
  addCounters(requests: number, errors: number): void {
    if (!this.#project || requests === 0) return;
    this.#sql.exec("UPDATE project SET requests = requests + ?, errors = errors + ?", requests, errors);
    this.#project = {
      ...this.#project,
      requests: this.#project.requests + requests,
      errors: this.#project.errors + errors,
    };
  }
}

/** A short, synchronous hash (the loader key needs one on every facet start; it guards no secret). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/** A stored lock (this database wrote it; one that no longer reads counts as none, and the next save resolves again). */
function lockOf(text: string | null): PackageLock {
  if (text === null) return [];
  const parsed = PackageLock.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : [];
}
