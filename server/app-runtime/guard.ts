/**
 * The first module every app evaluates (`__facet_ide_guard.js`), before any line of the user's code
 * (with originals.ts, which keeps the built-ins the IDE's modules use):
 *
 * - **The guard** (see supervisor/app-host/compile/loop-guard.ts for where calls are inserted: every loop
 *   body, every function, every resumption after `await`/`yield`). It measures how long the isolate
 *   has run without returning to the event loop. "Returning" means a macrotask ran, not a microtask:
 *   `for (;;) { await 0 }` never lets the event loop run, so the clock is cleared by a zero-delay
 *   timer, which fires only once the isolate really yields. Once it has fired, the guard throws at
 *   every call until the isolate yields, so an app cannot catch its way past it. At module top level
 *   the clock reads 0 and stands still, so there it counts calls instead. It uses the clock and the
 *   timer as they were before the app ran, so an app that swaps `Date.now` or `setTimeout` cannot
 *   switch it off.
 * - **Activity markers** for the dev launcher (scripts/dev.mjs), which restarts a runtime that froze
 *   and must then say whose code froze it. Every time this isolate starts running (a request, an
 *   alarm, a console query, a timer, a WebSocket message, start-up, or any continuation), it prints
 *   `enter <project> <code> <what>` before the first line of the app's code runs, and `leave` once its
 *   microtasks have drained. console.log is written synchronously and one isolate runs at a time, so
 *   when the runtime freezes, the last marker on its output tells: an `enter` means that project's
 *   code was running; a `leave` means it was not (the IDE's own code, or something no marker saw),
 *   and then nobody is blamed. Off unless the launcher asked for them (the `markers` placeholder).
 *   With beacons (when the launcher can read workerd's memory), the same marker is written into
 *   memory instead of printed (beacon.ts), which costs a request next to nothing; only a turn that
 *   runs long prints it, for a crash's sake (`BEACON` below).
 */

import { type Beacon, beaconIdle, beaconRunning, makeBeacon } from "./beacon";
import { markEventListeners } from "./listeners";
import { markNativeCallbacks } from "./native-callbacks";
import { keepPrinting, originals as O, printKept, uncurry } from "./originals";
import { type GuardMarkers, MARKER_PREFIX } from "./protocol";

export const LOOP_LIMIT_MS = 3_000;
export const TOP_LEVEL_ITERATION_LIMIT = 2 ** 29;

/**
 * Filled in per load: whose code the markers name and their tag, or null when the launcher did not
 * ask for them. The tag is a secret (see README.md, "Secrets are module-scoped constants"): it is read
 * once here, before the app's code runs, into `WHO`, which only ever goes into the marker text printed
 * with the console.log kept before the app ran (a template literal calls nothing the app can hook).
 */
const MARKERS: GuardMarkers | null = __FACET_IDE_MARKERS__;
/** Whether `enter` prints anything (callers skip building its detail when it does not). */
export const MARKING = MARKERS !== null;
const WHO = MARKERS === null ? "" : `${MARKERS.tag} ${MARKERS.projectId} ${MARKERS.codeId}`;
/**
 * With beacons (beacon.ts), `enter` and `leave` write to this instead of printing; only a turn that
 * runs long prints its `enter` (after PRINT_AFTER_TICKS of the loop guard's calls), and then its
 * `leave`, so that a crash in it (a heap bomb) still finds its marker on the runtime's output.
 */
const BEACON: Beacon | null = MARKERS?.beacon ? makeBeacon(MARKERS.beacon, WHO) : null;
/** Loop guard calls in one turn before a turn with a beacon prints its `enter`. */
const PRINT_AFTER_TICKS = 64;
/**
 * Microtask hops before `leave`, so that short chains of continuations still count as running: with
 * printed markers each new `enter` is two more lines; with a beacon it is a few bytes, and every hop
 * (a queueMicrotask) costs more than marking the isolate running again, so one is enough.
 */
const LEAVE_AFTER_HOPS = BEACON === null ? 16 : 1;
/** What the current turn runs, for the line a long turn prints. */
let runningWhat = "";
let runningDetail = "";
let printedTurn = false;
let ticksAtEnter = 0;

const charCodeAt: (text: string, index: number) => number = uncurry(String.prototype.charCodeAt);
const slice: (text: string, start: number, end: number) => string = uncurry(String.prototype.slice);

/**
 * A marker's detail as one line of plain text (control characters as "?"), at most 200 characters.
 * Read character by character with the string methods kept before the app ran: the detail is often
 * the app's (a request's path), and a newline in it could forge a marker naming another project.
 */
function markerText(detail: unknown): string {
  let text: string;
  try {
    text = O.String(detail ?? "");
  } catch {
    return "?";
  }
  // biome-ignore lint/complexity/useMathMinMax: Math is the app's to replace
  const end = text.length < 200 ? text.length : 200;
  let out = "";
  let from = 0;
  for (let i = 0; i < end; i++) {
    const code = charCodeAt(text, i);
    if (code >= 0x20 && (code < 0x7f || code > 0x9f)) continue;
    out += `${slice(text, from, i)}?`;
    from = i + 1;
  }
  return out + slice(text, from, end);
}

let entered = !MARKING;
function leaveLater(): void {
  let hops = LEAVE_AFTER_HOPS;
  const hop = () => {
    if (--hops > 0) return O.queueMicrotask(hop);
    entered = false;
    if (BEACON === null) return printKept(`${MARKER_PREFIX} leave ${WHO}`);
    beaconIdle(BEACON);
    if (!printedTurn) return;
    printedTurn = false;
    printKept(`${MARKER_PREFIX} leave ${WHO}`);
  };
  O.queueMicrotask(hop);
}

/** Marks that this isolate starts running code: what started it (request, alarm, timer, ...) and a detail. */
export function enter(what: string, detail: unknown): void {
  if (!MARKING) return;
  const first = !entered;
  entered = true;
  if (BEACON === null) {
    printKept(`${MARKER_PREFIX} enter ${WHO} ${what} ${markerText(detail)}`);
  } else {
    runningWhat = what;
    runningDetail = typeof detail === "string" ? detail : "";
    beaconRunning(BEACON, runningWhat, runningDetail);
  }
  if (first) {
    ticksAtEnter = ticks;
    leaveLater();
  }
}

/** A turn with a beacon that ran long prints its `enter` after all (see BEACON). */
function printLongTurn(beacon: Beacon): void {
  const line = `${MARKER_PREFIX} enter ${WHO} ${runningWhat} ${markerText(runningDetail)}`;
  printedTurn = true;
  printKept(line);
  if (entered) return;
  // workerd's console.log can run the isolate's microtasks, and the hops that end the turn with them,
  // while the code that printed still runs: it is marked running again, its hops queued after the print.
  entered = true;
  beaconRunning(beacon, runningWhat, runningDetail);
  printedTurn = true;
  printKept(line);
  ticksAtEnter = ticks;
  leaveLater();
}

let ticks = 0;
let busySince = 0;
let tripped: string | null = null;
function cleared(): void {
  busySince = 0;
  tripped = null;
}

/** GUARD_CALL (protocol.ts): called at the top of every loop body and function of the app's code. */
export function __facetIdeLoop(site: string): void {
  if (!entered) enter("code", site);
  if (tripped !== null) throw new O.Error(tripped);
  if ((++ticks & 0x3f) !== 0) return;
  if (BEACON !== null && !printedTurn && ticks - ticksAtEnter >= PRINT_AFTER_TICKS) printLongTurn(BEACON);
  if ((ticks & 0x3fff) !== 0) return;
  const now = O.now();
  if (now === 0) {
    if (ticks > TOP_LEVEL_ITERATION_LIMIT) {
      tripped = `The ${site} ran over ${TOP_LEVEL_ITERATION_LIMIT} steps while the module was starting, so it was stopped.`;
      throw new O.Error(tripped);
    }
  } else if (busySince === 0) {
    busySince = now;
    O.setTimeout(cleared, 0);
  } else if (now - busySince > LOOP_LIMIT_MS) {
    tripped = `The ${site} ran for over ${LOOP_LIMIT_MS / 1000} s without yielding, so it was stopped to keep the runtime responsive.`;
    throw new O.Error(tripped);
  }
}

/** RESUME_CALL (protocol.ts): wraps a resumption after await or yield, where the isolate may be running again after a pause. */
export function __facetIdeResume<T>(value: T, site: string): T {
  if (!entered) enter("code", site);
  return value;
}

type Timer = (callback: unknown, ...rest: unknown[]) => unknown;

// Timers the app sets say so when they fire (the guard inside them would only say where).
function timed(real: (...args: never[]) => unknown, what: string): Timer {
  return (callback, ...rest) => {
    if (typeof callback !== "function") return O.apply(real, undefined, [callback, ...rest]);
    return O.apply(real, undefined, [
      function (this: unknown, ...args: unknown[]) {
        enter(what, "");
        return O.apply(callback, this, args);
      },
      ...rest,
    ]);
  };
}

// Promise callbacks and microtasks mark the isolate running when it was not marked already; listeners
// and a socket's handlers (listeners.ts) and the runtime's later callbacks (native-callbacks.ts) mark
// it each time they run.
/** A callback that runs as a microtask: marked when the isolate was not marked as running (after `leave`). */
function resumed(callback: unknown, what: string): unknown {
  if (typeof callback !== "function") return callback;
  return function (this: unknown, value: unknown) {
    if (!entered) enter("code", what);
    return O.apply(callback, this, [value]);
  };
}

if (MARKING) {
  keepPrinting();
  markNativeCallbacks(enter);
  markEventListeners(enter);
  const then = Promise.prototype.then;
  O.defineProperty(Promise.prototype, "then", {
    __proto__: null,
    value: function then_(this: unknown, fulfilled: unknown, rejected: unknown) {
      return O.apply(then, this, [resumed(fulfilled, "a promise callback"), resumed(rejected, "a promise callback")]);
    },
    writable: true,
    enumerable: false,
    configurable: true,
  } as PropertyDescriptor);
  O.defineProperty(globalThis, "queueMicrotask", {
    __proto__: null,
    value: (callback: unknown) => O.queueMicrotask(resumed(callback, "a queueMicrotask callback") as () => void),
    writable: true,
    configurable: true,
  } as PropertyDescriptor);
  O.defineProperty(globalThis, "setTimeout", {
    value: timed(O.setTimeout, "timer"),
    writable: true,
    configurable: true,
  });
  O.defineProperty(globalThis, "setInterval", {
    value: timed(O.setInterval, "interval"),
    writable: true,
    configurable: true,
  });
}
enter("startup", "");
