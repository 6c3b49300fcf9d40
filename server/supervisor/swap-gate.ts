/**
 * Lets a swap happen between requests instead of through them.
 *
 * Aborting a facet rejects the requests in flight in it, and the runtime may replay such a request
 * after it already wrote (DESIGN.md). So a swap closes the gate, lets the requests already inside
 * finish (up to a deadline), swaps, and reopens: requests that arrive meanwhile wait at the gate and
 * then run on the new version. Every request therefore runs on exactly one version, and one that
 * starts after a save returned runs on the new one.
 */
export class SwapGate {
  #inFlight = 0;
  #closed: Promise<void> | null = null;
  #onIdle: (() => void) | null = null;

  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Enters as a request: waits while a swap is under way, then counts the request until the returned
   * release function is called (idempotent), which may be after the response body has streamed.
   */
  async enter(): Promise<() => void> {
    while (this.#closed) await this.#closed;
    this.#inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight--;
      if (this.#inFlight === 0) this.#onIdle?.();
    };
  }

  /** Runs `work` as a request that is over when it returns. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.enter();
    try {
      return await work();
    } finally {
      release();
    }
  }

  /**
   * Runs `swap` once no request is in flight, or once `deadlineMs` has passed (requests still in
   * flight then are cut off by the swap). Swaps are serialised.
   */
  async swap<T>(deadlineMs: number, swap: () => T | Promise<T>): Promise<{ result: T; cutOff: number }> {
    while (this.#closed) await this.#closed;
    let reopen = () => {};
    this.#closed = new Promise((resolve) => {
      reopen = resolve;
    });
    try {
      if (this.#inFlight > 0) {
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
      const cutOff = this.#inFlight;
      return { result: await swap(), cutOff };
    } finally {
      this.#onIdle = null;
      this.#closed = null;
      reopen();
    }
  }
}
