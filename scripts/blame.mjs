/**
 * Who froze or crashed the runtime (launcher.mjs): the app whose activity marker says its code was
 * running, read off the beacons in workerd's memory (after a freeze, before workerd is stopped) or
 * off the markers printed on the runtime's output. A verdict on it goes on the desk (hung-marker.mjs),
 * which the next runtime records before that code can run again; when no app's code was running,
 * nobody is blamed.
 */
import { scanBeacons } from "./beacons.mjs";
import { handedOverLine, verdictFor } from "./hung-marker.mjs";

export class Blame {
  /** @type {import("./activity-markers.mjs").ActivityLog} */
  #activity;
  /** @type {import("./hung-marker.mjs").VerdictDesk} */
  #verdicts;
  #magic;
  #log;
  #dataDir;
  #drain;
  /** Whose code the beacons said was running when the runtime froze (read before workerd stops). */
  #byBeacons = null;

  /**
   * @param {{ activity: import("./activity-markers.mjs").ActivityLog, verdicts: import("./hung-marker.mjs").VerdictDesk,
   *   magic: Uint8Array, beacons: boolean, log: (line: string) => void, dataDir: string, drain: () => void }} options
   *   `beacons`: whether apps keep their markers in memory (beacons.mjs); `drain` reads what the
   *   runtime wrote so far.
   */
  constructor({ activity, verdicts, magic, beacons, log, dataDir, drain }) {
    this.#activity = activity;
    this.#verdicts = verdicts;
    this.#magic = magic;
    this.#log = log;
    this.#dataDir = dataDir;
    this.#drain = drain;
    /** Whether apps keep their markers in memory; false for good once a crash blamed nobody. */
    this.beacons = beacons;
  }

  /** A new runtime starts: what the last one's beacons said is no longer news. */
  reset() {
    this.#byBeacons = null;
  }

  /** Reads whose code holds workerd `pid`'s thread off the beacons in its memory, when apps keep them. */
  readBeacons(pid) {
    if (!this.beacons) return;
    const started = Date.now();
    try {
      const found = scanBeacons(pid, this.#magic);
      this.#byBeacons = this.#activity.runningByBeacons(found);
      this.#log(`read ${found.length} activity beacons in workerd's memory (${Date.now() - started} ms)`);
    } catch (error) {
      this.#log(`could not read workerd's memory for its activity beacons: ${error.message}`);
    }
  }

  /**
   * Blames the app whose code was running when workerd stopped, if one was (called while no runtime
   * runs, so none can ask before the verdict is there). True when apps must print their markers from
   * now on: a crash leaves no memory to read, and no printed marker explained this one.
   * @param {"froze" | "crashed"} how
   */
  blame(how) {
    // Everything the runtime wrote before it froze or died is in the pipe by now.
    this.#drain();
    const running = this.#byBeacons ?? this.#activity.running();
    this.#byBeacons = null;
    if (!running) {
      this.#log(
        `no app's code was running when the runtime ${how} (the IDE's own work?); nothing was marked${this.forgedNote()}`,
      );
      if (how === "crashed" && this.beacons) {
        this.beacons = false;
        return true;
      }
      return false;
    }
    const verdict = verdictFor(running, { how });
    try {
      this.#verdicts.add(verdict);
    } catch (error) {
      // Still on the desk in memory: only a launcher stopped before the runtime asks would lose it.
      this.#log(`could not keep the verdict on what ${how} the runtime in ${this.#dataDir}: ${error.message}`);
    }
    this.#log(`${handedOverLine(verdict)}${this.forgedNote()}`);
    return false;
  }

  /** Lines that looked like activity markers and were not (an app printing them): suspicious, ignored. */
  forgedNote() {
    return this.#activity.forged > 0
      ? ` (${this.#activity.forged} forged activity markers seen and ignored since the launcher started)`
      : "";
  }
}
