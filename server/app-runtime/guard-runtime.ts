/**
 * The first module every app evaluates (`__facet_ide_guard.js`), before any line of the user's code:
 *
 * - **Originals.** It keeps the built-ins the IDE's own modules rely on (Date.now, setTimeout,
 *   queueMicrotask, Error, Headers, Response, console.log, Reflect.apply, ...) as they were before the
 *   app could replace them, so an app that swaps `Date.now` or `queueMicrotask` cannot switch its
 *   loop guard off, and one that patches `Headers.prototype.set` cannot read what the wrapper writes.
 * - **The guard** (see loop-guard.ts for where calls are inserted: every loop body, every function,
 *   every resumption after `await`/`yield`). It measures how long the isolate has run without
 *   returning to the event loop. "Returning" means a macrotask ran, not a microtask: `for (;;) { await
 *   0 }` never lets the event loop run, so the clock is cleared by a zero-delay timer, which fires only
 *   once the isolate really yields. Once it has fired, the guard throws at every call until the
 *   isolate yields, so an app cannot catch its way past it. At module top level the clock reads 0 and
 *   stands still, so there it counts calls instead.
 * - **Activity markers** for the dev launcher (scripts/dev.mjs), which restarts a runtime that froze
 *   and must then say whose code froze it. Every time this isolate starts running (a request, an
 *   alarm, a console query, a timer, a WebSocket message, start-up, or any continuation), it prints
 *   `enter <project> <code> <what>` before the first line of the app's code runs, and `leave` once its
 *   microtasks have drained. console.log is written synchronously and one isolate runs at a time, so
 *   when the runtime freezes, the last marker on its output tells: an `enter` means that project's
 *   code was running; a `leave` means it was not (the IDE's own code, or something no marker saw),
 *   and then nobody is blamed. Off unless the launcher asked for them (`markers`).
 */

// Starts every activity marker line; the launcher reads these lines and does not show them.
import { MARKER_PREFIX } from "../../shared/launcher-contract.mjs";

export const GUARD_MODULE = "__facet_ide_guard.js";
export const GUARD_CALL = "__facetIdeLoop";
export const RESUME_CALL = "__facetIdeResume";
export const LOOP_LIMIT_MS = 3_000;
export const TOP_LEVEL_ITERATION_LIMIT = 2 ** 29;
/** Microtask hops before `leave` is printed, so that short chains of continuations still count as running. */
const LEAVE_AFTER_HOPS = 16;

export interface GuardOptions {
  /** Print activity markers for this project and code (only under the dev launcher). */
  markers: { projectId: string; codeId: string } | null;
}

export function guardModuleSource({ markers }: GuardOptions): string {
  const who = markers ? JSON.stringify(`${markers.projectId} ${markers.codeId}`) : '""';
  return `const realNow = Date.now;
const realSetTimeout = setTimeout.bind(globalThis);
const realSetInterval = setInterval.bind(globalThis);
const realQueueMicrotask = queueMicrotask.bind(globalThis);
const RealError = Error;
const print = console.log.bind(console);
const apply = Reflect.apply;
const defineProperty = Object.defineProperty;
const freeze = Object.freeze;
const MARKERS = ${markers ? "true" : "false"};
/** Whether \`enter\` prints anything (callers skip building its detail when it does not). */
export const MARKING = MARKERS;
const WHO = ${who};

/** Built-ins as they were before the app's code ran, for the IDE's own modules. */
export const originals = freeze({
  apply,
  defineProperty,
  freeze,
  getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
  keys: Object.keys,
  hasOwn: Object.hasOwn,
  isArray: Array.isArray,
  objectPrototype: Object.prototype,
  startsWith: String.prototype.startsWith,
  now: realNow,
  perfNow: performance.now.bind(performance),
  setTimeout: realSetTimeout,
  queueMicrotask: realQueueMicrotask,
  Error: RealError,
  TypeError,
  Headers,
  Response,
  JSON_stringify: JSON.stringify,
  JSON_parse: JSON.parse,
  encodeURIComponent,
  headersGet: Headers.prototype.get,
  headersSet: Headers.prototype.set,
  headersHas: Headers.prototype.has,
  headersDelete: Headers.prototype.delete,
  responseJson: Response.json,
  webSocketAccept: WebSocket.prototype.accept,
  addEventListener: WebSocket.prototype.addEventListener,
  webSocketClose: WebSocket.prototype.close,
  print,
});

let entered = !MARKERS;
function leaveLater() {
  let hops = ${LEAVE_AFTER_HOPS};
  const hop = () => {
    if (--hops > 0) return realQueueMicrotask(hop);
    entered = false;
    print("${MARKER_PREFIX} leave " + WHO);
  };
  realQueueMicrotask(hop);
}

/** Marks that this isolate starts running code: what started it (request, alarm, timer, ...) and a detail. */
export function enter(what, detail) {
  if (!MARKERS) return;
  const first = !entered;
  entered = true;
  const text = String(detail ?? "").replace(/[\\u0000-\\u001f\\u007f-\\u009f]/g, "?").slice(0, 200);
  print("${MARKER_PREFIX} enter " + WHO + " " + what + " " + text);
  if (first) leaveLater();
}

let ticks = 0;
let busySince = 0;
let tripped = null;
function cleared() {
  busySince = 0;
  tripped = null;
}

export function ${GUARD_CALL}(site) {
  if (!entered) enter("code", site);
  if (tripped !== null) throw new RealError(tripped);
  if ((++ticks & 0x3fff) !== 0) return;
  const now = realNow();
  if (now === 0) {
    if (ticks > ${TOP_LEVEL_ITERATION_LIMIT}) {
      tripped = "The " + site + " ran over ${TOP_LEVEL_ITERATION_LIMIT} steps while the module was starting, so it was stopped.";
      throw new RealError(tripped);
    }
  } else if (busySince === 0) {
    busySince = now;
    realSetTimeout(cleared, 0);
  } else if (now - busySince > ${LOOP_LIMIT_MS}) {
    tripped = "The " + site + " ran for over ${LOOP_LIMIT_MS / 1000} s without yielding, so it was stopped to keep the runtime responsive.";
    throw new RealError(tripped);
  }
}

/** Wraps a resumption after await or yield: the isolate may be running again after a pause. */
export function ${RESUME_CALL}(value, site) {
  if (!entered) enter("code", site);
  return value;
}

// Timers the app sets say so when they fire (the guard inside them would only say where).
function timed(real, what) {
  return function (callback, ...rest) {
    if (typeof callback !== "function") return apply(real, undefined, [callback, ...rest]);
    return apply(real, undefined, [
      function (...args) {
        enter(what, "");
        return apply(callback, this, args);
      },
      ...rest,
    ]);
  };
}
if (MARKERS) {
  defineProperty(globalThis, "setTimeout", { value: timed(realSetTimeout, "timer"), writable: true, configurable: true });
  defineProperty(globalThis, "setInterval", { value: timed(realSetInterval, "interval"), writable: true, configurable: true });
}
enter("startup", "");
`;
}
