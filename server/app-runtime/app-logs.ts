/**
 * The generated module that collects an app's console output and uncaught errors inside its isolate
 * (`__facet_ide_logs.js`), and what the supervisor accepts of what it sends.
 *
 * Why not a tail worker: a tail gets a trace of every invocation, and building, delivering and
 * reading those traces was about 0.9 ms of CPU per request, a quarter of a request's cost through the
 * supervisor (bench/profile/cost.mjs with and without `tails`; docs/platform.md, "Logs"). Collected
 * here instead:
 * - the output of a fetch call rides back on its response (app-channel.ts), so the supervisor logs it
 *   with the request line and nothing else travels;
 * - everything else (module start, the constructor, WebSocket and alarm handlers, work after the
 *   response, uncaught rejections) goes to the supervisor through the log bridge: sent at once, and
 *   what is logged while a send is under way goes with the next one.
 * The guard module evaluates first, then this one, then the user's modules, so console is patched and
 * the bridges are out of the app's reach before its top-level code runs: `import { env } from
 * "cloudflare:workers"` hands out the same env the loader was given, so the bridges are taken out of
 * it here.
 */
import { z } from "zod";
import { RESERVED_ENV_PREFIX } from "../../shared/api";
import { CONSOLE_LEVELS, ConsoleLevel, type NewLogEntry } from "../../shared/logs";
import { visibleControls } from "../../shared/terminal-text";
import { GUARD_MODULE } from "./guard-runtime";

export const LOGS_MODULE = "__facet_ide_logs.js";
/** The env key carrying the log bridge; taken out before the user's code can see env. */
export const LOG_BINDING = `${RESERVED_ENV_PREFIX}_LOGS`;
/** The env key carrying the alarm bridge; taken out before the user's code can see env. */
export const ALARM_BINDING = `${RESERVED_ENV_PREFIX}_ALARMS`;
/** Lines (and characters of them) one response carries; the rest go through the bridge. */
export const HEADER_MAX_LINES = 50;
export const HEADER_MAX_CHARS = 6_000;
/** Lines waiting for the bridge past this are counted, not kept (an app logging in a tight loop). */
const OUTBOX_MAX = 1_000;
/** Longest console line kept; the log bridge cuts anything longer an app might send it directly. */
const LINE_MAX_CHARS = 8_000;
const BATCH_MAX = 200;

const text = (max: number) => z.string().transform((s) => (s.length > max ? `${s.slice(0, max)}…` : s));
const AppLogLine = z.discriminatedUnion("kind", [
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
]);
/** The lines the module below sends. They come from the app's isolate, so they are validated and cut to size. */
export const AppLogLines = z.array(AppLogLine).max(500);

/** Lines an app sent (through the bridge, in a probe's answer or an exception), as log entries; null if malformed. */
export function appLogEntries(lines: unknown, version: number | null, maxLines = Infinity): NewLogEntry[] | null {
  const parsed = AppLogLines.safeParse(lines);
  if (!parsed.success || parsed.data.length > maxLines) return null;
  return parsed.data.map((line) => ({ ...line, version }));
}

export function appLogsModuleSource(): string {
  return `import { originals as O } from "./${GUARD_MODULE}";
import { env as moduleEnv } from "cloudflare:workers";
import { AsyncLocalStorage } from "node:async_hooks";

const visibleControls = ${visibleControls.toString()};

/** The bridges, out of the env that \`import { env } from "cloudflare:workers"\` hands the app. */
export const bridges = O.freeze({
  logs: moduleEnv?.[${JSON.stringify(LOG_BINDING)}] ?? null,
  alarms: moduleEnv?.[${JSON.stringify(ALARM_BINDING)}] ?? null,
});
if (moduleEnv) {
  delete moduleEnv[${JSON.stringify(LOG_BINDING)}];
  delete moduleEnv[${JSON.stringify(ALARM_BINDING)}];
}

/** The fetch call (or handler) running now: where its console output goes. Also tells the wrapper the app called it. */
const running = new AsyncLocalStorage();
const HANDLER = O.freeze({ done: true });
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
  try {
    const e = error instanceof Error ? error : new O.Error(String(error));
    const stack = String(e.stack ?? "").split("\\n").filter((line) => !line.includes("__facet_ide_")).join("\\n");
    return { name: String(e.name), message: String(e.message), stack };
  } catch {
    return { name: "Error", message: "(an exception that could not be described)", stack: "" };
  }
}

async function send() {
  sending = true;
  try {
    while (bridge && (outbox.length > 0 || dropped > 0)) {
      const batch = outbox.splice(0, ${BATCH_MAX});
      if (dropped > 0 && outbox.length === 0) {
        batch.push({ kind: "console", level: "warn", message: "(" + dropped + " lines not shown: the app logged faster than they could be sent)", at: O.now() });
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

/** Starts sending through the bridge; lines logged before it was known go now. */
export function useBridge() {
  if (bridge || !bridges.logs) return;
  bridge = bridges.logs;
  if (!sending) send();
}

/** The lines no bridge has taken yet (the probe hands them back in its answer). */
export function takePending() {
  return outbox.splice(0);
}

export function reportException(error) {
  sendLater({ kind: "exception", ...describe(error), at: O.now() });
}

/** Whether the app's own code is running (a fetch call, a handler): then a call to the wrapper's fetch came from the app. */
export function insideApp() {
  return running.getStore() !== undefined;
}

/** Runs a handler (constructor, alarm, WebSocket events) as app code whose output goes to the bridge. */
export function runAsHandler(run) {
  return running.run(HANDLER, run);
}

/**
 * Runs a fetch call, collecting what it logs until it returns (later output goes to the bridge).
 * Never throws: { ok, value | error, lines }.
 */
export async function withRequestLogs(run) {
  const captured = { lines: [], chars: 0, done: false };
  try {
    return { ok: true, value: await running.run(captured, run), lines: captured.lines };
  } catch (error) {
    return { ok: false, error, lines: captured.lines };
  } finally {
    captured.done = true;
  }
}

for (const level of ${JSON.stringify(CONSOLE_LEVELS)}) {
  const original = console[level].bind(console);
  console[level] = function (...args) {
    let message;
    try {
      message = clip(args.map(formatPart).join(" "));
    } catch {
      message = "(a value console." + level + " could not format)";
    }
    const line = { kind: "console", level, message, at: O.now() };
    const captured = running.getStore();
    if (
      captured &&
      !captured.done &&
      captured.lines.length < ${HEADER_MAX_LINES} &&
      captured.chars + message.length <= ${HEADER_MAX_CHARS}
    ) {
      captured.lines.push(line);
      captured.chars += message.length;
    } else {
      sendLater(line);
    }
    // The terminal running the server shows it too, with its control characters made visible.
    original(visibleControls(message));
  };
}

// Sockets the app accepted with accept() (the hibernation API's are listed by ctx.getWebSockets()),
// so that a swap can close them with a clear code instead of letting them drop. Patched here, before
// the app's modules run, so the app cannot hide a socket from it.
const accepted = new Set();
const closeListener = (socket) => () => accepted.delete(socket);
WebSocket.prototype.accept = function (...args) {
  accepted.add(this);
  O.apply(O.addEventListener, this, ["close", closeListener(this)]);
  return O.apply(O.webSocketAccept, this, args);
};

/** Closes at most \`limit\` sockets from \`hibernated\` and every accept()ed one; returns how many. */
export function closeSockets(hibernated, code, reason, limit) {
  let closed = 0;
  const all = [];
  try {
    for (const socket of hibernated) {
      if (all.length >= limit) break;
      all.push(socket);
    }
  } catch {}
  for (const socket of accepted) all.push(socket);
  accepted.clear();
  for (const socket of all) {
    try {
      O.apply(O.webSocketClose, socket, [code, reason]);
      closed++;
    } catch {}
  }
  return closed;
}

addEventListener("unhandledrejection", (event) => reportException(event.reason));
`;
}
