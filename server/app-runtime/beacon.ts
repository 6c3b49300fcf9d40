/**
 * The activity beacon: the guard's marker kept in memory instead of printed (guard.ts, when the
 * launcher asked for beacons; shared/launcher-contract.mjs has the layout and why).
 *
 * Printing a marker each time an isolate starts and stops running costs every request a few lines
 * through workerd's console; writing a byte and a short text into an ArrayBuffer costs next to
 * nothing. The launcher reads workerd's memory only when the runtime froze (scripts/beacons.mjs):
 * the one beacon whose state byte says running names the code that holds the thread.
 *
 * The buffer is an ArrayBuffer of its own, so its bytes live outside V8's heap and never move; the
 * magic that lets the launcher find it is derived from the launch's key and, like the marker's tag,
 * only ever written here, where the app's code cannot read it.
 */
import { uncurry } from "./originals";
import { BEACON_BYTES, BEACON_MAGIC_BYTES } from "./protocol";

const STATE_AT = BEACON_MAGIC_BYTES;
const TEXT_AT = BEACON_MAGIC_BYTES + 1;

const encoder = new TextEncoder();
const encodeInto: (encoder: TextEncoder, text: string, into: Uint8Array) => { read: number; written: number } = uncurry(
  TextEncoder.prototype.encodeInto,
);
const parseHex = Number.parseInt;
const hexSlice: (text: string, start: number, end: number) => string = uncurry(String.prototype.slice);
const Bytes = Uint8Array;
const Buffer_ = ArrayBuffer;

/** One isolate's beacon: its bytes, and where the text of what it runs goes (after `who`). */
export interface Beacon {
  readonly bytes: Uint8Array;
  /** The bytes after `who`, where `running` writes what runs (one byte short of the end, for the zero). */
  readonly activity: Uint8Array;
  readonly activityAt: number;
}

/**
 * A beacon for `who` (`<tag> <project> <code>`) under `magicHex` (BEACON_MAGIC_BYTES bytes in hex),
 * idle. Throws if `who` leaves no room for what runs.
 */
export function makeBeacon(magicHex: string, who: string): Beacon {
  const bytes = new Bytes(new Buffer_(BEACON_BYTES));
  for (let i = 0; i < BEACON_MAGIC_BYTES; i++) bytes[i] = parseHex(hexSlice(magicHex, 2 * i, 2 * i + 2), 16);
  const { written } = encodeInto(encoder, `${who} `, bytes.subarray(TEXT_AT, BEACON_BYTES - 1));
  const activityAt = TEXT_AT + written;
  if (activityAt >= BEACON_BYTES - 32) throw new Error("an activity beacon's name leaves no room for what runs");
  return { bytes, activity: bytes.subarray(activityAt, BEACON_BYTES - 1), activityAt };
}

/** Says the isolate runs `what` (`detail` as far as it fits): written before the code runs. */
export function beaconRunning(beacon: Beacon, what: string, detail: string): void {
  const { written } = encodeInto(encoder, `${what} ${detail}`, beacon.activity);
  beacon.bytes[beacon.activityAt + written] = 0;
  beacon.bytes[STATE_AT] = 1;
}

/** Says the isolate runs nothing now. */
export function beaconIdle(beacon: Beacon): void {
  beacon.bytes[STATE_AT] = 0;
}
