/**
 * The app's alarm, held by the supervisor. Facets cannot set alarms ("Facets currently cannot set
 * alarms."), so the wrapper routes `ctx.storage.setAlarm/getAlarm/deleteAlarm` here through the
 * AlarmBridge entrypoint, the supervisor sets its own alarm, and when it fires calls the app's
 * `alarm(alarmInfo)`. As in a standalone Durable Object: one alarm per app, retried with exponential
 * backoff when `alarm()` throws (up to 6 retries), `alarmInfo.retryCount` / `isRetry` as documented,
 * and kept across swaps and restarts (it lives in the supervisor's SQLite and alarm). While `alarm()`
 * runs, `getAlarm()` returns null unless the handler set a new alarm, as Cloudflare documents (the
 * running alarm is spent; code that re-arms "if no alarm is set", like the docs' rate limiter,
 * depends on it).
 */
import type { NewLogEntry } from "../../shared/logs";
import type { AlarmOutcome } from "./wrapper";

const MAX_RETRIES = 6;
const FIRST_RETRY_MS = 2_000;

type AlarmRow = {
  scheduled_at: number;
  retry_count: number;
  generation: number;
};

export class AppAlarms {
  #ctx: DurableObjectState;
  #log: (entries: NewLogEntry[]) => void;
  /** The generation of the alarm whose handler is running, which getAlarm() no longer reports. */
  #running: number | null = null;

  constructor(ctx: DurableObjectState, log: (entries: NewLogEntry[]) => void) {
    this.#ctx = ctx;
    this.#log = log;
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS app_alarm (
      singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
      scheduled_at INTEGER NOT NULL,
      retry_count INTEGER NOT NULL,
      generation INTEGER NOT NULL
    )`);
  }

  #row(): AlarmRow | null {
    return (
      this.#ctx.storage.sql
        .exec<AlarmRow>("SELECT scheduled_at, retry_count, generation FROM app_alarm")
        .toArray()[0] ?? null
    );
  }

  async set(time: number): Promise<void> {
    const generation = (this.#row()?.generation ?? 0) + 1;
    this.#ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO app_alarm (singleton, scheduled_at, retry_count, generation) VALUES (1, ?, 0, ?)",
      time,
      generation,
    );
    await this.#ctx.storage.setAlarm(time);
  }

  get(): number | null {
    const row = this.#row();
    if (!row || row.generation === this.#running) return null;
    return row.scheduled_at;
  }

  async delete(): Promise<void> {
    this.#ctx.storage.sql.exec("DELETE FROM app_alarm");
    await this.#ctx.storage.deleteAlarm();
  }

  /** The supervisor's alarm fired: run the app's handler, then clear, keep or retry. */
  async fire(version: number | null, run: (info: AlarmInvocationInfo) => Promise<AlarmOutcome>): Promise<void> {
    const row = this.#row();
    if (!row) return;
    if (row.scheduled_at > Date.now()) {
      await this.#ctx.storage.setAlarm(row.scheduled_at);
      return;
    }
    const started = Date.now();
    let outcome: AlarmOutcome;
    this.#running = row.generation;
    try {
      outcome = await run({
        retryCount: row.retry_count,
        isRetry: row.retry_count > 0,
        scheduledTime: row.scheduled_at,
      });
    } catch (error) {
      outcome = { ok: false, name: "Error", message: String(error), stack: "" };
    } finally {
      this.#running = null;
    }
    const ms = Date.now() - started;
    const now = this.#row();
    // The handler may have set a new alarm; that one stands.
    const replaced = !now || now.generation !== row.generation;
    const at = Date.now();
    if (outcome.ok || ("missing" in outcome && outcome.missing)) {
      const message = outcome.ok
        ? `alarm v${version} ok ${ms} ms`
        : `alarm v${version}: the App class has no alarm() method`;
      this.#log([{ kind: "system", level: outcome.ok ? "info" : "warn", at, version, message }]);
      if (!replaced) await this.delete();
      return;
    }
    const { name, message, stack } = outcome;
    this.#log([{ kind: "exception", at, version, name, message, stack }]);
    if (replaced) return;
    if (row.retry_count >= MAX_RETRIES) {
      this.#log([
        {
          kind: "system",
          level: "error",
          at,
          version,
          message: `alarm v${version} failed ${MAX_RETRIES + 1} times; giving up`,
        },
      ]);
      await this.delete();
      return;
    }
    const delay = FIRST_RETRY_MS * 2 ** row.retry_count;
    this.#log([
      {
        kind: "system",
        level: "warn",
        at,
        version,
        message: `alarm v${version} threw; retry ${row.retry_count + 1} in ${delay / 1000} s`,
      },
    ]);
    this.#ctx.storage.sql.exec("UPDATE app_alarm SET retry_count = retry_count + 1, scheduled_at = ?", at + delay);
    await this.#ctx.storage.setAlarm(at + delay);
  }
}
