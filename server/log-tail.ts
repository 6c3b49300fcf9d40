/**
 * Tail worker attached to every loaded app: receives one trace per invocation once it ends and hands
 * the supervisor plain JSON lines (trace objects cannot cross RPC as they are).
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import type { NewLogEntry } from "../shared/protocol";
import { PROBE_HOST, SQL_METHOD } from "./supervisor/wrapper";
import { supervisorFor } from "./supervisor-stub";

const LEVELS = new Set(["debug", "log", "info", "warn", "error"]);

/**
 * Lines waiting to go to their supervisor, by project and code. Traces arrive one per request; one RPC
 * (a supervisor invocation) per trace was a large share of the cost of a request under load, so lines
 * that arrive within BATCH_MS of each other travel together.
 */
const BATCH_MS = 20;
const waiting = new Map<string, { projectId: string; codeId: string; entries: NewLogEntry[] }>();

export class LogTail extends WorkerEntrypoint<Env, LogTailProps> {
  override async tail(events: TraceItem[]): Promise<void> {
    const entries = events.flatMap(entriesOf);
    if (entries.length === 0) return;
    const { projectId, codeId } = this.ctx.props;
    const key = `${projectId}\n${codeId}`;
    const batch = waiting.get(key);
    if (batch) {
      batch.entries.push(...entries);
      return;
    }
    waiting.set(key, { projectId, codeId, entries });
    await new Promise((resolve) => setTimeout(resolve, BATCH_MS));
    const ready = waiting.get(key);
    waiting.delete(key);
    if (ready) await supervisorFor(this.env, projectId).appendLogs(codeId, ready.entries);
  }
}

/** Versions are filled in by the supervisor, which maps the code ID to its version. */
export function entriesOf(event: TraceItem): NewLogEntry[] {
  const entries: NewLogEntry[] = [];
  const info = event.event;
  // SQL console calls are RPC into the app; they are answered in the terminal, not logged. Other RPC
  // (the alarm handler) keeps its console output and exceptions, without a request line.
  if (info && "rpcMethod" in info && info.rpcMethod === SQL_METHOD) return [];
  const at = event.eventTimestamp ?? Date.now();
  for (const log of event.logs) {
    const level = LEVELS.has(log.level) ? (log.level as "log") : "log";
    entries.push({
      kind: "console",
      at: log.timestamp || at,
      version: null,
      level,
      message: formatLogMessage(log.message),
    });
  }
  for (const ex of event.exceptions) {
    entries.push({
      kind: "exception",
      at: ex.timestamp || at,
      version: null,
      name: ex.name,
      message: ex.message,
      stack: ex.stack,
    });
  }
  if (info && "request" in info) {
    const url = new URL(info.request.url);
    if (url.hostname === PROBE_HOST) return entries;
    const status = "response" in info && info.response ? info.response.status : null;
    // An accepted upgrade is logged by the supervisor with its handler's output (see
    // UPGRADE_LOGS_HEADER); should a trace for it arrive after all, it would only repeat that.
    if (status === 101) return [];
    entries.unshift({
      kind: "request",
      at,
      version: null,
      method: info.request.method,
      path: url.pathname + url.search,
      status,
      durationMs: Math.round(event.wallTime ?? 0),
      outcome: event.outcome,
    });
  }
  return entries;
}

function formatLogMessage(parts: unknown): string {
  const list = Array.isArray(parts) ? parts : [parts];
  return list
    .map((part) => {
      if (typeof part === "string") return part;
      try {
        return JSON.stringify(part);
      } catch {
        return String(part);
      }
    })
    .join(" ");
}
