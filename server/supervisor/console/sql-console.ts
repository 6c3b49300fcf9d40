/**
 * The SQL console on the app's database, for the API's `POST .../sql` and the terminal's `sql`
 * message alike. The database is the facet's, which the supervisor cannot open, so the statement
 * runs inside the app's isolate through a method of the wrapped App class (SQL_METHOD,
 * app-runtime/data/sql-console.ts), on the running instance: no restart, and it waits at the swap gate like a
 * request, so it never runs across a swap. Its answer comes from the app's isolate, so it is waited
 * for with a bound and checked before anyone sees it.
 */
import { LIMITS, type SqlRequest } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import type { SqlParam, SqlResult } from "../../../shared/sql";
import { SQL_METHOD } from "../../app-runtime/protocol";
import { failure, type Outcome, success } from "../../outcome";
import { sqlResultReport, within } from "../app-host/app-channel";
import type { AppHost, Target } from "../app-host/app-host";
import { objectLabel } from "../objects/objects";
import type { Cooldowns } from "../versions/cooldowns";

/** How long the supervisor waits for the app's isolate to answer a statement. */
const SQL_TIMEOUT_MS = 30_000;

export class SqlConsole {
  #app: AppHost;
  #draft: () => AppHost | null;
  #cooldowns: Cooldowns;

  /** `draft`: the draft's host while there is a draft. */
  constructor(app: AppHost, draft: () => AppHost | null, cooldowns: Cooldowns) {
    this.#app = app;
    this.#draft = draft;
    this.#cooldowns = cooldowns;
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
    // After a statement of this project's froze the runtime, its console and Data view wait (cooldowns.ts).
    const cooling = this.#cooldowns.refusal("sql");
    if (cooling) return cooling;
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
