/**
 * The supervisor's side of two limits, and how it tells the terminal about them without flooding it:
 * - RequestRate: requests a minute to the app's origin, as a token bucket (a burst of up to the
 *   limit, then the limit a minute sustained); a refused request learns when the next would pass.
 * - LogBudget: console lines a minute, counted per clock minute; lines past it are counted, not kept.
 * - LimitNotice: a limit's terminal lines, at most one now and one summary per interval.
 * Time comes in as an argument so the unit tests can drive it.
 */

export class RequestRate {
  #tokens: number | null = null;
  #at = 0;

  /** Takes one request; null if it may pass, else the seconds until one would (Retry-After). */
  take(perMinute: number, now: number): number | null {
    const perMs = perMinute / 60_000;
    const tokens = Math.min(perMinute, (this.#tokens ?? perMinute) + (now - this.#at) * perMs);
    this.#at = now;
    if (tokens >= 1) {
      this.#tokens = tokens - 1;
      return null;
    }
    this.#tokens = tokens;
    return Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
  }
}

export class LogBudget {
  #minute = -1;
  #used = 0;

  /** How many of `lines` new console lines fit in this clock minute; the rest are dropped. */
  admit(lines: number, perMinute: number, now: number): number {
    const minute = Math.floor(now / 60_000);
    if (minute !== this.#minute) {
      this.#minute = minute;
      this.#used = 0;
    }
    const kept = Math.max(0, Math.min(lines, perMinute - this.#used));
    this.#used += kept;
    return kept;
  }
}

/**
 * The terminal lines of one limit: the first time it is hit, a line at once; while it keeps being
 * hit, one summary per interval with how many times; then quiet until the next first time.
 */
export class LimitNotice {
  #intervalMs: number;
  #say: (message: string) => void;
  #pending = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #summary: ((count: number) => string) | null = null;
  #since = 0;

  constructor(intervalMs: number, say: (message: string) => void) {
    this.#intervalMs = intervalMs;
    this.#say = say;
  }

  /** Whether the limit was hit within the last interval (the status bar shows it then). */
  get active(): boolean {
    return this.#timer !== null;
  }

  get since(): number {
    return this.#since;
  }

  hit(count: number, first: () => string, summary: (count: number) => string, now = Date.now()): void {
    this.#summary = summary;
    if (this.#timer === null) {
      this.#since = now;
      this.#say(first());
      this.#pending = Math.max(0, count - 1);
      this.#arm();
      return;
    }
    this.#pending += count;
  }

  #arm(): void {
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#pending === 0) return;
      this.#say(this.#summary?.(this.#pending) ?? `${this.#pending} more`);
      this.#pending = 0;
      this.#arm();
    }, this.#intervalMs);
  }
}
