/**
 * When the status bar hears from the meter: a `meter` message at most once a second while something
 * it shows changes, and again every few seconds while requests of the last minute fade out of its
 * count. Nothing is built or sent while no terminal listens (asking the runtime how many listen costs
 * an array, so "nobody" is remembered for a second).
 */
import type { MeterSnapshot } from "../../../shared/metrics";

const SNAPSHOT_AFTER_MS = 1_000;
/** While requests of the last minute fade out of the status bar's count, it is refreshed this often. */
const SNAPSHOT_DECAY_MS = 5_000;

export interface StatusFeedHooks {
  /** How many terminals listen. */
  listeners(): number;
  /** Sends a snapshot to every terminal. */
  broadcast(snapshot: MeterSnapshot): void;
  /** How things stand now. */
  snapshot(): MeterSnapshot;
}

export class StatusFeed {
  #hooks: StatusFeedHooks;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #due = 0;
  /** Until when no terminal was listening. */
  #nobodyUntil = 0;

  constructor(hooks: StatusFeedHooks) {
    this.#hooks = hooks;
  }

  /** Something the status bar shows changed: send a snapshot within a second, and keep it fresh while it fades. */
  changed(now = Date.now()): void {
    if (this.#timer !== null && this.#due <= now + SNAPSHOT_AFTER_MS) return;
    if (now < this.#nobodyUntil) return;
    if (this.#hooks.listeners() === 0) {
      this.#nobodyUntil = now + SNAPSHOT_AFTER_MS;
      return;
    }
    this.#schedule(SNAPSHOT_AFTER_MS, now);
  }

  #schedule(delay: number, now = Date.now()): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#due = now + delay;
    this.#timer = setTimeout(() => this.#send(), delay);
  }

  #send(): void {
    this.#timer = null;
    if (this.#hooks.listeners() === 0) return;
    const snapshot = this.#hooks.snapshot();
    this.#hooks.broadcast(snapshot);
    if (snapshot.requestsPerMinute > 0 || snapshot.reached.length > 0) this.#schedule(SNAPSHOT_DECAY_MS);
  }
}
