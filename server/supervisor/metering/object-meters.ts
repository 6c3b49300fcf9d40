/**
 * A meter for each object of a Worker project (meter.ts: the same buckets, rolled up and kept as
 * long as the project's), in two tables keyed by the object's ID. The project's own meter still
 * counts everything; these say which object it was. An object's history stays after the object is
 * deleted (what it did is a record, as the project's is after a reset) and ages out with the rest.
 *
 * Tables: `meter_object_minutes`, `meter_object_hours` (createObjectMeterTables).
 */
import { HOUR, KEEP_HOURS_MS, KEEP_MINUTES_MS, Meter } from "./meter";

/** Makes `meter_object_minutes` and `meter_object_hours` (meter.ts's tables, with the object's ID). */
export function createObjectMeterTables(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS meter_object_minutes (
    object TEXT NOT NULL, minute INTEGER NOT NULL, bucket TEXT NOT NULL,
    database_bytes INTEGER, snapshot_bytes INTEGER, PRIMARY KEY (object, minute)
  );
  CREATE TABLE IF NOT EXISTS meter_object_hours (
    object TEXT NOT NULL, hour INTEGER NOT NULL, bucket TEXT NOT NULL,
    database_bytes INTEGER, snapshot_bytes INTEGER, PRIMARY KEY (object, hour)
  );`);
}

export class ObjectMeters {
  #sql: SqlStorage;
  #meters = new Map<string, Meter>();
  #agedHour = -1;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** The meter of the object `id` (an ID the registry knows: the app's code may name any). */
  of(id: string, now = Date.now()): Meter {
    let meter = this.#meters.get(id);
    if (!meter) {
      meter = new Meter(this.#sql, id);
      this.#meters.set(id, meter);
    }
    this.#age(now);
    return meter;
  }

  /**
   * Once an hour: each meter rolls its own old minutes up when it writes, but an object nobody calls
   * any more never writes, so its old minutes are rolled up here, and hours past 30 days dropped.
   */
  #age(now: number): void {
    const hour = Math.floor(now / HOUR);
    if (hour === this.#agedHour) return;
    this.#agedHour = hour;
    const idle = this.#sql
      .exec<{ object: string }>(
        "SELECT DISTINCT object FROM meter_object_minutes WHERE minute < ?",
        now - KEEP_MINUTES_MS,
      )
      .toArray();
    for (const { object } of idle) {
      const meter = this.#meters.get(object) ?? new Meter(this.#sql, object);
      meter.flush(now);
    }
    this.#sql.exec("DELETE FROM meter_object_hours WHERE hour < ?", now - KEEP_HOURS_MS);
  }

  flush(now = Date.now()): void {
    for (const meter of this.#meters.values()) meter.flush(now);
  }
}
