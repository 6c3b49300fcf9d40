/**
 * Reads the runtime's output for the activity markers apps print (server/app-runtime/guard.ts):
 * `\x1e[facet-ide] enter <project> <codeId> <what> <detail>` when an app's isolate starts running,
 * `\x1e[facet-ide] leave <project> <codeId>` once it has stopped. Marker lines are kept out of what
 * the terminal shows; everything else passes through unchanged.
 *
 * The runtime runs one isolate at a time and writes console output synchronously, so when it freezes
 * or crashes, the last marker it wrote says whose code was running: an `enter` names it, a `leave`
 * means no app's code was (the IDE's own, or code no marker saw), and then nobody is to blame. The
 * app's own console output cannot forge a marker: control characters in it, the marker's leading
 * \x1e included, are made visible before it is printed.
 */
import { MARKER_PREFIX } from "../shared/launcher-contract.mjs";

/** How a marker line starts: the apps' marker prefix and a space. */
export const MARKER_LINE_START = `${MARKER_PREFIX} `;

/**
 * @typedef {{ kind: "enter", projectId: string, codeId: string, what: string, detail: string, at: number }
 *   | { kind: "leave", projectId: string, codeId: string, at: number }} Marker
 */

/** Parses one marker line (without its line end), or returns null when it is not one. */
export function parseMarker(line, at = Date.now()) {
  if (!line.startsWith(MARKER_LINE_START)) return null;
  const [kind, projectId, codeId, what, ...detail] = line.slice(MARKER_LINE_START.length).split(" ");
  if (!projectId || !codeId) return null;
  if (kind === "leave") return { kind, projectId, codeId, at };
  if (kind === "enter" && what) return { kind, projectId, codeId, what, detail: detail.join(" ").trim(), at };
  return null;
}

/** Follows a stream of runtime output: remembers the last marker, hands on every other line. */
export class ActivityLog {
  /** @type {Marker | null} */
  last = null;
  #partial = "";
  #forward;

  /** @param {(text: string) => void} forward where output that is not a marker goes */
  constructor(forward) {
    this.#forward = forward;
  }

  /** Feeds a chunk of output (lines may be split across chunks). */
  feed(chunk) {
    const text = this.#partial + chunk;
    const lines = text.split("\n");
    this.#partial = lines.pop() ?? "";
    let out = "";
    for (const line of lines) {
      const marker = parseMarker(line.replace(/\r$/, ""));
      if (marker) this.last = marker;
      else out += `${line}\n`;
    }
    // A partial line that cannot become a marker is shown now (a prompt, a progress bar).
    if (
      this.#partial &&
      !MARKER_LINE_START.startsWith(this.#partial.slice(0, MARKER_LINE_START.length)) &&
      !this.#partial.startsWith(MARKER_LINE_START)
    ) {
      out += this.#partial;
      this.#partial = "";
    }
    if (out) this.#forward(out);
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
