/**
 * Bounds on the WebSocket messages a visitor's sockets deliver to the app's code, enforced here in
 * the app's isolate where each message enters it (app-class.ts's webSocketMessage for the hibernation
 * API, logs.ts's accept() for sockets the app accepted itself), with the built-ins kept before the
 * app ran. A visitor needs no token to open an app's socket; 20,000 messages sent at once, each run by
 * the app's handler, held the runtime every project shares for seconds.
 *
 * Per socket, a bucket of SOCKET_BURST messages refilled at SOCKET_PER_S; per project (this isolate),
 * one of PROJECT_BURST refilled at PROJECT_PER_S. A message past either is dropped unread (the app's
 * code never sees it) and counted; a socket with SOCKET_DROPS_BEFORE_CLOSE drops is closed with 1008
 * (policy violation), as the terminal's sockets are (console/terminal-sockets.ts). The terminal says
 * so in one line at most every NOTICE_EVERY_MS, with the count dropped since the last.
 */
import { originals as O } from "../originals";

// The project's limits socketMessagesPerSecond and projectSocketMessagesPerSecond (set by meter.ts
// from the loader's bindings before the app's code runs; these are the built-in defaults).
let SOCKET_BURST = 200;
let SOCKET_PER_S = 100;
let PROJECT_BURST = 2_000;
let PROJECT_PER_S = 1_000;
export const SOCKET_DROPS_BEFORE_CLOSE = 100;
const NOTICE_EVERY_MS = 10_000;
const POLICY_VIOLATION = 1008;

interface Bucket {
  tokens: number;
  at: number;
  dropped: number;
}

const sockets = new O.WeakMap<object, Bucket>();
const weakGet = O.WeakMap.prototype.get;
const weakSet = O.WeakMap.prototype.set;
const project: Bucket = { tokens: PROJECT_BURST, at: 0, dropped: 0 };
let unreported = 0;
let closedUnreported = 0;
let toldAt = -Infinity;
let say: ((message: string) => void) | null = null;

/** The project's bounds, a second (bursts of twice as many); a value that is not a positive number keeps the default. */
export function setSocketBounds(perSocket: number, perProject: number): void {
  if (perSocket >= 1) {
    SOCKET_PER_S = perSocket;
    SOCKET_BURST = 2 * perSocket;
  }
  if (perProject >= 1) {
    PROJECT_PER_S = perProject;
    PROJECT_BURST = 2 * perProject;
    project.tokens = PROJECT_BURST;
  }
}

/** Where the notice goes (logs.ts hands its line writer, so the runtime's notice is not the app's console). */
export function noticeTo(write: (message: string) => void): void {
  say = write;
}

function take(bucket: Bucket, burst: number, perS: number, now: number): boolean {
  const refilled = bucket.tokens + ((now - bucket.at) * perS) / 1000;
  // Not Math.min: the app may replace it, and this runs after the app's code did.
  // biome-ignore lint/complexity/useMathMinMax: Math.min is the app's to replace
  bucket.tokens = refilled < burst ? refilled : burst;
  bucket.at = now;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

/**
 * Whether a message that arrived on `socket` may reach the app's code. False: drop it unread (it is
 * counted, and the socket closed past SOCKET_DROPS_BEFORE_CLOSE drops).
 */
export function admitMessage(socket: unknown): boolean {
  const now = O.now();
  if (socket === null || typeof socket !== "object") return take(project, PROJECT_BURST, PROJECT_PER_S, now);
  let bucket = O.apply(weakGet, sockets, [socket]) as Bucket | undefined;
  if (bucket === undefined) {
    bucket = { tokens: SOCKET_BURST, at: now, dropped: 0 };
    O.apply(weakSet, sockets, [socket, bucket]);
  }
  if (take(bucket, SOCKET_BURST, SOCKET_PER_S, now) && take(project, PROJECT_BURST, PROJECT_PER_S, now)) return true;
  bucket.dropped++;
  unreported++;
  if (bucket.dropped === SOCKET_DROPS_BEFORE_CLOSE) {
    closedUnreported++;
    try {
      O.apply(O.webSocketClose, socket, [POLICY_VIOLATION, "too many messages"]);
    } catch {}
  }
  if (now - toldAt >= NOTICE_EVERY_MS) {
    toldAt = now;
    const closed = closedUnreported > 0 ? `; ${closedUnreported} socket(s) closed with 1008` : "";
    say?.(
      `${unreported} WebSocket message(s) dropped before the app's code saw them: a socket may deliver ${SOCKET_PER_S} a second (bursts of ${SOCKET_BURST}), the project ${PROJECT_PER_S} (bursts of ${PROJECT_BURST})${closed}`,
    );
    unreported = 0;
    closedUnreported = 0;
  }
  return false;
}
