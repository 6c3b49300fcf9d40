/**
 * A recorded request's row in the table `requests` (request-table.ts owns it): the columns the list
 * filters and shows, one JSON column for the rest, the bodies as blobs; and back again.
 */
import type { LogEntry } from "../../../shared/logs";
import {
  RECORDED_BODY_BYTES,
  type RecordedMessages,
  type RecordedRequest,
  type RequestSummary,
} from "../../../shared/requests";
import { base64 } from "../app-host/app-requests";

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
  /** Calls the app made to other origins while it ran (absent when it made none). */
  outbound?: RecordedRequest["outbound"];
  /** A WebSocket session's messages. */
  messages?: RecordedMessages;
}

/** A recorded request as replay needs it: its method, path, headers and body as bytes. */
export interface ReplaySource {
  summary: RequestSummary;
  record: RecordedRequest;
  requestBody: StoredBody;
  responseBody: StoredBody;
}

export const SUMMARY_COLUMNS = "id, at, target, version, method, path, status, duration_ms, exception, websocket";

export type SummaryRow = {
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

export type FullRow = SummaryRow & {
  detail: string;
  request_body: ArrayBuffer | null;
  response_body: ArrayBuffer | null;
};

/** The `detail` column: what a request's page shows beyond the list's columns. */
interface Detail {
  requestHeaders: Record<string, string>;
  requestSize: number;
  requestText: boolean;
  responseHeaders: Record<string, string>;
  responseSize: number;
  responseText: boolean;
  logs: RecordedRequest["logs"];
  objects: string[];
  redacted: string[];
  outbound?: RecordedRequest["outbound"];
  messages?: RecordedMessages;
}

export function columns(record: NewRecord): (string | number | ArrayBuffer | null)[] {
  return [
    record.at,
    record.target,
    record.version,
    record.method,
    record.path,
    record.status,
    record.durationMs,
    record.exception,
    record.websocket ? 1 : 0,
    detailColumn(record),
    blob(record.request.bytes),
    blob(record.response.bytes),
  ];
}

/** The `detail` column of `record`. */
export function detailColumn(record: NewRecord): string {
  const detail: Detail = {
    requestHeaders: record.requestHeaders,
    requestSize: record.request.size,
    requestText: record.request.text,
    responseHeaders: record.responseHeaders,
    responseSize: record.response.size,
    responseText: record.response.text,
    logs: record.logs,
    objects: record.objects,
    redacted: record.redacted,
    outbound: record.outbound,
    messages: record.messages,
  };
  return JSON.stringify(detail);
}

function blob(bytes: Uint8Array): ArrayBuffer | null {
  if (bytes.byteLength === 0) return null;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export function summary(row: SummaryRow): RequestSummary {
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

function stored(body: ArrayBuffer | null, size: number, text: boolean): StoredBody {
  return { bytes: body ? new Uint8Array(body) : new Uint8Array(), size, text };
}

function shown(body: StoredBody) {
  return {
    body: body.text ? new TextDecoder().decode(body.bytes) : base64(body.bytes),
    encoding: body.text ? ("text" as const) : ("base64" as const),
    size: body.size,
    truncated: body.size > RECORDED_BODY_BYTES,
  };
}

export function full(row: FullRow): ReplaySource {
  const detail = JSON.parse(row.detail) as Detail;
  const requestBody = stored(row.request_body, detail.requestSize, detail.requestText);
  const responseBody = stored(row.response_body, detail.responseSize, detail.responseText);
  const base = summary(row);
  return {
    summary: base,
    requestBody,
    responseBody,
    record: {
      ...base,
      request: { ...shown(requestBody), headers: detail.requestHeaders },
      response: { ...shown(responseBody), headers: detail.responseHeaders },
      logs: detail.logs,
      objects: detail.objects,
      redacted: detail.redacted,
      ...(detail.outbound ? { outbound: detail.outbound } : {}),
      ...(detail.messages ? { messages: detail.messages } : {}),
    },
  };
}
