/**
 * What the terminal and the status bar say when the app hits a limit: a line the first time, then
 * one summary per interval while it keeps hitting it (LimitNotice, rate-limit.ts), and the list of
 * limits reached now that the status bar shows. One notice per limit (requests a minute, console
 * lines a minute, database size), and one for malformed reports from the app's isolate.
 */
import type { LimitReached, Limits } from "../../../shared/metrics";
import { LimitNotice } from "./rate-limit";

/** How often a limit that keeps being hit is summed up in the terminal. */
const NOTICE_EVERY_MS = 10_000;
/** Malformed reports are the app's code calling the meter's bridge itself: told less often. */
const MALFORMED_EVERY_MS = 60_000;

export function mib(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MiB`;
}

export class LimitNotices {
  #rate: LimitNotice;
  #logs: LimitNotice;
  #database: LimitNotice;
  #malformed: LimitNotice;

  /** `warn` writes a line to the terminal. */
  constructor(warn: (message: string) => void) {
    this.#rate = new LimitNotice(NOTICE_EVERY_MS, warn);
    this.#logs = new LimitNotice(NOTICE_EVERY_MS, warn);
    this.#database = new LimitNotice(NOTICE_EVERY_MS, warn);
    this.#malformed = new LimitNotice(MALFORMED_EVERY_MS, warn);
  }

  /** A request was answered 429. */
  rate(perMinute: number, now: number): void {
    this.#rate.hit(
      1,
      () =>
        `rate limit: more than ${perMinute} requests a minute, so the app's origin (and its draft's) answers 429 with Retry-After (requestsPerMinute; change it in the Metrics view or with PUT /api/projects/:id/limits)`,
      (count) =>
        `rate limit: ${count} more requests answered 429 in the last ${NOTICE_EVERY_MS / 1000} s (limit ${perMinute} a minute)`,
      now,
    );
  }

  /** `dropped` console lines were counted but not kept. */
  logs(dropped: number, perMinute: number, now: number): void {
    this.#logs.hit(
      dropped,
      () =>
        `log limit: the app logged more than ${perMinute} console lines this minute; the rest of this minute's lines are counted, not kept (logLinesPerMinute)`,
      (count) => `log limit: ${count} more console lines counted but not kept (limit ${perMinute} a minute)`,
      now,
    );
  }

  /** The database reached its limit (`size` of `cap`), or `refused` writes failed on it. */
  database(refused: number, size: number, cap: number, now: number): void {
    this.#database.hit(
      refused,
      () =>
        `database size limit: ${mib(size)} of ${mib(cap)} (databaseBytes); the app's writes fail with DatabaseSizeLimitError until rows are deleted or the limit is raised; reads and deletes work`,
      (count) => `database size limit: ${count} more writes refused (${mib(size)} of ${mib(cap)})`,
      now,
    );
  }

  /** A report from the app's isolate was malformed and not counted. */
  malformed(now: number): void {
    this.#malformed.hit(
      1,
      () =>
        "meter: a report from the app's isolate was malformed and was not counted (its code may have called the meter's bridge itself)",
      (count) => `meter: ${count} more malformed reports from the app's isolate were not counted`,
      now,
    );
  }

  /** The limits the status bar shows as reached now (`size`: the database's, as last reported). */
  reached(limits: Limits, size: number | null): LimitReached[] {
    const reached: LimitReached[] = [];
    if (this.#rate.active) {
      reached.push({ limit: "requestsPerMinute", message: `over ${limits.requestsPerMinute} requests a minute: 429` });
    }
    if (size !== null && size >= limits.databaseBytes) {
      reached.push({
        limit: "databaseBytes",
        message: `database ${mib(size)} of ${mib(limits.databaseBytes)}: writes fail`,
      });
    }
    if (this.#logs.active) {
      reached.push({
        limit: "logLinesPerMinute",
        message: `over ${limits.logLinesPerMinute} log lines a minute: not kept`,
      });
    }
    return reached;
  }
}
