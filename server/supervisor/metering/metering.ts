/**
 * The supervisor's meter and limits, as the rest of the supervisor meets them: one object that
 * - lets a request to the app's origin in, or answers it 429 (admit);
 * - counts what the supervisor sees go by (request lines, exceptions, console lines, alarms, saves,
 *   the snapshots' disk) and keeps console lines to the log limit (filterLogs);
 * - takes the reports of the meter inside the app's isolate (appReport, checked: app-runtime/meter/meter.ts, protocol.ts);
 * - counts a Worker project's objects each on its own meter as well (object-meters.ts);
 * - tells the terminal when a limit is hit (limit-notices.ts) and the status bar how things stand
 *   (a `meter` message, at most once a second while something changes: status-feed.ts);
 * - answers the limits and metrics API.
 * With `METERING` set to "off" in wrangler.jsonc it counts and limits nothing (the bench compares).
 *
 * The draft (drafts.ts) is not metered: it is the owner trying code on a copy, not the app's
 * traffic. Its lines are marked and skipped here, and its isolate gets the database size limit but
 * no meter bridge. Its limits are the project's all the same: its origin is as public as the live
 * one's, so its requests take from the same requests a minute (a 429 there is not counted in the
 * meter, whose requests are the live origin's), and its console lines share the log limit, which
 * protects the terminal they share.
 *
 * Tables (createMeteringTables): `limits` (limits.ts), `meter_minutes` and `meter_hours` (meter.ts),
 * `meter_object_minutes` and `meter_object_hours` (object-meters.ts).
 */
import type { NewLogEntry } from "../../../shared/logs";
import {
  type LimitsResponse,
  MAX_DATABASE_BYTES,
  type MeterSnapshot,
  type MetricsResponse,
  type MetricsWindow,
  type PutLimitsRequest,
} from "../../../shared/metrics";
import { METER_BINDING, METER_LIMITS_BINDING, type MeterLimits } from "../../app-runtime/protocol";
import { checkMeterReport } from "../../app-runtime/protocol-checks";
import type { ObjectCall } from "../objects/objects";
import { LimitNotices } from "./limit-notices";
import { createLimitsTable, type ProjectLimits } from "./limits";
import { createMeterTables, Meter } from "./meter";
import { createObjectMeterTables, ObjectMeters } from "./object-meters";
import { LogBudget, RequestRate } from "./rate-limit";
import { StatusFeed } from "./status-feed";

/** Makes the tables of the limits, the project's meter and the objects' meters. */
export function createMeteringTables(sql: SqlStorage): void {
  createLimitsTable(sql);
  createMeterTables(sql);
  createObjectMeterTables(sql);
}

/** What metering works with, each a narrow view of the capability that has it (built before it). */
export interface MeteringParts {
  /** Writes the limits' notices to the log (system lines, which pass no limit). */
  say(entries: NewLogEntry[]): void;
  /** The project, for the live version those lines carry. */
  store: { readonly project: { readonly currentVersion: number | null } | null };
  /** The terminals: how many listen (the status bar's snapshots go only to some), and a message to all. */
  terminals: { readonly count: number; send(message: { type: "meter"; meter: MeterSnapshot }): void };
  /** Disk the data snapshots hold now. */
  snapshots: { keptBytes(): number };
  /**
   * The live app's objects (a Worker project's): whether a report's object ID (from the app's
   * isolate) is one, the rows and database size it reported in its row, and every object's
   * databases added up (the project's storage).
   */
  objects: {
    has(id: string): boolean;
    metered(id: string, report: { rowsRead: number; rowsWritten: number; databaseBytes: number | null }): void;
    totalBytes(): number | null;
  };
}

export class Metering {
  readonly enabled: boolean;
  readonly limits: ProjectLimits;
  #meter: Meter;
  #objects: ObjectMeters;
  #parts: MeteringParts;
  #rate = new RequestRate();
  #logBudget = new LogBudget();
  #notices: LimitNotices;
  #feed: StatusFeed;

  /** `limits`: the project's limits (limits.ts), which the objects registry reads too. */
  constructor(sql: SqlStorage, env: Env, limits: ProjectLimits, parts: MeteringParts) {
    // Typed by wrangler as the literal in wrangler.jsonc; another config (or the bench) may set "off".
    this.enabled = String(env.METERING ?? "on") !== "off";
    this.limits = limits;
    this.#meter = new Meter(sql);
    this.#objects = new ObjectMeters(sql);
    this.#parts = parts;
    const { terminals, store } = parts;
    this.#feed = new StatusFeed({
      listeners: () => terminals.count,
      broadcast: (meter) => terminals.send({ type: "meter", meter }),
      snapshot: () => this.snapshot(),
    });
    const warn = (message: string) =>
      parts.say([
        { kind: "system", level: "warn", at: Date.now(), version: store.project?.currentVersion ?? null, message },
      ]);
    this.#notices = new LimitNotices(warn);
  }

  /**
   * Null lets the request through to the app (or to its draft: `draft`), otherwise the 429 to answer.
   * The live origin and the draft's take from one requests-a-minute budget.
   */
  admit(draft = false, now = Date.now()): Response | null {
    if (!this.enabled) return null;
    const perMinute = this.limits.current.requestsPerMinute;
    const retryAfter = this.#rate.take(perMinute, now);
    if (retryAfter === null) return null;
    if (!draft) this.#meter.rateLimited(now);
    this.#notices.rate(perMinute, now);
    this.#feed.changed();
    return new Response(
      `This app is over its limit of ${perMinute} requests a minute (requestsPerMinute). Try again in ${retryAfter} s.\n`,
      {
        status: 429,
        headers: { "content-type": "text/plain; charset=utf-8", "retry-after": String(retryAfter) },
      },
    );
  }

  /** Counts what goes to the log and keeps console lines within the log limit. */
  filterLogs(entries: NewLogEntry[], now = Date.now()): NewLogEntry[] {
    if (!this.enabled) return entries;
    let consoleLines = 0;
    for (const entry of entries) if (entry.kind === "console") consoleLines++;
    let kept = entries;
    if (consoleLines > 0) {
      const perMinute = this.limits.current.logLinesPerMinute;
      const admitted = this.#logBudget.admit(consoleLines, perMinute, now);
      const dropped = consoleLines - admitted;
      let room = admitted;
      let liveLines = 0;
      let liveDropped = 0;
      if (dropped > 0) {
        kept = entries.filter((e) => {
          if (e.kind !== "console") return true;
          const keep = room-- > 0;
          if (!keep && e.draft === undefined) liveDropped++;
          return keep;
        });
        this.#notices.logs(dropped, perMinute, now);
      }
      for (const e of entries) if (e.kind === "console" && e.draft === undefined) liveLines++;
      if (liveLines > 0) this.#meter.add({ logLines: liveLines, logLinesDropped: liveDropped }, now);
    }
    let exceptions = 0;
    let saves = 0;
    let requests = 0;
    for (const entry of kept) {
      if (entry.draft !== undefined) continue;
      // A Worker project's calls to its objects are part of the request that made them (objects.ts counts them).
      if (entry.kind === "request" && entry.object === undefined) {
        this.#meter.request(entry.status, entry.durationMs, now);
        requests++;
      } else if (entry.kind === "exception") exceptions++;
      else if (entry.kind === "deploy") saves++;
    }
    if (exceptions > 0) this.#meter.add({ exceptions }, now);
    if (saves > 0) {
      // A new version: a new Dynamic Worker, and the snapshot of the data the old one left.
      this.#meter.add({ saves }, now);
      this.#meter.snapshotSize(this.#parts.snapshots.keptBytes(), now);
    }
    if (requests > 0 || kept !== entries) this.#feed.changed();
    return kept;
  }

  /** A report of the meter inside the app's isolate (through the MeterBridge, or asked for). */
  appReport(report: unknown, now = Date.now()): void {
    if (!this.enabled || report === null || report === undefined) return;
    // From the app's isolate: a forged report can only add, and is checked like any other.
    const parsed = checkMeterReport(report, MAX_DATABASE_BYTES * 2);
    if (!parsed) {
      this.#notices.malformed(now);
      return;
    }
    const { databaseBytes, object, ...counts } = parsed;
    this.#meter.add(counts, now);
    const { objects } = this.#parts;
    if (object !== undefined && objects.has(object)) {
      const meter = this.#objects.of(object, now);
      meter.add(counts, now);
      if (databaseBytes !== null) meter.databaseSize(databaseBytes, now);
    }
    const cap = this.limits.current.databaseBytes;
    const before = this.#meter.databaseBytes;
    // The limit is per database (per object, as Cloudflare's 10 GB is); the gauge is the project's storage.
    let total: number | null = null;
    if (object !== undefined) {
      objects.metered(object, { rowsRead: counts.rowsRead, rowsWritten: counts.rowsWritten, databaseBytes });
      total = objects.totalBytes();
    }
    if (databaseBytes !== null) this.#meter.databaseSize(total ?? databaseBytes, now);
    const size = databaseBytes ?? this.#meter.databaseBytes ?? 0;
    if (counts.writesRefused > 0 || (size >= cap && (before ?? 0) < cap)) {
      this.#notices.database(counts.writesRefused, size, cap, now);
    }
    this.#feed.changed();
  }

  /** The app made an outbound call through the network gateway (network/outbound.ts). */
  subrequest(): void {
    if (!this.enabled) return;
    this.#meter.add({ subrequests: 1 });
    this.#feed.changed();
  }

  /** An alarm ran: the App's, or the object `object`'s. */
  alarmRan(object: string | null = null): void {
    if (!this.enabled) return;
    this.#meter.add({ alarms: 1 });
    if (object !== null && this.#parts.objects.has(object)) this.#objects.of(object).add({ alarms: 1 });
  }

  /** A call to the live app's object `id` (the project's meter counts the request that made it). */
  objectCall(id: string, call: ObjectCall, now = Date.now()): void {
    if (!this.enabled) return;
    const meter = this.#objects.of(id, now);
    meter.request(call.status, call.durationMs, now);
    if (call.threw) meter.add({ exceptions: 1 }, now);
  }

  /** setAlarm() is billed as a row written. */
  alarmSet(object: string | null = null): void {
    if (!this.enabled) return;
    this.#meter.add({ rowsWritten: 1 });
    if (object !== null && this.#parts.objects.has(object)) this.#objects.of(object).add({ rowsWritten: 1 });
  }

  busy(busy: boolean): void {
    if (this.enabled) this.#meter.busy(busy);
  }

  /**
   * What the app's isolate is loaded with: the limits it enforces, and the meter's bridge (none for
   * the draft, which is held to the database limit but not metered).
   */
  appEnv(meterBridge: (() => unknown) | null): Record<string, unknown> {
    if (!this.enabled) return {};
    return {
      ...(meterBridge ? { [METER_BINDING]: meterBridge() } : {}),
      [METER_LIMITS_BINDING]: {
        databaseBytes: this.limits.current.databaseBytes,
        socketMessagesPerSecond: this.limits.current.socketMessagesPerSecond,
        projectSocketMessagesPerSecond: this.limits.current.projectSocketMessagesPerSecond,
      } satisfies MeterLimits,
    };
  }

  metrics(window: MetricsWindow): MetricsResponse {
    if (this.enabled) this.#meter.snapshotSize(this.#parts.snapshots.keptBytes());
    return this.#meter.metrics(window, this.limits.current);
  }

  /** One object's figures (`label`: how the answer names it). */
  objectMetrics(id: string, label: string, window: MetricsWindow): MetricsResponse {
    return this.#objects.of(id).metrics(window, this.limits.current, label);
  }

  describeLimits(): LimitsResponse {
    return this.limits.describe();
  }

  setLimits(change: PutLimitsRequest): { restart: boolean; changed: string[] } {
    const result = this.limits.set(change);
    this.#feed.changed();
    return result;
  }

  snapshot(now = Date.now()): MeterSnapshot {
    const limits = this.limits.current;
    const { requests, errors } = this.#meter.lastMinute(now);
    const size = this.#meter.databaseBytes;
    const reached = this.#notices.reached(limits, size);
    return { requestsPerMinute: requests, errorsPerMinute: errors, databaseBytes: size, limits, reached };
  }
}
