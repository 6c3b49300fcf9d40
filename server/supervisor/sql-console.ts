/**
 * The SQL console on the app's database, for the API's `POST .../sql` and the terminal's `sql`
 * message alike. The database is the facet's, which the supervisor cannot open, so the statement
 * runs inside the app's isolate through a method the generated wrapper adds to the App class
 * (`sqlMethodSource`), on the running instance: no restart, and it waits at the swap gate like a
 * request, so it never runs across a swap.
 */
import { LIMITS, type SqlRequest } from "../../shared/api";
import { messageOf } from "../../shared/errors";
import type { SqlParam, SqlResult } from "../../shared/sql";
import { failure, type Outcome, success } from "../outcome";
import type { AppHost, Target } from "./app-host";
import { objectLabel } from "./objects";

/** The wrapper's console method; the prefix keeps it clear of the app's own names. */
export const SQL_METHOD = "__facetIdeSql";

/**
 * The method's source, as the wrapper's App class gets it. BLOBs come back as the hex of their first
 * 32 bytes and their length, and rows past `maxRows` are counted, not returned.
 */
export const sqlMethodSource = `${SQL_METHOD}(query, params, maxRows) {
    const encodeValue = (value) => {
      if (!(value instanceof ArrayBuffer)) return value;
      const bytes = new Uint8Array(value);
      const hex = Array.from(bytes.subarray(0, 32), (b) => b.toString(16).padStart(2, "0")).join("");
      return { blob: hex, bytes: bytes.length };
    };
    const started = performance.now();
    const cursor = this.ctx.storage.sql.exec(query, ...params);
    const rows = [];
    let totalRows = 0;
    for (const row of cursor.raw()) {
      totalRows++;
      if (rows.length < maxRows) rows.push(row.map(encodeValue));
    }
    return {
      columns: cursor.columnNames,
      rows,
      rowsRead: cursor.rowsRead,
      rowsWritten: cursor.rowsWritten,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      truncated: totalRows > rows.length,
      totalRows,
    };
  }`;

export class SqlConsole {
  #app: AppHost;
  #draft: () => AppHost | null;

  /** `draft`: the draft's host while there is a draft. */
  constructor(app: AppHost, draft: () => AppHost | null) {
    this.#app = app;
    this.#draft = draft;
  }

  /**
   * Runs one statement on the live database or the draft's (a Worker project's: on the object
   * `object` names, or the one the app uses most); SQLite's error is a 400 `sql_error`.
   */
  async run({ sql, params = [], target = "live", object }: SqlRequest): Promise<Outcome<SqlResult>> {
    const host = target === "draft" ? this.#draft() : this.#app;
    if (!host) return failure(404, "not_found", "There is no draft; save code into one first (Try on a copy)");
    const chosen = host.target(object);
    if (!chosen.ok) return chosen;
    return this.runOn(host, chosen.value, { sql, params });
  }

  /** Runs a statement on `target`'s database (the App's, or an object's) of `host`. */
  async runOn(host: AppHost, target: Target, { sql, params = [] }: { sql: string; params?: SqlParam[] }) {
    // SQLite has no boolean type: bind them as 1 and 0, as the sqlite3 shell does.
    const values = params.map((p) => (typeof p === "boolean" ? Number(p) : p));
    try {
      const result = await host.inApp(
        "SQL console query",
        (app) => app[SQL_METHOD](sql, values, LIMITS.sqlMaxRows),
        target,
      );
      return success(target ? { ...result, object: objectLabel(target) } : result);
    } catch (error) {
      return failure(400, "sql_error", sqlErrorMessage(error));
    }
  }
}

function sqlErrorMessage(error: unknown): string {
  const message = messageOf(error).replace(/^Error:\s*/, "");
  if (/SQLITE_AUTH|not authorized/i.test(message)) {
    return `${message} (tables named _cf_* are the runtime's own, such as _cf_KV behind ctx.storage.kv; SQL cannot read them)`;
  }
  return message;
}
