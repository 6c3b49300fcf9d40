/**
 * The project's meter, in the supervisor's SQLite: a bucket per minute for 24 hours, rolled up into a
 * bucket per hour for 30 days (meter-buckets.ts says what a bucket holds). Counting touches memory
 * only; the buckets that changed are written a second later, one row each, so a busy app costs the
 * meter one small write a second, not one per request. A Worker project's objects each have a meter
 * of the same kind, kept in tables of their own (object-meters.ts).
 *
 * Tables: `meter_minutes`, `meter_hours` (createMeterTables).
 */
import type { Limits, MetricsResponse, MetricsWindow } from "../../../shared/metrics";
import { LastMinute } from "./last-minute";
import { addSample } from "./latency-histogram";
import { emptyBucket, type MeterBucket, mergeBucket, parseBucket, statusClass } from "./meter-buckets";
import { metricsReport } from "./meter-report";

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const KEEP_MINUTES_MS = 24 * HOUR;
export const KEEP_HOURS_MS = 30 * 24 * HOUR;
const FLUSH_AFTER_MS = 1_000;

const WINDOWS: Record<MetricsWindow, { step: number; count: number }> = {
  "1h": { step: MINUTE, count: 60 },
  "24h": { step: MINUTE, count: 24 * 60 },
  "30d": { step: HOUR, count: 30 * 24 },
};

/** Makes the project's meter's tables, `meter_minutes` and `meter_hours`. */
export function createMeterTables(sql: SqlStorage): void {
  // The gauges have columns of their own, so the last value before a window is one query.
  sql.exec(`CREATE TABLE IF NOT EXISTS meter_minutes (
    minute INTEGER PRIMARY KEY, bucket TEXT NOT NULL, database_bytes INTEGER, snapshot_bytes INTEGER
  );
  CREATE TABLE IF NOT EXISTS meter_hours (
    hour INTEGER PRIMARY KEY, bucket TEXT NOT NULL, database_bytes INTEGER, snapshot_bytes INTEGER
  );`);
}

export class Meter {
  #sql: SqlStorage;
  #minutes = "meter_minutes";
  #hours = "meter_hours";
  /** An object's meter: `object = ? AND ` in each query, with `#key` (its ID) first in the arguments. */
  #only = "";
  #key: [] | [string] = [];
  /** Buckets counted since the last write, by the start of their minute. */
  #dirty = new Map<number, MeterBucket>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #rolledUpHour = -1;
  #lastMinute = new LastMinute();
  #databaseBytes: number | null;
  #busySince: number | null = null;

  /**
   * `object`: one object's meter (its ID), in the objects' tables, which have an `object` column
   * (object-meters.ts); without it, the project's.
   */
  constructor(sql: SqlStorage, object: string | null = null) {
    this.#sql = sql;
    if (object !== null) {
      this.#minutes = "meter_object_minutes";
      this.#hours = "meter_object_hours";
      this.#only = "object = ? AND ";
      this.#key = [object];
    }
    this.#databaseBytes = this.#gaugeBefore("database_bytes", Number.MAX_SAFE_INTEGER);
  }

  /** Writes a bucket's row (`at`: its minute or hour) into `table`. */
  #write(table: string, unit: "minute" | "hour", at: number, bucket: MeterBucket): void {
    const keyColumn = this.#key.length > 0 ? "object, " : "";
    const keyValue = this.#key.length > 0 ? "?, " : "";
    this.#sql.exec(
      `INSERT OR REPLACE INTO ${table} (${keyColumn}${unit}, bucket, database_bytes, snapshot_bytes) VALUES (${keyValue}?, ?, ?, ?)`,
      ...this.#key,
      at,
      JSON.stringify(bucket),
      bucket.databaseBytes,
      bucket.snapshotBytes,
    );
  }

  /** The database's size as the app last reported it. */
  get databaseBytes(): number | null {
    return this.#databaseBytes;
  }

  lastMinute(now = Date.now()): { requests: number; errors: number } {
    return this.#lastMinute.totals(now);
  }

  #bucket(now: number): MeterBucket {
    const minute = Math.floor(now / MINUTE) * MINUTE;
    let bucket = this.#dirty.get(minute);
    if (!bucket) {
      // After a restart the minute may already have a row: go on counting into it.
      const row = this.#sql
        .exec<{ bucket: string }>(
          `SELECT bucket FROM ${this.#minutes} WHERE ${this.#only}minute = ?`,
          ...this.#key,
          minute,
        )
        .toArray()[0];
      bucket = row ? parseBucket(row.bucket) : emptyBucket();
      this.#dirty.set(minute, bucket);
    }
    this.#timer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS);
    return bucket;
  }

  /** A request the app answered (or failed to): its status and time to the response headers. */
  request(status: number | null, durationMs: number | null, now = Date.now()): void {
    const bucket = this.#bucket(now);
    bucket.requests++;
    const index = statusClass(status);
    if (index !== null) bucket.status[index] = (bucket.status[index] ?? 0) + 1;
    if (durationMs !== null) {
      addSample(bucket.latency, durationMs);
      bucket.latencySumMs += Math.max(0, Math.round(durationMs));
    }
    this.#lastMinute.add(now, 1, index === 4 ? 1 : 0);
  }

  /** A request the rate limit answered with 429. */
  rateLimited(now = Date.now()): void {
    const bucket = this.#bucket(now);
    bucket.requests++;
    bucket.rateLimited++;
    bucket.status[3] = (bucket.status[3] ?? 0) + 1;
    this.#lastMinute.add(now, 1, 0);
  }

  add(
    counts: Partial<
      Pick<
        MeterBucket,
        | "exceptions"
        | "wsIn"
        | "wsOut"
        | "alarms"
        | "rowsRead"
        | "rowsWritten"
        | "writesRefused"
        | "logLines"
        | "logLinesDropped"
        | "saves"
        | "subrequests"
      >
    >,
    now = Date.now(),
  ): void {
    const bucket = this.#bucket(now);
    for (const [key, value] of Object.entries(counts) as [keyof typeof counts, number][]) bucket[key] += value;
  }

  /** Disk the data snapshots hold, measured when one is taken or dropped. */
  snapshotSize(bytes: number, now = Date.now()): void {
    const bucket = this.#bucket(now);
    bucket.snapshotBytes = bytes;
  }

  databaseSize(bytes: number, now = Date.now()): void {
    const bucket = this.#bucket(now);
    bucket.databaseBytes = bytes;
    bucket.databaseBytesMax = Math.max(bucket.databaseBytesMax ?? 0, bytes);
    this.#databaseBytes = bytes;
  }

  /** Whether anything (a request, a console query, an alarm) is inside the app: the duration estimate. */
  busy(busy: boolean, now = Date.now()): void {
    if (busy) {
      this.#busySince ??= now;
      return;
    }
    if (this.#busySince === null) return;
    this.#bucket(now).busyMs += now - this.#busySince;
    this.#busySince = null;
  }

  flush(now = Date.now()): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#busySince !== null) {
      // A long stream or socket: its time so far goes into this minute, the rest into later ones.
      this.#bucket(now).busyMs += now - this.#busySince;
      this.#busySince = now;
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = null;
    }
    const current = Math.floor(now / MINUTE) * MINUTE;
    for (const [minute, bucket] of this.#dirty) {
      this.#write(this.#minutes, "minute", minute, bucket);
      if (minute !== current) this.#dirty.delete(minute);
    }
    // The current minute stays cached, since counting goes on into it; it is written again only
    // after it changed (counting arms the timer).
    const hour = Math.floor(now / HOUR);
    if (hour !== this.#rolledUpHour) this.#rollUp(now);
  }

  /** Minutes older than 24 hours become hours; hours older than 30 days go. */
  #rollUp(now: number): void {
    this.#rolledUpHour = Math.floor(now / HOUR);
    const old = this.#sql
      .exec<{ minute: number; bucket: string }>(
        `SELECT minute, bucket FROM ${this.#minutes} WHERE ${this.#only}minute < ? ORDER BY minute`,
        ...this.#key,
        now - KEEP_MINUTES_MS,
      )
      .toArray();
    const hours = new Map<number, MeterBucket>();
    for (const row of old) {
      const hour = Math.floor(row.minute / HOUR) * HOUR;
      let bucket = hours.get(hour);
      if (!bucket) {
        const existing = this.#sql
          .exec<{ bucket: string }>(`SELECT bucket FROM ${this.#hours} WHERE ${this.#only}hour = ?`, ...this.#key, hour)
          .toArray()[0];
        bucket = existing ? parseBucket(existing.bucket) : emptyBucket();
        hours.set(hour, bucket);
      }
      mergeBucket(bucket, parseBucket(row.bucket));
    }
    for (const [hour, bucket] of hours) this.#write(this.#hours, "hour", hour, bucket);
    this.#sql.exec(`DELETE FROM ${this.#minutes} WHERE ${this.#only}minute < ?`, ...this.#key, now - KEEP_MINUTES_MS);
    this.#sql.exec(`DELETE FROM ${this.#hours} WHERE ${this.#only}hour < ?`, ...this.#key, now - KEEP_HOURS_MS);
  }

  /** A gauge's last value recorded before `at`. */
  #gaugeBefore(column: "database_bytes" | "snapshot_bytes", at: number): number | null {
    const minute = this.#sql
      .exec<{ b: number }>(
        `SELECT ${column} AS b FROM ${this.#minutes} WHERE ${this.#only}minute < ? AND ${column} IS NOT NULL ORDER BY minute DESC LIMIT 1`,
        ...this.#key,
        at,
      )
      .toArray()[0];
    if (minute) return minute.b;
    const hour = this.#sql
      .exec<{ b: number }>(
        `SELECT ${column} AS b FROM ${this.#hours} WHERE ${this.#only}hour < ? AND ${column} IS NOT NULL ORDER BY hour DESC LIMIT 1`,
        ...this.#key,
        at,
      )
      .toArray()[0];
    return hour ? hour.b : null;
  }

  /** Totals, series and cost of the window ending now. */
  /** `objectLabel`: how an object's meter names its object in the answer (Class:name); null for the project's. */
  metrics(window: MetricsWindow, limits: Limits, objectLabel: string | null = null, now = Date.now()): MetricsResponse {
    this.flush(now);
    const { step, count } = WINDOWS[window];
    const from = Math.floor(now / step) * step - (count - 1) * step;
    const buckets = new Map<number, MeterBucket>();
    const into = (at: number, bucket: MeterBucket) => {
      const key = Math.floor(at / step) * step;
      const existing = buckets.get(key);
      if (existing) mergeBucket(existing, bucket);
      else buckets.set(key, bucket);
    };
    if (step === HOUR) {
      for (const row of this.#sql.exec<{ hour: number; bucket: string }>(
        `SELECT hour, bucket FROM ${this.#hours} WHERE ${this.#only}hour >= ? ORDER BY hour`,
        ...this.#key,
        from,
      )) {
        into(row.hour, parseBucket(row.bucket));
      }
    }
    for (const row of this.#sql.exec<{ minute: number; bucket: string }>(
      `SELECT minute, bucket FROM ${this.#minutes} WHERE ${this.#only}minute >= ? ORDER BY minute`,
      ...this.#key,
      from,
    )) {
      into(row.minute, parseBucket(row.bucket));
    }
    const sizeBefore = {
      databaseBytes: this.#gaugeBefore("database_bytes", from),
      snapshotBytes: this.#gaugeBefore("snapshot_bytes", from),
    };
    return metricsReport({ window, step, count, from, now }, buckets, sizeBefore, limits, objectLabel);
  }
}
