/**
 * The recorded requests (tables `requests`, `request_settings`): the last `keep` requests the app's
 * origins served, already redacted (recorder.ts), and whether recording is on. Old rows are deleted
 * in batches; reads show only the last `keep`, so the bound holds between batches too.
 */
import type { LogEntry } from "../../../shared/logs";
import {
  RECORDED_BODY_BYTES,
  REQUESTS_KEEP_DEFAULT,
  type RecordedRequest,
  type RequestSettings,
  type RequestSummary,
  type RequestsQuery,
} from "../../../shared/requests";
import { base64 } from "../app-host/app-requests";

/** Rows written between two deletions of the oldest ones. */
const PRUNE_EVERY = 16;
const LIST_DEFAULT = 50;

export function createRequestTables(sql: SqlStorage): void {
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
    request_headers TEXT NOT NULL,
    request_body BLOB,
    request_size INTEGER NOT NULL,
    request_text INTEGER NOT NULL,
    response_headers TEXT NOT NULL,
    response_body BLOB,
    response_size INTEGER NOT NULL,
    response_text INTEGER NOT NULL,
    logs TEXT NOT NULL,
    objects TEXT NOT NULL,
    redacted TEXT NOT NULL
  )`);
  sql.exec(`CREATE TABLE IF NOT EXISTS request_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    enabled INTEGER NOT NULL,
    keep INTEGER NOT NULL
  )`);
}

/** A body as recorded: its first bytes (redacted), its whole size (past RECORDED_BODY_BYTES when cut), whether it is text. */
export interface StoredBody {
  bytes: Uint8Array;
  size: number;
  text: boolean;
}

export interface NewRecord {
  at: number;
  target: "live" | "draft";
  version: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  exception: string | null;
  websocket: boolean;
  requestHeaders: Record<string, string>;
  request: StoredBody;
  responseHeaders: Record<string, string>;
  response: StoredBody;
  logs: LogEntry[];
  objects: string[];
  redacted: string[];
}

/** A recorded request as replay needs it: its method, path, headers and body as bytes. */
export interface ReplaySource {
  summary: RequestSummary;
  record: RecordedRequest;
  requestBody: StoredBody;
  responseBody: StoredBody;
}

const SUMMARY_COLUMNS = "id, at, target, version, method, path, status, duration_ms, exception, websocket";

type SummaryRow = {
  id: number;
  at: number;
  target: string;
  version: string;
  method: string;
  path: string;
  status: number;
  duration_ms: number;
  exception: string | null;
  websocket: number;
};

type FullRow = SummaryRow & {
  request_headers: string;
  request_body: ArrayBuffer | null;
  request_size: number;
  request_text: number;
  response_headers: string;
  response_body: ArrayBuffer | null;
  response_size: number;
  response_text: number;
  logs: string;
  objects: string;
  redacted: string;
};

export class RequestTable {
  #sql: SqlStorage;
  #settings: RequestSettings;
  #written = 0;

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
    this.#settings = { ...this.#settings, ...change };
    this.#sql.exec(
      "INSERT OR REPLACE INTO request_settings (id, enabled, keep) VALUES (1, ?, ?)",
      this.#settings.enabled ? 1 : 0,
      this.#settings.keep,
    );
    this.#prune();
    return this.#settings;
  }

  insert(record: NewRecord): void {
    this.#sql.exec(
      `INSERT INTO requests (at, target, version, method, path, status, duration_ms, exception, websocket,
        request_headers, request_body, request_size, request_text, response_headers, response_body, response_size,
        response_text, logs, objects, redacted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      record.at,
      record.target,
      record.version,
      record.method,
      record.path,
      record.status,
      record.durationMs,
      record.exception,
      record.websocket ? 1 : 0,
      JSON.stringify(record.requestHeaders),
      blob(record.request.bytes),
      record.request.size,
      record.request.text ? 1 : 0,
      JSON.stringify(record.responseHeaders),
      blob(record.response.bytes),
      record.response.size,
      record.response.text ? 1 : 0,
      JSON.stringify(record.logs),
      JSON.stringify(record.objects),
      JSON.stringify(record.redacted),
    );
    if (++this.#written >= PRUNE_EVERY) this.#prune();
  }

  /** Newest first, filtered. */
  list(query: RequestsQuery): RequestSummary[] {
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
    const row = this.#sql
      .exec<FullRow>("SELECT * FROM requests WHERE id = ? AND id > ?", id, this.#floor())
      .toArray()[0];
    return row ? full(row) : null;
  }

  /** The ids of the last `count` requests the live app served, oldest first, of `methods` if given. */
  latestLive(count: number, methods: readonly string[] | undefined): number[] {
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

function blob(bytes: Uint8Array): ArrayBuffer | null {
  if (bytes.byteLength === 0) return null;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function summary(row: SummaryRow): RequestSummary {
  return {
    id: row.id,
    at: row.at,
    target: row.target === "draft" ? "draft" : "live",
    version: row.version,
    method: row.method,
    path: row.path,
    status: row.status,
    durationMs: row.duration_ms,
    exception: row.exception,
    websocket: row.websocket === 1,
  };
}

function stored(body: ArrayBuffer | null, size: number, text: number): StoredBody {
  return { bytes: body ? new Uint8Array(body) : new Uint8Array(), size, text: text === 1 };
}

function shown(body: StoredBody) {
  return {
    body: body.text ? new TextDecoder().decode(body.bytes) : base64(body.bytes),
    encoding: body.text ? ("text" as const) : ("base64" as const),
    size: body.size,
    truncated: body.size > RECORDED_BODY_BYTES,
  };
}

function full(row: FullRow): ReplaySource {
  const requestBody = stored(row.request_body, row.request_size, row.request_text);
  const responseBody = stored(row.response_body, row.response_size, row.response_text);
  const base = summary(row);
  return {
    summary: base,
    requestBody,
    responseBody,
    record: {
      ...base,
      request: { ...shown(requestBody), headers: JSON.parse(row.request_headers) },
      response: { ...shown(responseBody), headers: JSON.parse(row.response_headers) },
      logs: JSON.parse(row.logs),
      objects: JSON.parse(row.objects),
      redacted: JSON.parse(row.redacted),
    },
  };
}
