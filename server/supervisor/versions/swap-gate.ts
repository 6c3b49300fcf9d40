/**
 * Lets a swap happen between requests instead of through them.
 *
 * Aborting a facet rejects the requests in flight in it, and the runtime may replay such a request
 * after it already wrote (docs/platform.md, "Hot swap"). So a swap closes the gate, lets the requests already inside
 * finish (up to a deadline), swaps, and reopens: requests that arrive meanwhile wait at the gate and
 * then run on the new version. Every request therefore runs on exactly one version, and one that
 * starts after a save returned runs on the new one. What is still inside at the deadline is handed
 * to the swap, which cuts it off and says so (the messages for that, and the deadline's setting, are
 * here too).
 */

/** How long a swap waits for requests in flight unless wrangler.jsonc sets SWAP_DRAIN_DEADLINE_MS. */
export const DEFAULT_DRAIN_DEADLINE_MS = 5_000;
const MAX_DRAIN_DEADLINE_MS = 60_000;

/** One request (or other work) inside the gate. */
export interface GatePass {
  /** What the work is, for the line that reports it cut off ("GET /events"). */
  readonly label: string;
  readonly since: number;
  /** Where the work is, set by its holder as it goes ("response body still streaming"). */
  stage: string;
  /** Set by the holder: ends the work visibly when a swap cuts it off (errors the client's body, say). */
  onCut: ((reason: Error) => void) | null;
  /** Leaves the gate (idempotent); may come after the response body has streamed. */
  release(): void;
}

export class SwapGate {
  #inside = new Set<GatePass>();
  #closed: Promise<void> | null = null;
  #onIdle: (() => void) | null = null;
  /** Told when the first work enters and when the last leaves (the meter's duration estimate). */
  onBusyChange: ((busy: boolean) => void) | null = null;

  get inFlight(): number {
    return this.#inside.size;
  }

  /** Enters as a request: waits while a swap is under way, then counts the work until it is released. */
  async enter(label: string): Promise<GatePass> {
    while (this.#closed) await this.#closed;
    return this.enterNested(label);
  }

  /**
   * Enters without waiting: for work that a request already inside is waiting for (a Durable Object
   * its Worker calls). A swap that is draining waits for it too; had it waited at the gate, the swap
   * would have waited for the request and the request for the swap, until the deadline.
   */
  enterNested(label: string): GatePass {
    const pass: GatePass = {
      label,
      since: Date.now(),
      stage: "running",
      onCut: null,
      release: () => {
        if (!this.#inside.delete(pass)) return;
        if (this.#inside.size === 0) {
          this.onBusyChange?.(false);
          this.#onIdle?.();
        }
      },
    };
    if (this.#inside.size === 0) this.onBusyChange?.(true);
    this.#inside.add(pass);
    return pass;
  }

  /** Runs `work` as a request that is over when it returns. */
  async run<T>(label: string, work: () => Promise<T>): Promise<T> {
    const pass = await this.enter(label);
    try {
      return await work();
    } finally {
      pass.release();
    }
  }

  /**
   * Runs `swap` once nothing is in flight, or once `deadlineMs` has passed; then `swap` gets what is
   * still inside, to cut off. Swaps are serialised.
   */
  async swap<T>(
    deadlineMs: number,
    swap: (cutOff: GatePass[]) => T | Promise<T>,
  ): Promise<{ result: T; cutOff: GatePass[] }> {
    while (this.#closed) await this.#closed;
    let reopen = () => {};
    this.#closed = new Promise((resolve) => {
      reopen = resolve;
    });
    try {
      if (this.#inside.size > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          new Promise<void>((resolve) => {
            this.#onIdle = resolve;
          }),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, deadlineMs);
          }),
        ]);
        if (timer !== undefined) clearTimeout(timer);
      }
      const cutOff = [...this.#inside];
      return { result: await swap(cutOff), cutOff };
    } finally {
      this.#onIdle = null;
      this.#closed = null;
      reopen();
    }
  }
}

/** At most this many cut-off requests are named in the terminal line; the rest are counted. */
const CUT_OFF_NAMED = 5;

/** The terminal's line for what a swap cut off: which requests, where each was, and why. */
export function cutOffMessage(cutOff: GatePass[], deadlineMs: number, reason: string): string {
  const now = Date.now();
  const named = cutOff
    .slice(0, CUT_OFF_NAMED)
    .map((pass) => `${pass.label} (${pass.stage}, ${seconds(now - pass.since)})`);
  const more = cutOff.length > CUT_OFF_NAMED ? ` and ${cutOff.length - CUT_OFF_NAMED} more` : "";
  const what = cutOff.length === 1 ? "1 request was" : `${cutOff.length} requests were`;
  return `${what} still running after the ${seconds(deadlineMs)} drain deadline and cut off: ${named.join(", ")}${more}. Why: ${reason}`;
}

/** What the client of a cut-off request is told (its body's error, or a 503's text). */
export function cutOffError(pass: GatePass, deadlineMs: number, reason: string): Error {
  return new Error(
    `${pass.label} was cut off: ${reason} while it was still running after the drain deadline (${seconds(deadlineMs)})`,
  );
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * SWAP_DRAIN_DEADLINE_MS from wrangler.jsonc: how long a swap waits for requests in flight. A value
 * that is not a number of milliseconds up to a minute is reported and the default used.
 */
export function drainDeadlineMs(configured: unknown): number {
  const value =
    typeof configured === "number"
      ? configured
      : typeof configured === "string" && configured.trim()
        ? Number(configured)
        : Number.NaN;
  if (Number.isFinite(value) && value >= 0 && value <= MAX_DRAIN_DEADLINE_MS) return value;
  if (configured !== undefined) {
    console.error(
      `SWAP_DRAIN_DEADLINE_MS must be a number of milliseconds from 0 to ${MAX_DRAIN_DEADLINE_MS}; got ${JSON.stringify(configured)}, so ${DEFAULT_DRAIN_DEADLINE_MS} is used`,
    );
  }
  return DEFAULT_DRAIN_DEADLINE_MS;
}
