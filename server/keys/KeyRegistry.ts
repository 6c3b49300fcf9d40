/**
 * KeyRegistry: one Durable Object per agent key, named by the key's SHA-256 (keys.ts). It knows
 * whether the key was minted and which projects were created with it. The key itself is never
 * stored: whoever holds it can name this object, and nobody else can find it (there is no list of
 * keys to walk).
 *
 * Whether a key opens a project is not asked here: the project's supervisor stores the hash of the
 * key it was created with and checks it (supervisor/handle/access.ts). This object is asked when a key
 * creates a project (was it minted?) and to list a key's projects.
 *
 * A project's token has one too, named by the token's SHA-256 the same way, which records the
 * project it was issued for (`recordToken`): the MCP server checks a bearer before it handles any
 * message (mcp/server.ts), and a token names no project by itself. Tokens issued before this record
 * existed are recorded the first time they open their project through the API (api/operations.ts).
 */
import { DurableObject } from "cloudflare:workers";

export interface KeyProject {
  id: string;
  createdAt: number;
}

export class KeyRegistry extends DurableObject<Env> {
  #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(`
      CREATE TABLE IF NOT EXISTS agent_key (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        created_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS projects (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS project_token (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        project TEXT NOT NULL
      );
    `);
  }

  /** Records the key as minted; false if it already was (a collision of 256 random bits: never). */
  async mint(now: number): Promise<boolean> {
    if (await this.minted()) return false;
    this.#sql.exec("INSERT INTO agent_key (singleton, created_at) VALUES (1, ?)", now);
    return true;
  }

  async minted(): Promise<boolean> {
    return this.#sql.exec("SELECT 1 FROM agent_key").toArray().length > 0;
  }

  async addProject(id: string, createdAt: number): Promise<void> {
    this.#sql.exec("INSERT OR IGNORE INTO projects (id, created_at) VALUES (?, ?)", id, createdAt);
  }

  /** For a project's token: records the project it was issued for (the first record stays). */
  async recordToken(project: string): Promise<void> {
    this.#sql.exec("INSERT OR IGNORE INTO project_token (singleton, project) VALUES (1, ?)", project);
  }

  /** For an agent key: forgets a project of its list (the project was deleted). */
  async removeProject(id: string): Promise<void> {
    this.#sql.exec("DELETE FROM projects WHERE id = ?", id);
  }

  /**
   * For a project's token whose project was deleted: forgets it, so the MCP server's check refuses
   * it as a credential it never issued.
   */
  async forgetToken(): Promise<void> {
    this.#sql.exec("DELETE FROM project_token");
  }

  /** For a project's token: whether it was issued here. */
  async tokenIssued(): Promise<boolean> {
    return this.#sql.exec("SELECT 1 FROM project_token").toArray().length > 0;
  }

  /** The key's projects, newest first; null when the key was never minted. */
  async projects(): Promise<KeyProject[] | null> {
    if (!(await this.minted())) return null;
    return this.#sql
      .exec<{ id: string; created_at: number }>("SELECT id, created_at FROM projects ORDER BY created_at DESC, id")
      .toArray()
      .map((row) => ({ id: row.id, createdAt: row.created_at }));
  }
}
