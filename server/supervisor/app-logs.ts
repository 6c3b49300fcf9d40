/**
 * The generated module that collects an app's console output and uncaught errors inside its isolate.
 *
 * Why not a tail worker: a tail gets a trace of every invocation, and building, delivering and
 * reading those traces was about 0.9 ms of CPU per request, a quarter of a request's cost through the
 * supervisor (bench/profile/cost.mjs with and without `tails`; docs/platform.md, "Logs"). Collected
 * here instead:
 * - the output of a fetch call rides back on its response (LOGS_HEADER), so the supervisor logs it
 *   with the request line and nothing else travels;
 * - everything else (module start, the constructor, WebSocket and alarm handlers, work after the
 *   response, uncaught rejections) goes to the supervisor through the log bridge (LOG_BINDING): sent
 *   at once, and what is logged while a send is under way goes with the next one.
 * The wrapper module imports this one before the user's modules, so console is patched before their
 * top-level code runs.
 */
import { z } from "zod";
import { CONSOLE_LEVELS, ConsoleLevel, type NewLogEntry } from "../../shared/logs";
import { LOGS_HEADER } from "../internal";

export const LOGS_MODULE = "__facet_ide_logs.js";
/** The env key carrying the log bridge; the wrapper removes it before the user's class sees env. */
export const LOG_BINDING = "__FACET_IDE_LOGS";
/** Lines (and bytes of them) one response carries; the rest go through the bridge. */
const HEADER_MAX_LINES = 50;
const HEADER_MAX_BYTES = 6_000;
/** Lines waiting for the bridge past this are counted, not kept (an app logging in a tight loop). */
const OUTBOX_MAX = 1_000;
/** Longest console line kept; the log bridge cuts anything longer an app might send it directly. */
const LINE_MAX_CHARS = 8_000;
const BATCH_MAX = 200;

const text = (max: number) => z.string().transform((s) => (s.length > max ? `${s.slice(0, max)}…` : s));
/** The lines the module below sends. They come from the app's isolate, so they are validated and cut to size. */
const AppLogLines = z
  .array(
    z.discriminatedUnion("kind", [
      z.object({
        kind: z.literal("console"),
        level: ConsoleLevel,
        message: text(LINE_MAX_CHARS),
        at: z.number(),
      }),
      z.object({
        kind: z.literal("exception"),
        name: text(200),
        message: text(LINE_MAX_CHARS),
        stack: text(LINE_MAX_CHARS),
        at: z.number(),
      }),
    ]),
  )
  .max(500);

/** Lines an app sent (through the bridge, in a probe's answer or an exception), as log entries; null if malformed. */
export function appLogEntries(lines: unknown, version: number | null): NewLogEntry[] | null {
  const parsed = AppLogLines.safeParse(lines);
  if (!parsed.success) return null;
  return parsed.data.map((line) => ({ ...line, version }));
}

/** The console lines a response carries in LOGS_HEADER. */
export function appLogEntriesOf(response: Response, version: number | null): NewLogEntry[] {
  const header = response.headers.get(LOGS_HEADER);
  if (!header) return [];
  try {
    return appLogEntries(JSON.parse(decodeURIComponent(header)), version) ?? [];
  } catch {
    return []; // The app set the header itself, or it was cut: only these lines are lost.
  }
}

export const appLogsModuleSource = `import { AsyncLocalStorage } from "node:async_hooks";

const requestLogs = new AsyncLocalStorage();
const outbox = [];
let dropped = 0;
let bridge = null;
let sending = false;

function clip(text) {
  return text.length > ${LINE_MAX_CHARS} ? text.slice(0, ${LINE_MAX_CHARS}) + "…" : text;
}

function formatPart(part) {
  if (typeof part === "string") return part;
  if (part instanceof Error) return part.stack || String(part);
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
}

/** An error as the terminal shows it, without the frames of the modules the supervisor adds. */
export function describe(error) {
  const e = error instanceof Error ? error : new Error(String(error));
  const stack = (e.stack ?? "").split("\\n").filter((line) => !line.includes("__facet_ide_")).join("\\n");
  return { name: e.name, message: e.message, stack };
}

async function send() {
  sending = true;
  try {
    while (bridge && (outbox.length > 0 || dropped > 0)) {
      const batch = outbox.splice(0, ${BATCH_MAX});
      if (dropped > 0 && outbox.length === 0) {
        batch.push({ kind: "console", level: "warn", message: "(" + dropped + " lines not shown: the app logged faster than they could be sent)", at: Date.now() });
        dropped = 0;
      }
      await bridge.append(batch).catch(() => {});
    }
  } finally {
    sending = false;
  }
}

function sendLater(line) {
  if (outbox.length >= ${OUTBOX_MAX}) {
    dropped++;
    return;
  }
  outbox.push(line);
  if (bridge && !sending) send();
}

/** Called with the bridge from env; lines logged before it was known go now. */
export function useBridge(logBridge) {
  if (bridge || !logBridge) return;
  bridge = logBridge;
  if (!sending) send();
}

/** The lines no bridge has taken yet (the probe hands them back in its answer). */
export function takePending() {
  return outbox.splice(0);
}

export function reportException(error) {
  sendLater({ kind: "exception", ...describe(error), at: Date.now() });
}

/**
 * Runs a fetch call, collecting what it logs until it returns (later output goes to the bridge).
 * Never throws: { ok, value | error, lines }.
 */
export async function withRequestLogs(run) {
  const captured = { lines: [], bytes: 0, done: false };
  try {
    return { ok: true, value: await requestLogs.run(captured, run), lines: captured.lines };
  } catch (error) {
    return { ok: false, error, lines: captured.lines };
  } finally {
    captured.done = true;
  }
}

for (const level of ${JSON.stringify(CONSOLE_LEVELS)}) {
  const original = console[level];
  console[level] = function (...args) {
    const line = { kind: "console", level, message: clip(args.map(formatPart).join(" ")), at: Date.now() };
    const captured = requestLogs.getStore();
    if (
      captured &&
      !captured.done &&
      captured.lines.length < ${HEADER_MAX_LINES} &&
      captured.bytes + line.message.length <= ${HEADER_MAX_BYTES}
    ) {
      captured.lines.push(line);
      captured.bytes += line.message.length;
    } else {
      sendLater(line);
    }
    return original.apply(this, args);
  };
}

addEventListener("unhandledrejection", (event) => reportException(event.reason));
`;
