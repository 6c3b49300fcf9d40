/**
 * Collects an app's console output and uncaught errors inside its isolate (`__facet_ide_logs.js`).
 *
 * Why not a tail worker: a tail gets a trace of every invocation, and building, delivering and
 * reading those traces was about 0.9 ms of CPU per request, a quarter of a request's cost through the
 * supervisor (bench/profile/cost.mjs with and without `tails`; docs/platform.md, "Logs"). Collected
 * here instead:
 * - the output of a fetch call rides back on its response (supervisor/app-host/app-channel.ts), so
 *   the supervisor logs it with the request line and nothing else travels;
 * - everything else (module start, the constructor, WebSocket and alarm handlers, work after the
 *   response, uncaught rejections) goes to the supervisor through the log bridge: sent at once, and
 *   what is logged while a send is under way goes with the next one.
 * The guard module evaluates first, then this one, then the user's modules, so console is patched and
 * the bridges are out of the app's reach before its top-level code runs: `import { env } from
 * "cloudflare:workers"` hands out the same env the loader was given, so the bridges are taken out of
 * it here.
 */
import { env as moduleEnv } from "cloudflare:workers";
import { AsyncLocalStorage } from "node:async_hooks";
import { markHandlers } from "../listeners";
import { admitMessage, noticeTo } from "../meter/socket-bounds";
import { originals as O } from "../originals";
import {
  ALARM_BINDING,
  CONSOLE_LEVELS,
  HEADER_MAX_CHARS,
  HEADER_MAX_LINES,
  LOG_BINDING,
  type LogLine,
} from "../protocol";
import { clip, describeError, formatPart } from "./log-lines";
import { visibleControls } from "./terminal-text";

/** Lines waiting for the bridge past this are counted, not kept (an app logging in a tight loop). */
const OUTBOX_MAX = 1_000;
/** Lines one send carries. */
const BATCH_MAX = 200;

/** The log bridge (server/bridges/log-bridge.ts). */
interface LogBridge {
  append(lines: LogLine[]): Promise<unknown>;
}
/** The alarm bridge (server/bridges/alarm-bridge.ts); an object's calls name it by its ID. */
export interface AlarmBridge {
  setAlarm(time: number, key?: string): Promise<unknown>;
  getAlarm(key?: string): Promise<number | null>;
  deleteAlarm(key?: string): Promise<unknown>;
}

/** The env `import { env } from "cloudflare:workers"` hands out, as a record (the loader's, before the app ran). */
const env: Record<string, unknown> | null =
  moduleEnv !== null && typeof moduleEnv === "object" ? (moduleEnv as unknown as Record<string, unknown>) : null;

/** The bridges, out of the env that `import { env } from "cloudflare:workers"` hands the app. */
export const bridges = O.freeze({
  // The loader's bindings, not values from the app (this module runs before the app's).
  logs: (env?.[LOG_BINDING] ?? null) as LogBridge | null,
  alarms: (env?.[ALARM_BINDING] ?? null) as AlarmBridge | null,
});
if (env) {
  delete env[LOG_BINDING];
  delete env[ALARM_BINDING];
}

/** What a fetch call logged while it ran (its lines ride back on its response). */
interface Captured {
  lines: LogLine[];
  chars: number;
  done: boolean;
}
/** The fetch call (or handler) running now: where its console output goes. Also tells the wrapper the app called it. */
const running = new AsyncLocalStorage<Captured>();
/** A handler's store: its output goes to the bridge. */
const HANDLER: Captured = O.freeze({ lines: [], chars: 0, done: true });
const outbox: LogLine[] = [];
let dropped = 0;
let bridge: LogBridge | null = null;
let sending = false;

async function send(): Promise<void> {
  sending = true;
  try {
    while (bridge && (outbox.length > 0 || dropped > 0)) {
      const batch = outbox.splice(0, BATCH_MAX);
      if (dropped > 0 && outbox.length === 0) {
        batch.push({
          kind: "console",
          level: "warn",
          message: `(${dropped} lines not shown: the app logged faster than they could be sent)`,
          at: O.now(),
        });
        dropped = 0;
      }
      await bridge.append(batch).catch(() => {});
    }
  } finally {
    sending = false;
  }
}

function sendLater(line: LogLine): void {
  if (outbox.length >= OUTBOX_MAX) {
    dropped++;
    return;
  }
  outbox.push(line);
  if (bridge && !sending) send();
}

/** Starts sending through the bridge; lines logged before it was known go now. */
export function connectBridge(): void {
  if (bridge || !bridges.logs) return;
  bridge = bridges.logs;
  if (!sending) send();
}

/** The lines no bridge has taken yet (the probe hands them back in its answer). */
export function takePending(): LogLine[] {
  return outbox.splice(0);
}

export function reportException(error: unknown): void {
  sendLater({ kind: "exception", ...describeError(error), at: O.now() });
}

/** Whether the app's own code is running (a fetch call, a handler): then a call to the wrapper's fetch came from the app. */
export function insideApp(): boolean {
  return running.getStore() !== undefined;
}

/** Runs a handler (constructor, alarm, WebSocket events) as app code whose output goes to the bridge. */
export function runAsHandler<T>(run: () => T): T {
  return running.run(HANDLER, run);
}

/** How a fetch call (or handler) ended, with what it logged while it ran. */
export type Run<T> = { ok: true; value: T; lines: LogLine[] } | { ok: false; error: unknown; lines: LogLine[] };

/**
 * Runs a fetch call, collecting what it logs until it returns (later output goes to the bridge).
 * Never throws.
 */
export async function withRequestLogs<T>(run: () => T | Promise<T>): Promise<Run<T>> {
  const captured: Captured = { lines: [], chars: 0, done: false };
  try {
    return { ok: true, value: await running.run(captured, run), lines: captured.lines };
  } catch (error) {
    return { ok: false, error, lines: captured.lines };
  } finally {
    captured.done = true;
  }
}

for (const level of CONSOLE_LEVELS) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    let message = `(a value console.${level} could not format)`;
    try {
      // Array and JSON methods are the app's to replace: what they give is checked to be text.
      const text: unknown = args.map(formatPart).join(" ");
      if (typeof text === "string") message = clip(text);
    } catch {}
    const line: LogLine = { kind: "console", level, message, at: O.now() };
    const captured = running.getStore();
    if (
      captured &&
      !captured.done &&
      captured.lines.length < HEADER_MAX_LINES &&
      captured.chars + message.length <= HEADER_MAX_CHARS
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
const accepted = new Set<WebSocket>();
const closeListener = (socket: WebSocket) => () => accepted.delete(socket);
// A socket accept()ed delivers its messages to listeners: the bound's listener is added first (at the
// first listener or at accept, whichever comes first) and stops a dropped message before any other.
const bounded = new O.WeakMap<object, true>();
const stopImmediate = Event.prototype.stopImmediatePropagation;
const boundedHas = O.WeakMap.prototype.has;
const boundedSet = O.WeakMap.prototype.set;
function bound(socket: WebSocket): void {
  if (O.apply(boundedHas, bounded, [socket])) return;
  O.apply(boundedSet, bounded, [socket, true]);
  O.apply(O.addEventListener, socket, [
    "message",
    (event: Event) => {
      if (!admitMessage(socket)) O.apply(stopImmediate, event, []);
    },
  ]);
}
// The app's own listeners go through addEventListener as the guard left it (under the launcher it
// wraps each listener so that an activity marker names whose code runs), not the kept native one.
const addAppListener = WebSocket.prototype.addEventListener;
WebSocket.prototype.addEventListener = function (this: WebSocket, ...args: unknown[]) {
  if (args[0] === "message") bound(this);
  return O.apply(addAppListener, this, args as Parameters<WebSocket["addEventListener"]>);
} as WebSocket["addEventListener"];
noticeTo((message) => sendLater({ kind: "console", level: "warn", message, at: O.now() }));
WebSocket.prototype.accept = function (this: WebSocket, ...args: unknown[]) {
  // Its on<event> handlers say whose code they are when they run (the guard's activity markers).
  markHandlers(this);
  accepted.add(this);
  bound(this);
  O.apply(O.addEventListener, this, ["close", closeListener(this)]);
  return O.apply(O.webSocketAccept, this, args);
};

/** Closes at most `limit` sockets from `hibernated` and every accept()ed one; returns how many. */
export function closeSockets(hibernated: Iterable<unknown>, code: unknown, reason: unknown, limit: number): number {
  let closed = 0;
  const all: unknown[] = [];
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
