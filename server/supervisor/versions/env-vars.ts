/**
 * The project's environment variables and secrets (the `env_vars` table), and what the app gets of
 * them as `this.env`, kept until they change.
 */
import { type EnvVarInfo, envVarNameProblem } from "../../../shared/api";

export class EnvVars {
  #sql: SqlStorage;
  #appEnv: { values: Record<string, string>; hash: string } | null = null;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  list(): EnvVarInfo[] {
    return this.#sql
      .exec<{ name: string; value: string; secret: number }>("SELECT name, value, secret FROM env_vars ORDER BY name")
      .toArray()
      .map((r) => (r.secret ? { name: r.name, secret: true } : { name: r.name, value: r.value, secret: false }));
  }

  set(name: string, value: string, secret: boolean): void {
    this.#sql.exec(
      "INSERT OR REPLACE INTO env_vars (name, value, secret) VALUES (?, ?, ?)",
      name,
      value,
      secret ? 1 : 0,
    );
    this.#appEnv = null;
  }

  delete(name: string): boolean {
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

  /** Drops what it kept (the tables were emptied). */
  forget(): void {
    this.#appEnv = null;
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
