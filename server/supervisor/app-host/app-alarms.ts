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
 *
 * The draft has an alarm of its own (table `draft_alarm`), so a draft's setAlarm never moves the live
 * app's; the supervisor's one real alarm is set to the earlier of the two (`AlarmClock`).
 *
 * Tables: `app_alarm` and `draft_alarm` (createAppAlarmTables).
 */
import type { NewLogEntry } from "../../../shared/logs";
import { type AlarmOutcome, HEADER_MAX_LINES } from "../../app-runtime/protocol";
import { appLogEntries } from "./app-channel";

const MAX_RETRIES = 6;
const FIRST_RETRY_MS = 2_000;

export type AlarmRow = {
  scheduled_at: number;
  retry_count: number;
  generation: number;
};

/** Where one alarm is kept: a table of one row (the App's, the draft's), or one object's row of a table. */
export interface AlarmSlot {
  read(): AlarmRow | null;
  write(row: AlarmRow): void;
  clear(): void;
}

/** The tables of one row each that hold the App's alarm (`app_alarm`) and the draft's (`draft_alarm`). */
export type AlarmTable = "app_alarm" | "draft_alarm";

/** Makes `app_alarm` and `draft_alarm`. */
export function createAppAlarmTables(sql: SqlStorage): void {
  for (const table of ["app_alarm", "draft_alarm"] satisfies AlarmTable[]) {
    sql.exec(`CREATE TABLE IF NOT EXISTS ${table} (
      singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
      scheduled_at INTEGER NOT NULL,
      retry_count INTEGER NOT NULL,
      generation INTEGER NOT NULL
    )`);
  }
}

/** The slot of a one-row table. */
function tableSlot(sql: SqlStorage, table: AlarmTable): AlarmSlot {
  return {
    read: () => sql.exec<AlarmRow>(`SELECT scheduled_at, retry_count, generation FROM ${table}`).toArray()[0] ?? null,
    write: (row) =>
      void sql.exec(
        `INSERT OR REPLACE INTO ${table} (singleton, scheduled_at, retry_count, generation) VALUES (1, ?, ?, ?)`,
        row.scheduled_at,
        row.retry_count,
        row.generation,
      ),
    clear: () => void sql.exec(`DELETE FROM ${table}`),
  };
}

/** Sets the supervisor's one real alarm to the earliest of its apps' alarms. */
export class AlarmClock {
  readonly alarms: { next(): number | null }[] = [];
  #ctx: DurableObjectState;

  constructor(ctx: DurableObjectState) {
    this.#ctx = ctx;
  }

  async rearm(): Promise<void> {
    const times = this.alarms.map((a) => a.next()).filter((t) => t !== null);
    if (times.length > 0) await this.#ctx.storage.setAlarm(Math.min(...times));
    else await this.#ctx.storage.deleteAlarm();
  }
}

export class AppAlarms {
  #log: (entries: NewLogEntry[]) => void;
  #slot: AlarmSlot;
  #clock: AlarmClock;
  /** The generation of the alarm whose handler is running, which getAlarm() no longer reports. */
  #running: number | null = null;

  /**
   * `slot`: a table name ("app_alarm" for the live app, "draft_alarm" for the draft), kept in the
   * clock's list; or a slot of a Worker project's object, which ObjectAlarms keeps in the list for all.
   */
  constructor(
    ctx: DurableObjectState,
    log: (entries: NewLogEntry[]) => void,
    slot: AlarmTable | AlarmSlot,
    clock: AlarmClock,
  ) {
    this.#log = log;
    this.#clock = clock;
    if (typeof slot === "string") {
      this.#slot = tableSlot(ctx.storage.sql, slot);
      clock.alarms.push(this);
    } else {
      this.#slot = slot;
    }
  }

  #row(): AlarmRow | null {
    return this.#slot.read();
  }

  #write(row: AlarmRow): void {
    this.#slot.write(row);
  }

  async set(time: number): Promise<void> {
    this.#write({ scheduled_at: time, retry_count: 0, generation: (this.#row()?.generation ?? 0) + 1 });
    await this.#clock.rearm();
  }

  get(): number | null {
    const row = this.#row();
    if (!row || row.generation === this.#running) return null;
    return row.scheduled_at;
  }

  /** When this alarm is due (null: none set), for the clock. */
  next(): number | null {
    return this.#row()?.scheduled_at ?? null;
  }

  async delete(): Promise<void> {
    this.#slot.clear();
    await this.#clock.rearm();
  }

  /** Makes this alarm what `other`'s is (a draft copying the live app's, a promoted draft's going live). */
  async copyFrom(other: AppAlarms): Promise<void> {
    const row = other.#row();
    if (row) this.#write({ ...row, generation: (this.#row()?.generation ?? 0) + 1 });
    else this.#slot.clear();
    await this.#clock.rearm();
  }

  /** The supervisor's alarm fired: if this one is due, run the app's handler, then clear, keep or retry. */
  async fire(version: number | null, run: (info: AlarmInvocationInfo) => Promise<AlarmOutcome>): Promise<void> {
    const row = this.#row();
    if (!row || row.scheduled_at > Date.now()) return;
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
    const lines = "lines" in outcome ? (appLogEntries(outcome.lines, version, HEADER_MAX_LINES) ?? []) : [];
    if (lines.length > 0) this.#log(lines);
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
    this.#write({ ...row, retry_count: row.retry_count + 1, scheduled_at: at + delay });
    await this.#clock.rearm();
  }
}
