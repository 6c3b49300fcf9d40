/**
 * Sending recorded requests again (to the live app, or to the draft on its copy of the data) through
 * the same path as the API's request_app, and comparing each answer with the recorded one
 * (compare.ts). What cannot repeat as it was is said: a WebSocket session is listed, not replayed;
 * redacted headers go as they were stored; a body cut at 64 KiB is not sent.
 */
import { type AppRequest, type AppResponse, HTTP_METHODS } from "../../../shared/api";
import {
  REDACTED,
  type ReplayAnswer,
  type ReplayItem,
  type ReplayManyRequest,
  type ReplayOneResponse,
  type ReplayReport,
} from "../../../shared/requests";
import { failure, type Outcome, success } from "../../outcome";
import { answerChanges, bodyDiff, reportItem, reportTotals } from "./compare";
import { redactHeaders, redactText } from "./redaction";
import type { ReplaySource, RequestTable } from "./request-table";

/** Sends a request to the app as request_app does (app-traffic.ts). */
export type Send = (request: AppRequest) => Promise<Outcome<AppResponse>> | Outcome<AppResponse>;

/** Headers the runtime sets itself, or that would describe the recorded body rather than the one sent. */
const NOT_SENT = new Set(["host", "content-length", "connection", "transfer-encoding", "upgrade", "keep-alive"]);
const REPLAY_DEFAULT = 20;

const REDACTED_NOTE = `Sent with redacted headers (${REDACTED} in place of their values): an answer that depends on them may differ`;

export class RequestReplay {
  #table: RequestTable;
  #send: Send;
  #needles: () => string[];

  constructor(table: RequestTable, send: Send, needles: () => string[]) {
    this.#table = table;
    this.#send = send;
    this.#needles = needles;
  }

  async one(id: number, target: "live" | "draft"): Promise<Outcome<ReplayOneResponse>> {
    const source = this.#table.get(id);
    if (!source)
      return failure(
        "not_found",
        `No recorded request ${id} (the project keeps the last ${this.#table.settings.keep})`,
      );
    const built = replayRequest(source, target);
    if (!built.ok) return failure("bad_request", built.reason);
    const sent = await this.#send(built.request);
    if (!sent.ok) return sent;
    const recorded = recordedAnswer(source);
    const replayed = this.#answer(sent.value);
    const changes = answerChanges(recorded, replayed);
    return success({
      id,
      target,
      recorded,
      replayed,
      same: changes.length === 0,
      changes,
      diff: bodyDiff(recorded, replayed),
      notes: built.notes,
    });
  }

  /** The last live requests, oldest first, sent to the draft: a report of what each answers now. */
  async report(request: ReplayManyRequest): Promise<Outcome<ReplayReport>> {
    const ids = this.#table.latestLive(request.last ?? REPLAY_DEFAULT, request.methods);
    const items: ReplayItem[] = [];
    let redacted = 0;
    for (const id of ids) {
      const source = this.#table.get(id);
      if (!source) continue;
      const base = { id, method: source.summary.method, path: source.summary.path };
      const built = replayRequest(source, "draft");
      if (!built.ok) {
        items.push({ ...skipped(base, source.summary.status), note: built.reason });
        continue;
      }
      const sent = await this.#send(built.request);
      if (!sent.ok) return sent;
      const item = reportItem(base, recordedAnswer(source), this.#answer(sent.value));
      if (built.notes.length > 0) {
        redacted++;
        item.note = built.notes.join(". ");
      }
      items.push(item);
    }
    const notes = [
      ...(ids.length === 0 ? ["No live requests are recorded yet: visit the app, then replay"] : []),
      ...(redacted > 0
        ? [`${redacted} request(s) were sent with redacted headers; their answers may differ for that alone`]
        : []),
      "Answers that depend on the time or on randomness show as changed; get a request's replay for the diff",
    ];
    return success({ target: "draft", items, totals: reportTotals(items), notes });
  }

  /** The replayed answer, redacted as the recorded one was, so the two compare alike. */
  #answer(response: AppResponse): ReplayAnswer {
    const needles = this.#needles();
    const exception = response.logs.find((line) => line.kind === "exception");
    return {
      status: response.status,
      headers: redactHeaders(Object.entries(response.headers), needles).headers,
      body: response.bodyEncoding === "text" ? redactText(response.body, needles) : response.body,
      encoding: response.bodyEncoding,
      exception: exception?.kind === "exception" ? exception.name : null,
    };
  }
}

function skipped(base: { id: number; method: string; path: string }, recordedStatus: number): ReplayItem {
  return { ...base, recordedStatus, status: null, outcome: "skipped", changes: [], fixed: false, broken: false };
}

function recordedAnswer(source: ReplaySource): ReplayAnswer {
  const { record } = source;
  return {
    status: record.status,
    headers: record.response.headers,
    body: record.response.body,
    encoding: record.response.encoding,
    exception: record.exception,
  };
}

type Built = { ok: true; request: AppRequest; notes: string[] } | { ok: false; reason: string };

/** The request_app request that sends a recorded request again, or why it cannot be. */
export function replayRequest(source: ReplaySource, target: "live" | "draft"): Built {
  const { record, requestBody } = source;
  if (record.websocket) return { ok: false, reason: "A WebSocket session is listed, not replayed" };
  const method = HTTP_METHODS.find((m) => m === record.method);
  if (!method) return { ok: false, reason: `${record.method} requests are not replayed` };
  if (record.request.truncated)
    return { ok: false, reason: "Its body was longer than 64 KiB, and only that much was kept" };
  const hasBody = requestBody.bytes.byteLength > 0 && method !== "GET" && method !== "HEAD";
  if (hasBody && !requestBody.text) return { ok: false, reason: "Its body is binary, which a replay cannot send yet" };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.request.headers)) {
    if (!NOT_SENT.has(name) && !name.startsWith("cf-")) headers[name] = value;
  }
  const notes = record.redacted.some((name) => name in headers) ? [REDACTED_NOTE] : [];
  return {
    ok: true,
    request: {
      method,
      path: record.path,
      headers,
      ...(hasBody ? { body: record.request.body } : {}),
      target,
      redirect: "manual",
    },
    notes,
  };
}
