/**
 * The supervisor's own SQLite database: the project row, its versions, its variables and the key of
 * the app's channel. The app's database is a different one (the facet's) and is never opened here.
 *
 * Tables: `project`, `versions`, `env_vars`, `channel_key`, made by `createVersionTables` from the
 * schema in tables.ts. The rows of `versions` are read and written by version-rows.ts, `env_vars`
 * by env-vars.ts; this class is the one handle the supervisor holds on them all.
 */
import type { EnvVarInfo, ProjectInfo, VersionSummary } from "../../../shared/api";
import { EnvVars } from "./env-vars";
import { ADDED_COLUMNS, PROJECT_SCHEMA, VERSION_SCHEMA } from "./tables";
import { insertVersionRow, listVersionRows, readVersionRow, type VersionRow } from "./version-rows";

export type { VersionRow } from "./version-rows";

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
  #env: EnvVars;
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
  #channelKey: string | null = null;

  /** `sql`: the supervisor's database, its tables made (createVersionTables). */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
    this.#env = new EnvVars(sql);
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
    return readVersionRow(this.#sql, version);
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
    return listVersionRows(this.#sql);
  }

  nextVersionNumber(): number {
    const row = this.#sql.exec<{ v: number | null }>("SELECT max(version) AS v FROM versions").one();
    return (row.v ?? 0) + 1;
  }

  /** Records a version and makes it current, in one transaction. */
  addVersion(v: VersionRow): void {
    insertVersionRow(this.#sql, v);
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
    return this.#env.list();
  }

  setEnv(name: string, value: string, secret: boolean): void {
    this.#env.set(name, value, secret);
  }

  deleteEnv(name: string): boolean {
    return this.#env.delete(name);
  }

  /** What the app gets as `this.env`, and a short hash of it for the loader's cache key. */
  appEnv(): { values: Record<string, string>; hash: string } {
    return this.#env.appEnv();
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
    this.#env.forget();
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
