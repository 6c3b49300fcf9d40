/**
 * The status bar's "requests a minute": counts of the last 60 seconds in a slot a second, in memory
 * (the meter's buckets are per clock minute, so they cannot say what the last 60 s held).
 */
export class LastMinute {
  #second = new Array<number>(60).fill(-1);
  #requests = new Array<number>(60).fill(0);
  #errors = new Array<number>(60).fill(0);

  add(now: number, requests: number, errors: number): void {
    const second = Math.floor(now / 1000);
    const slot = second % 60;
    if (this.#second[slot] !== second) {
      this.#second[slot] = second;
      this.#requests[slot] = 0;
      this.#errors[slot] = 0;
    }
    this.#requests[slot] = (this.#requests[slot] ?? 0) + requests;
    this.#errors[slot] = (this.#errors[slot] ?? 0) + errors;
  }

  totals(now: number): { requests: number; errors: number } {
    const second = Math.floor(now / 1000);
    let requests = 0;
    let errors = 0;
    for (let slot = 0; slot < 60; slot++) {
      if ((this.#second[slot] ?? -1) > second - 60) {
        requests += this.#requests[slot] ?? 0;
        errors += this.#errors[slot] ?? 0;
      }
    }
    return { requests, errors };
  }
}
