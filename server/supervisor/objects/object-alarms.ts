/**
 * The alarms of a Worker project's Durable Objects: one per object, as on Cloudflare, held by the
 * supervisor like the App's (facets cannot set alarms; app-alarms.ts has the rules, retries
 * included). They live in one table, a row per object with an alarm; the supervisor's one real alarm
 * is set to the earliest of them and of the App's and the draft's (AlarmClock), and when it fires
 * every object whose alarm is due gets its `alarm()` called, one after another.
 *
 * Table: `object_alarm` (createObjectAlarmTable).
 */
import type { NewLogEntry } from "../../../shared/logs";
import type { AlarmOutcome } from "../../app-runtime/protocol";
import { type AlarmClock, type AlarmRow, AppAlarms } from "../app-host/app-alarms";
import type { Scope } from "./object-table";

/** Makes `object_alarm`: a row per object with an alarm, the live app's and the draft's (`scope`). */
export function createObjectAlarmTable(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS object_alarm (
    scope TEXT NOT NULL,
    id TEXT NOT NULL,
    scheduled_at INTEGER NOT NULL,
    retry_count INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    PRIMARY KEY (scope, id)
  )`);
}

export class ObjectAlarms {
  #ctx: DurableObjectState;
  #sql: SqlStorage;
  #scope: Scope;
  #clock: AlarmClock;
  #log: (entries: NewLogEntry[]) => void;
  #label: (id: string) => string;
  #alarms = new Map<string, AppAlarms>();

  /** `label`: how an object is named on its alarm's lines. */
  constructor(
    ctx: DurableObjectState,
    scope: Scope,
    clock: AlarmClock,
    log: (entries: NewLogEntry[]) => void,
    label: (id: string) => string,
  ) {
    this.#ctx = ctx;
    this.#sql = ctx.storage.sql;
    this.#scope = scope;
    this.#clock = clock;
    this.#log = log;
    this.#label = label;
    clock.alarms.push(this);
  }

  /** The alarm of the object `id`. */
  of(id: string): AppAlarms {
    let alarms = this.#alarms.get(id);
    if (!alarms) {
      const sql = this.#sql;
      const scope = this.#scope;
      alarms = new AppAlarms(
        this.#ctx,
        (entries) => this.#log(entries.map((e) => ({ ...e, object: this.#label(id) }))),
        {
          read: () =>
            sql
              .exec<AlarmRow>(
                "SELECT scheduled_at, retry_count, generation FROM object_alarm WHERE scope = ? AND id = ?",
                scope,
                id,
              )
              .toArray()[0] ?? null,
          write: (row) =>
            void sql.exec(
              "INSERT OR REPLACE INTO object_alarm (scope, id, scheduled_at, retry_count, generation) VALUES (?, ?, ?, ?, ?)",
              scope,
              id,
              row.scheduled_at,
              row.retry_count,
              row.generation,
            ),
          clear: () => void sql.exec("DELETE FROM object_alarm WHERE scope = ? AND id = ?", scope, id),
        },
        this.#clock,
      );
      this.#alarms.set(id, alarms);
    }
    return alarms;
  }

  /** When the earliest of these alarms is due (null: none is set), for the clock. */
  next(): number | null {
    return (
      this.#sql
        .exec<{ at: number | null }>("SELECT min(scheduled_at) AS at FROM object_alarm WHERE scope = ?", this.#scope)
        .one().at ?? null
    );
  }

  /** Runs the alarm of every object whose alarm is due. */
  async fire(
    version: number | null,
    run: (id: string, info: AlarmInvocationInfo) => Promise<AlarmOutcome>,
  ): Promise<void> {
    const due = this.#sql
      .exec<{ id: string }>(
        "SELECT id FROM object_alarm WHERE scope = ? AND scheduled_at <= ? ORDER BY scheduled_at",
        this.#scope,
        Date.now(),
      )
      .toArray();
    for (const { id } of due) await this.of(id).fire(version, (info) => run(id, info));
  }

  /** Forgets every alarm (the objects' data deleted, or the draft discarded). */
  async clear(): Promise<void> {
    this.#sql.exec("DELETE FROM object_alarm WHERE scope = ?", this.#scope);
    this.#alarms.clear();
    await this.#clock.rearm();
  }

  /** Forgets one object's alarm (the object deleted). */
  async remove(id: string): Promise<void> {
    await this.of(id).delete();
    this.#alarms.delete(id);
  }

  /** Makes these alarms what `other`'s are (the draft's copies of the live objects, or a promotion). */
  async copyFrom(other: ObjectAlarms): Promise<void> {
    this.#sql.exec("DELETE FROM object_alarm WHERE scope = ?", this.#scope);
    this.#sql.exec(
      `INSERT INTO object_alarm (scope, id, scheduled_at, retry_count, generation)
       SELECT ?, id, scheduled_at, retry_count, generation + 1 FROM object_alarm WHERE scope = ?`,
      this.#scope,
      other.#scope,
    );
    this.#alarms.clear();
    await this.#clock.rearm();
  }
}
