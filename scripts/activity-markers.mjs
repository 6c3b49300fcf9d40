/**
 * Reads the runtime's output for the activity markers apps print (server/app-runtime/guard.ts):
 * `\x1e[facet-ide] enter <tag> <project> <codeId> <what> <detail>` when an app's isolate starts
 * running, `\x1e[facet-ide] leave <tag> <project> <codeId>` once it has stopped. Verified marker lines
 * are kept out of what the terminal shows; every other line is shown with its control characters
 * made visible (hostTerminalText), here, outside every app's isolate.
 *
 * The runtime runs one isolate at a time and writes console output synchronously, so when it freezes
 * or crashes, the last marker it wrote says whose code was running: an `enter` names it, a `leave`
 * means no app's code was (the IDE's own, or code no marker saw), and then nobody is to blame.
 *
 * Only a marker whose tag is the HMAC of its project and code ID under this launch's key counts
 * (shared/launcher-contract.mjs): the supervisor derives the tag for each load and the guard keeps it
 * where the app cannot read it. An app can print any line (it can hook the built-ins its console
 * output goes through, or print through a console method nobody wrapped), but not another project's
 * tag: a line that looks like a marker and does not verify is ignored, counted as forged, and shown
 * like any other output. An app can at most blame itself.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import {
  hostTerminalText,
  isMarkerKey,
  MARKER_PREFIX,
  MARKER_TAG_LENGTH,
  markerTagMessage,
  printable,
} from "../shared/launcher-contract.mjs";

/** Verified markers' project and code remembered at most (each load prints its own). */
const MAX_VERIFIED = 4096;

/** How a marker line starts: the apps' marker prefix and a space. */
export const MARKER_LINE_START = `${MARKER_PREFIX} `;

/**
 * @typedef {{ kind: "enter", tag: string, projectId: string, codeId: string, what: string, detail: string, at: number }
 *   | { kind: "leave", tag: string, projectId: string, codeId: string, at: number }} Marker
 */

/** Parses one marker line (without its line end), or returns null when it is not one (its tag unchecked). */
export function parseMarker(line, at = Date.now()) {
  if (!line.startsWith(MARKER_LINE_START)) return null;
  const [kind, tag, projectId, codeId, what, ...detail] = line.slice(MARKER_LINE_START.length).split(" ");
  if (!tag || !projectId || !codeId) return null;
  if (kind === "leave") return { kind, tag, projectId, codeId, at };
  if (kind === "enter" && what) return { kind, tag, projectId, codeId, what, detail: detail.join(" ").trim(), at };
  return null;
}

/** The tag of `projectId`'s code `codeId` under `key` (the launcher's side of markerTag). */
export function expectedTag(key, projectId, codeId) {
  return createHmac("sha256", Buffer.from(key, "hex"))
    .update(markerTagMessage(projectId, codeId))
    .digest("hex")
    .slice(0, MARKER_TAG_LENGTH);
}

/** Whether `marker`'s tag is the one `key` gives its project and code. */
export function verifiedMarker(marker, key) {
  if (!isMarkerKey(key) || marker.tag.length !== MARKER_TAG_LENGTH) return false;
  return timingSafeEqual(Buffer.from(marker.tag), Buffer.from(expectedTag(key, marker.projectId, marker.codeId)));
}

/** Follows a stream of runtime output: remembers the last verified marker, shows every other line made safe. */
export class ActivityLog {
  /** @type {Marker | null} */
  last = null;
  /** Lines that looked like markers and did not verify, since the launcher started. */
  forged = 0;
  #partial = "";
  #forward;
  #key;
  /**
   * The project and code of markers already verified, so that each load's tag is checked once and not
   * on every request (only verified ones are kept: forged lines cannot grow it past the loads seen).
   * @type {Set<string>}
   */
  #verified = new Set();

  /**
   * @param {(text: string) => void} forward where output that is not a marker goes
   * @param {string} key this launch's marker key (the runtime's FACET_IDE_ACTIVITY_MARKERS)
   */
  constructor(forward, key) {
    this.#forward = forward;
    this.#key = key;
  }

  /** Feeds a chunk of output (lines may be split across chunks). */
  feed(chunk) {
    const text = this.#partial + chunk;
    const lines = text.split("\n");
    this.#partial = lines.pop() ?? "";
    let out = "";
    for (const raw of lines) {
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      const marker = parseMarker(line);
      if (marker && this.#verify(marker)) {
        this.last = marker;
        continue;
      }
      if (line.startsWith(MARKER_LINE_START)) this.forged++;
      out += `${hostTerminalText(line)}\n`;
    }
    // A partial line that cannot become a marker is shown now (a prompt, a progress bar).
    if (
      this.#partial &&
      !MARKER_LINE_START.startsWith(this.#partial.slice(0, MARKER_LINE_START.length)) &&
      !this.#partial.startsWith(MARKER_LINE_START)
    ) {
      // A CR that may be the first half of a CRLF waits for the next chunk.
      const held = this.#partial.endsWith("\r") ? "\r" : "";
      out += hostTerminalText(held ? this.#partial.slice(0, -1) : this.#partial);
      this.#partial = held;
    }
    if (out) this.#forward(out);
  }

  #verify(marker) {
    const seen = `${marker.tag} ${marker.projectId} ${marker.codeId}`;
    if (this.#verified.has(seen)) return true;
    if (!verifiedMarker(marker, this.#key)) return false;
    if (this.#verified.size >= MAX_VERIFIED) this.#verified.clear();
    this.#verified.add(seen);
    return true;
  }

  /**
   * The app whose code was running by the beacons read from the frozen runtime's memory
   * (scripts/beacons.mjs): the one verified beacon that says running, or null when none does or when
   * more than one code does (an isolate that died in the middle of a turn leaves its beacon behind:
   * then nobody can be told apart, and nobody is blamed). Beacons that do not verify count as forged.
   * @param {{ running: boolean, text: string }[]} beacons
   */
  runningByBeacons(beacons, at = Date.now()) {
    /** @type {Map<string, Marker>} */
    const running = new Map();
    for (const beacon of beacons) {
      if (!beacon.running) continue;
      // A beacon's text as a marker line's: control characters as "?".
      const marker = parseMarker(`${MARKER_LINE_START}enter ${printable(beacon.text)}`, at);
      if (marker?.kind !== "enter") continue;
      if (!this.#verify(marker)) {
        this.forged++;
        continue;
      }
      running.set(`${marker.projectId} ${marker.codeId}`, marker);
    }
    return running.size === 1 ? [...running.values()][0] : null;
  }

  /** The app whose code was running when the output stopped, or null when none was. */
  running() {
    return this.last?.kind === "enter" ? this.last : null;
  }

  /** A new runtime starts with nobody running. */
  reset() {
    this.last = null;
    this.#partial = "";
  }
}
