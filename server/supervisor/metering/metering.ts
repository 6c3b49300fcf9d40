/**
 * The supervisor's meter and limits, as the rest of the supervisor meets them: one object that
 * - lets a request to the app's origin in, or answers it 429 (admit);
 * - counts what the supervisor sees go by (request lines, exceptions, console lines, alarms, saves,
 *   the snapshots' disk) and keeps console lines to the log limit (filterLogs);
 * - takes the reports of the meter inside the app's isolate (appReport, checked: app-runtime/meter.ts, protocol.ts);
 * - counts a Worker project's objects each on its own meter as well (object-meters.ts);
 * - tells the terminal when a limit is hit (LimitNotice lines) and the status bar how things stand
 *   (a `meter` message, at most once a second while something changes: status-feed.ts);
 * - answers the limits and metrics API.
 * With `METERING` set to "off" in wrangler.jsonc it counts and limits nothing (the bench compares).
 *
 * The draft (drafts.ts) is not metered: it is the owner trying code on a copy, not the app's
 * traffic. Its lines are marked and skipped here, its requests are not rate limited, and its isolate
 * gets the database size limit but no meter bridge. Its console lines do share the log limit, which
 * protects the terminal they share.
 */
import type { NewLogEntry } from "../../../shared/logs";
import {
  type LimitReached,
  type LimitsResponse,
  MAX_DATABASE_BYTES,
  type MeterSnapshot,
  type MetricsResponse,
  type MetricsWindow,
  type PutLimitsRequest,
} from "../../../shared/metrics";
import { checkMeterReport, METER_BINDING, METER_LIMITS_BINDING } from "../../app-runtime/protocol";
import type { ObjectCall } from "../objects/objects";
import { defaultLimits, ProjectLimits } from "./limits";
import { Meter } from "./meter";
import { ObjectMeters } from "./object-meters";
import { LimitNotice, LogBudget, RequestRate } from "./rate-limit";
import { StatusFeed } from "./status-feed";

/** How often a limit that keeps being hit is summed up in the terminal. */
const NOTICE_EVERY_MS = 10_000;

export interface MeteringHooks {
  /** Writes supervisor lines to the log (the limits' notices). */
  say(entries: NewLogEntry[]): void;
  /** The live version, for those lines. */
  version(): number | null;
  /** How many terminals listen; snapshots are only sent to some. */
  listeners(): number;
  /** Sends a snapshot to every terminal. */
  broadcast(snapshot: MeterSnapshot): void;
  /** Disk the data snapshots hold now. */
  snapshotBytes(): number;
  /**
   * A Worker project's object reported its rows and its database's size: records them in its row of
   * the objects list, and answers every object's databases added up (the project's storage).
   */
  objectMetered(
    object: string,
    report: { rowsRead: number; rowsWritten: number; databaseBytes: number | null },
  ): number | null;
  /** Whether the live app has the object `id` (a report's object ID comes from the app's isolate). */
  knowsObject(id: string): boolean;
}

export class Metering {
  readonly enabled: boolean;
  readonly limits: ProjectLimits;
  #meter: Meter;
  #objects: ObjectMeters;
  #hooks: MeteringHooks;
  #rate = new RequestRate();
  #logBudget = new LogBudget();
  #rateNotice: LimitNotice;
  #logNotice: LimitNotice;
  #databaseNotice: LimitNotice;
  #malformedNotice: LimitNotice;
  #feed: StatusFeed;

  constructor(ctx: DurableObjectState, env: Env, hooks: MeteringHooks) {
    // Typed by wrangler as the literal in wrangler.jsonc; another config (or the bench) may set "off".
    this.enabled = String(env.METERING ?? "on") !== "off";
    this.limits = new ProjectLimits(ctx.storage.sql, defaultLimits(env.DEFAULT_LIMITS));
    this.#meter = new Meter(ctx.storage.sql);
    this.#objects = new ObjectMeters(ctx.storage.sql);
    this.#hooks = hooks;
    this.#feed = new StatusFeed({
      listeners: hooks.listeners,
      broadcast: hooks.broadcast,
      snapshot: () => this.snapshot(),
    });
    const warn = (message: string) =>
      hooks.say([{ kind: "system", level: "warn", at: Date.now(), version: hooks.version(), message }]);
    this.#rateNotice = new LimitNotice(NOTICE_EVERY_MS, warn);
    this.#logNotice = new LimitNotice(NOTICE_EVERY_MS, warn);
    this.#databaseNotice = new LimitNotice(NOTICE_EVERY_MS, warn);
    this.#malformedNotice = new LimitNotice(60_000, warn);
  }

  /** Null lets the request through to the app; otherwise the 429 to answer. */
  admit(now = Date.now()): Response | null {
    if (!this.enabled) return null;
    const perMinute = this.limits.current.requestsPerMinute;
    const retryAfter = this.#rate.take(perMinute, now);
    if (retryAfter === null) return null;
    this.#meter.rateLimited(now);
    this.#rateNotice.hit(
      1,
      () =>
        `rate limit: more than ${perMinute} requests a minute, so the app's origin answers 429 with Retry-After (requestsPerMinute; change it in the Metrics view or with PUT /api/projects/:id/limits)`,
      (count) =>
        `rate limit: ${count} more requests answered 429 in the last ${NOTICE_EVERY_MS / 1000} s (limit ${perMinute} a minute)`,
      now,
    );
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
        this.#logNotice.hit(
          dropped,
          () =>
            `log limit: the app logged more than ${perMinute} console lines this minute; the rest of this minute's lines are counted, not kept (logLinesPerMinute)`,
          (count) => `log limit: ${count} more console lines counted but not kept (limit ${perMinute} a minute)`,
          now,
        );
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
      this.#meter.snapshotSize(this.#hooks.snapshotBytes(), now);
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
      this.#malformedNotice.hit(
        1,
        () =>
          "meter: a report from the app's isolate was malformed and was not counted (its code may have called the meter's bridge itself)",
        (count) => `meter: ${count} more malformed reports from the app's isolate were not counted`,
        now,
      );
      return;
    }
    const { databaseBytes, object, ...counts } = parsed;
    this.#meter.add(counts, now);
    if (object !== undefined && this.#hooks.knowsObject(object)) {
      const meter = this.#objects.of(object, now);
      meter.add(counts, now);
      if (databaseBytes !== null) meter.databaseSize(databaseBytes, now);
    }
    const cap = this.limits.current.databaseBytes;
    const before = this.#meter.databaseBytes;
    // The limit is per database (per object, as Cloudflare's 10 GB is); the gauge is the project's storage.
    const total =
      object !== undefined
        ? this.#hooks.objectMetered(object, {
            rowsRead: counts.rowsRead,
            rowsWritten: counts.rowsWritten,
            databaseBytes,
          })
        : null;
    if (databaseBytes !== null) this.#meter.databaseSize(total ?? databaseBytes, now);
    const size = databaseBytes ?? this.#meter.databaseBytes ?? 0;
    if (counts.writesRefused > 0 || (size >= cap && (before ?? 0) < cap)) {
      this.#databaseNotice.hit(
        counts.writesRefused,
        () =>
          `database size limit: ${mib(size)} of ${mib(cap)} (databaseBytes); the app's writes fail with DatabaseSizeLimitError until rows are deleted or the limit is raised; reads and deletes work`,
        (count) => `database size limit: ${count} more writes refused (${mib(size)} of ${mib(cap)})`,
        now,
      );
    }
    this.#feed.changed();
  }

  /** An alarm ran: the App's, or the object `object`'s. */
  alarmRan(object: string | null = null): void {
    if (!this.enabled) return;
    this.#meter.add({ alarms: 1 });
    if (object !== null && this.#hooks.knowsObject(object)) this.#objects.of(object).add({ alarms: 1 });
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
    if (object !== null && this.#hooks.knowsObject(object)) this.#objects.of(object).add({ rowsWritten: 1 });
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
      [METER_LIMITS_BINDING]: { databaseBytes: this.limits.current.databaseBytes },
    };
  }

  metrics(window: MetricsWindow): MetricsResponse {
    if (this.enabled) this.#meter.snapshotSize(this.#hooks.snapshotBytes());
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
    const reached: LimitReached[] = [];
    if (this.#rateNotice.active) {
      reached.push({ limit: "requestsPerMinute", message: `over ${limits.requestsPerMinute} requests a minute: 429` });
    }
    if (size !== null && size >= limits.databaseBytes) {
      reached.push({
        limit: "databaseBytes",
        message: `database ${mib(size)} of ${mib(limits.databaseBytes)}: writes fail`,
      });
    }
    if (this.#logNotice.active) {
      reached.push({
        limit: "logLinesPerMinute",
        message: `over ${limits.logLinesPerMinute} log lines a minute: not kept`,
      });
    }
    return { requestsPerMinute: requests, errorsPerMinute: errors, databaseBytes: size, limits, reached };
  }
}

export function mib(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MiB`;
}
