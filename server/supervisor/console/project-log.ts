/**
 * The project's log as lines are written to it: numbered and kept in the ring (log-ring.ts), and
 * sent at once to every terminal (terminals.ts). `write` takes lines as they are; the app's lines
 * pass the log limit and get their hints first (`record` in ProjectSupervisor), while the
 * supervisor's own notices (metering's, the snapshots') are written as they come.
 */
import type { LogEntry, NewLogEntry } from "../../../shared/logs";
import type { LogRing } from "./log-ring";
import type { Terminals } from "./terminals";

export class ProjectLog {
  #ring: LogRing;
  #terminals: Terminals;

  constructor(ring: LogRing, terminals: Terminals) {
    this.#ring = ring;
    this.#terminals = terminals;
  }

  /** Keeps `entries` and sends them to the terminals; hands back what it kept (numbered). */
  write(entries: NewLogEntry[]): LogEntry[] {
    const stored = this.#ring.append(entries);
    this.#terminals.broadcast(stored);
    return stored;
  }
}
