/**
 * The SQL console on the app's database, for the API's `POST .../sql` and the terminal's `sql`
 * message alike. The database is the facet's, which the supervisor cannot open, so the statement
 * runs inside the app's isolate through a method the generated wrapper adds to the App class
 * (`sqlMethodSource`), on the running instance: no restart, and it waits at the swap gate like a
 * request, so it never runs across a swap. Its answer comes from the app's isolate, so it is waited
 * for with a bound and checked before anyone sees it.
 */
import { LIMITS, type SqlRequest } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import type { SqlParam, SqlResult } from "../../../shared/sql";
import { failure, type Outcome, success } from "../../outcome";
import { sqlResultReport, within } from "../app-host/app-channel";
import type { AppHost, Target } from "../app-host/app-host";
import { objectLabel } from "../objects/objects";

/** The wrapper's console method; the prefix keeps it clear of the app's own names. */
export const SQL_METHOD = "__facetIdeSql";

/** The console stops counting a result's rows after this many, or after this long (it keeps the first maxRows). */
export const SQL_COUNT_LIMIT = 100_000;
export const SQL_COUNT_MS = 250;
/** Bytes of row data one result carries at most; rows past it are cut like rows past maxRows. */
export const SQL_RESULT_MAX_BYTES = 8 * 1024 * 1024;
/** How long the supervisor waits for the app's isolate to answer a statement. */
const SQL_TIMEOUT_MS = 30_000;

/**
 * The method's source, as the wrapper's App class gets it (with `O`, the built-ins the guard module
 * kept, and `enter`, its activity marker). BLOBs come back as the hex of their first 32 bytes and
 * their length. Rows past `maxRows` are only counted, and counting stops after SQL_COUNT_LIMIT rows
 * or SQL_COUNT_MS: a 10-million-row SELECT, or an endless recursive CTE, must not hold the runtime
 * while the console counts. (A single step that never ends, such as count(*) over an endless CTE,
 * cannot be stopped from here: the launcher recovers from that, see README.)
 */
export const sqlMethodSource = `${SQL_METHOD}(query, params, maxRows) {
    enter("console", query);
    const encodeValue = (value) => {
      if (!(value instanceof ArrayBuffer)) return value;
      const bytes = new Uint8Array(value);
      let hex = "";
      for (let i = 0; i < bytes.length && i < 32; i++) hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
      return { blob: hex, bytes: bytes.length };
    };
    const started = O.perfNow();
    const cursor = this.ctx.storage.sql.exec(query, ...params);
    const columns = cursor.columnNames;
    const rows = [];
    let totalRows = 0;
    let bytes = 0;
    let exact = true;
    for (const row of cursor.raw()) {
      totalRows++;
      if (rows.length < maxRows && bytes < ${SQL_RESULT_MAX_BYTES}) {
        const encoded = row.map(encodeValue);
        for (const value of encoded) bytes += typeof value === "string" ? value.length * 2 : 16;
        rows.push(encoded);
      } else if (totalRows >= ${SQL_COUNT_LIMIT} || O.perfNow() - started > ${SQL_COUNT_MS}) {
        exact = false;
        break;
      }
    }
    return {
      columns,
      rows,
      rowsRead: cursor.rowsRead,
      rowsWritten: cursor.rowsWritten,
      durationMs: Math.round((O.perfNow() - started) * 100) / 100,
      truncated: totalRows > rows.length || !exact,
      totalRows,
      totalRowsExact: exact,
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
    if (!host) return failure("not_found", "There is no draft; save code into one first (Try on a copy)");
    const chosen = host.target(object);
    if (!chosen.ok) return chosen;
    return this.runOn(host, chosen.value, { sql, params });
  }

  /** Runs a statement on `target`'s database (the App's, or an object's) of `host`. */
  async runOn(host: AppHost, target: Target, { sql, params = [] }: { sql: string; params?: SqlParam[] }) {
    // SQLite has no boolean type: bind them as 1 and 0, as the sqlite3 shell does.
    const values = params.map((p) => (typeof p === "boolean" ? Number(p) : p));
    try {
      // What comes back is the app's isolate's answer: waited for with a bound, and checked.
      const answer = await host.inApp(
        "SQL console query",
        (app) =>
          within(app[SQL_METHOD](sql, values, LIMITS.sqlMaxRows), SQL_TIMEOUT_MS, () => {
            throw new Error(`The statement did not finish within ${SQL_TIMEOUT_MS / 1000} s`);
          }),
        target,
      );
      const result = sqlResultReport(answer, LIMITS.sqlMaxRows);
      if (!result) return failure("sql_error", "The app's database answered with a result the console cannot read");
      return success(target ? { ...result, object: objectLabel(target) } : result);
    } catch (error) {
      return failure("sql_error", sqlErrorMessage(error));
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
