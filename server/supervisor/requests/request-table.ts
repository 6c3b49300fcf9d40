/**
 * The recorded requests (tables `requests`, `request_settings`): the last `keep` requests the app's
 * origins served, already redacted (recorder.ts), and whether recording is on. Rows are written in
 * batches (as the log ring's lines are) and old ones deleted in batches; reads write what is pending
 * first and show only the last `keep`, so the bound holds between batches too. A request still in
 * the batch when the runtime dies is lost: this is a debugging aid, not an audit log. A row's
 * columns and its way back to a RecordedRequest: request-rows.ts.
 */
import {
  REQUESTS_KEEP_DEFAULT,
  type RequestSettings,
  type RequestSummary,
  type RequestsQuery,
} from "../../../shared/requests";
import {
  columns,
  detailColumn,
  type FullRow,
  full,
  type NewRecord,
  type ReplaySource,
  SUMMARY_COLUMNS,
  type SummaryRow,
  summary,
} from "./request-rows";

export type { NewRecord, ReplaySource, StoredBody } from "./request-rows";

/** A recorded request's row: how to make it, and its id once written. */
export interface RowHandle {
  make: () => NewRecord;
  id: number | null;
}

/** Rows written between two deletions of the oldest ones. */
const PRUNE_EVERY = 16;
const LIST_DEFAULT = 50;

export function createRequestTables(sql: SqlStorage): void {
  // The columns the list filters and shows; the rest of a request (headers, sizes, logs) is one JSON
  // column, so a batch's INSERT binds few parameters a row.
  sql.exec(`CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    target TEXT NOT NULL,
    version TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    exception TEXT,
    websocket INTEGER NOT NULL,
    detail TEXT NOT NULL,
    request_body BLOB,
    response_body BLOB
  )`);
  sql.exec(`CREATE TABLE IF NOT EXISTS request_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    enabled INTEGER NOT NULL,
    keep INTEGER NOT NULL
  )`);
}

/** Flushed this long after the first request of a batch, or before any read. */
const FLUSH_AFTER_MS = 1000;
/** Rows per INSERT: twelve bound parameters a row, under the runtime's limit of 100. */
const ROWS_PER_INSERT = 8;

export class RequestTable {
  #sql: SqlStorage;
  #settings: RequestSettings;
  #written = 0;
  /**
   * Recorded, not written yet, each as the function that makes its row (redacting it): a write per
   * request would put a SQLite write on every request, and under load most rows of a batch are past
   * `keep` before they are written, so only the last `keep` are made at all.
   */
  #pending: RowHandle[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    const row = sql
      .exec<{ enabled: number; keep: number }>("SELECT enabled, keep FROM request_settings WHERE id = 1")
      .toArray()[0];
    this.#settings = row
      ? { enabled: row.enabled === 1, keep: row.keep }
      : { enabled: true, keep: REQUESTS_KEEP_DEFAULT };
  }

  get settings(): RequestSettings {
    return this.#settings;
  }

  setSettings(change: Partial<RequestSettings>): RequestSettings {
    this.flush();
    this.#settings = { ...this.#settings, ...change };
    this.#sql.exec(
      "INSERT OR REPLACE INTO request_settings (id, enabled, keep) VALUES (1, ?, ?)",
      this.#settings.enabled ? 1 : 0,
      this.#settings.keep,
    );
    this.#prune();
    return this.#settings;
  }

  /**
   * Keeps the request `make` makes the row of, written with the next batch (a read writes the batch
   * first). The handle lets `rewrite` make its row again later (a WebSocket session once it ended).
   */
  insert(make: () => NewRecord): RowHandle {
    const handle: RowHandle = { make, id: null };
    this.#pending.push(handle);
    // Beyond twice `keep`, the oldest pending would be deleted as soon as written: dropped now.
    if (this.#pending.length > 2 * this.#settings.keep) this.#pending.splice(0, this.#settings.keep);
    this.#timer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS);
    return handle;
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const handles = this.#pending.slice(-this.#settings.keep);
    this.#pending = [];
    const batch = handles.flatMap((handle) => {
      try {
        return [{ handle, record: handle.make() }];
      } catch (error) {
        console.error("could not record a request:", error);
        return [];
      }
    });
    if (batch.length === 0) return;
    for (let i = 0; i < batch.length; i += ROWS_PER_INSERT) {
      const rows = batch.slice(i, i + ROWS_PER_INSERT);
      this.#sql.exec(
        `INSERT INTO requests (at, target, version, method, path, status, duration_ms, exception, websocket, detail,
          request_body, response_body) VALUES ${rows.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
        ...rows.flatMap((row) => columns(row.record)),
      );
      // Ids only for the rows made again later: a statement's rows take consecutive ids.
      if (rows.some((row) => row.record.websocket)) {
        const last = this.#sql.exec<{ id: number }>("SELECT last_insert_rowid() AS id").one().id;
        rows.forEach((row, index) => {
          row.handle.id = last - (rows.length - 1 - index);
        });
      }
    }
    this.#written += batch.length;
    if (this.#written >= PRUNE_EVERY) this.#prune();
  }

  /** Makes a written row's detail again (a pending one is made from the latest state when written). */
  rewrite(handle: RowHandle): void {
    if (handle.id === null) return;
    try {
      this.#sql.exec("UPDATE requests SET detail = ? WHERE id = ?", detailColumn(handle.make()), handle.id);
    } catch (error) {
      console.error("could not record a request:", error);
    }
  }

  /** Drops what is not written yet (the project is being deleted). */
  discardPending(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = [];
  }

  /** Newest first, filtered. */
  list(query: RequestsQuery): RequestSummary[] {
    this.flush();
    const where = [`id > ?`];
    const args: (string | number)[] = [this.#floor()];
    if (query.method) {
      where.push("method = ?");
      args.push(query.method);
    }
    if (query.path) {
      where.push("instr(path, ?) > 0");
      args.push(query.path);
    }
    const status = query.status;
    if (status === "error") where.push("exception IS NOT NULL");
    else if (status?.endsWith("xx")) {
      where.push("status BETWEEN ? AND ?");
      const base = Number(status[0]) * 100;
      args.push(base, base + 99);
    } else if (status) {
      where.push("status = ?");
      args.push(Number(status));
    }
    const limit = Math.min(query.limit ?? LIST_DEFAULT, this.#settings.keep);
    return this.#sql
      .exec<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM requests WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT ?`,
        ...args,
        limit,
      )
      .toArray()
      .map(summary);
  }

  get(id: number): ReplaySource | null {
    this.flush();
    const row = this.#sql
      .exec<FullRow>("SELECT * FROM requests WHERE id = ? AND id > ?", id, this.#floor())
      .toArray()[0];
    return row ? full(row) : null;
  }

  /** The ids of the last `count` requests the live app served, oldest first, of `methods` if given. */
  latestLive(count: number, methods: readonly string[] | undefined): number[] {
    this.flush();
    const ids = this.#sql
      .exec<{ id: number; method: string }>(
        "SELECT id, method FROM requests WHERE target = 'live' AND id > ? ORDER BY id DESC",
        this.#floor(),
      )
      .toArray()
      .filter((row) => !methods || methods.includes(row.method))
      .slice(0, count)
      .map((row) => row.id);
    return ids.reverse();
  }

  /** Rows at or below this id are past `keep` (deleted at the next batch). */
  #floor(): number {
    const max = this.#sql.exec<{ max: number | null }>("SELECT max(id) AS max FROM requests").one().max ?? 0;
    return max - this.#settings.keep;
  }

  #prune(): void {
    this.#written = 0;
    this.#sql.exec("DELETE FROM requests WHERE id <= ?", this.#floor());
  }
}
