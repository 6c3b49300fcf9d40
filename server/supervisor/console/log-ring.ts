/**
 * The project's recent log lines, in the supervisor's SQLite.
 *
 * Lines are numbered and handed back at once (the terminal gets them without waiting for a write),
 * and written in batches: a busy app logs several lines per request, and a write per line would
 * cost a SQLite write per line on the request's path (bench/profile/cpu-profile.mjs shows it). A line still in the
 * batch when the runtime dies is lost; the ring is a convenience, not an audit log.
 *
 * Table: `logs`, made by `createLogTable`.
 */
import { LIMITS } from "../../../shared/api";
import type { LogEntry, LogFilter, NewLogEntry } from "../../../shared/logs";
import { visibleStrings } from "../../../shared/terminal-text";

/** Where the request and error counters GET /api/projects/:id shows are kept (the store). */
export interface ProjectCounters {
  addCounters(requests: number, errors: number): void;
}

/** Makes the log ring's table: a LogEntry as JSON (without its seq), numbered by seq. */
export function createLogTable(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS logs (seq INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL)");
}

const FLUSH_AFTER_MS = 250;
/** Rows per INSERT: two bound parameters a row, under the runtime's limit of 100. */
const ROWS_PER_INSERT = 40;

export class LogRing {
  #sql: SqlStorage;
  #nextSeq: number;
  #pending: LogEntry[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #counters: ProjectCounters;

  /** `counters` get each batch's requests and errors in the same transaction as the batch's insert. */
  constructor(sql: SqlStorage, counters: ProjectCounters) {
    this.#sql = sql;
    this.#counters = counters;
    this.#nextSeq = (sql.exec<{ seq: number | null }>("SELECT max(seq) AS seq FROM logs").one().seq ?? 0) + 1;
  }

  /** Numbers and keeps `entries`, with control characters made visible (apps and visitors write them). */
  append(entries: NewLogEntry[]): LogEntry[] {
    const numbered = entries.map((entry) => ({ ...visibleStrings(entry), seq: this.#nextSeq++ }) as LogEntry);
    this.#pending.push(...numbered);
    this.#timer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS);
    return numbered;
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    for (let i = 0; i < batch.length; i += ROWS_PER_INSERT) {
      const rows = batch.slice(i, i + ROWS_PER_INSERT);
      this.#sql.exec(
        `INSERT INTO logs (seq, entry) VALUES ${rows.map(() => "(?, ?)").join(", ")}`,
        ...rows.flatMap(({ seq, ...entry }) => [seq, JSON.stringify(entry)]),
      );
    }
    const last = batch.at(-1)!.seq;
    this.#sql.exec("DELETE FROM logs WHERE seq <= ?", last - LIMITS.logRingSize);
    const { requests, errors } = originCounts(batch);
    this.#counters.addCounters(requests, errors);
  }

  /**
   * Lines after the cursor `since` (oldest first, at most `limit`), or without it the latest `limit`
   * lines, of those that pass `filter`; with whether more follow, and how many lines after `since`
   * (of any kind) the ring no longer holds. The cursor is the last line looked at, passed or not, so
   * a filtered read goes on where it stopped.
   */
  read(
    since: number | undefined,
    limit: number,
    filter: LogFilter = {},
  ): { entries: LogEntry[]; cursor: number; more: boolean; missed: number } {
    this.flush();
    const { where, bindings } = filterSql(filter);
    if (since === undefined) {
      const entries = this.#select(`WHERE ${where} ORDER BY seq DESC LIMIT ?`, [...bindings, limit]).reverse();
      return { entries, cursor: this.#nextSeq - 1, more: false, missed: 0 };
    }
    const rows = this.#select(`WHERE seq > ? AND ${where} ORDER BY seq LIMIT ?`, [since, ...bindings, limit + 1]);
    const entries = rows.slice(0, limit);
    const more = rows.length > limit;
    const first = this.#sql.exec<{ seq: number | null }>("SELECT min(seq) AS seq FROM logs").one().seq;
    return {
      entries,
      cursor: more ? (entries.at(-1)?.seq ?? since) : this.#nextSeq - 1,
      more,
      missed: first !== null && first > since + 1 ? first - since - 1 : 0,
    };
  }

  recent(limit: number = LIMITS.logRingSize): LogEntry[] {
    this.flush();
    return this.#select("ORDER BY seq DESC LIMIT ?", [limit]).reverse();
  }

  #select(clauses: string, bindings: (string | number)[]): LogEntry[] {
    return this.#sql
      .exec<{ seq: number; entry: string }>(`SELECT seq, entry FROM logs ${clauses}`, ...bindings)
      .toArray()
      .map((r) => ({ ...JSON.parse(r.entry), seq: r.seq }) as LogEntry);
  }
}

/** The filter as a WHERE condition on the stored JSON, with its bound values. */
export function filterSql(filter: LogFilter): { where: string; bindings: (string | number)[] } {
  const conditions = ["1"];
  const bindings: (string | number)[] = [];
  if (filter.kind) {
    conditions.push("json_extract(entry, '$.kind') = ?");
    bindings.push(filter.kind);
  }
  if (filter.target) {
    conditions.push(`json_extract(entry, '$.draft') IS ${filter.target === "draft" ? "NOT " : ""}NULL`);
  }
  if (filter.object) {
    // The object itself, or every object of a class: a prefix compared as it is (LIKE ignores case).
    const prefix = `${filter.object}:`;
    conditions.push("(json_extract(entry, '$.object') = ? OR substr(json_extract(entry, '$.object'), 1, ?) = ?)");
    bindings.push(filter.object, prefix.length, prefix);
  }
  return { where: conditions.join(" AND "), bindings };
}

/**
 * What a batch of lines adds to the project's counters: the requests to the live app's origin and
 * those that failed. The draft's requests are its own, and a Worker project's calls to its objects
 * are counted per object (objects.ts).
 */
export function originCounts(entries: LogEntry[]): { requests: number; errors: number } {
  const requests = entries.filter(
    (e): e is Extract<LogEntry, { kind: "request" }> =>
      e.kind === "request" && e.draft === undefined && e.object === undefined,
  );
  const errors = requests.filter((e) => e.outcome !== "ok" || (e.status ?? 500) >= 500);
  return { requests: requests.length, errors: errors.length };
}
