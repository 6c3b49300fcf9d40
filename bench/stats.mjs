// Small statistics helpers: every figure is a median with its p95.

/** @param {number[]} values @param {number} q in [0, 1] */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * @typedef {{ median: number, p95: number, min: number, max: number, n: number }} Summary
 * @param {number[]} values
 * @returns {Summary}
 */
export function summarize(values) {
  return {
    median: round(quantile(values, 0.5)),
    p95: round(quantile(values, 0.95)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
    n: values.length,
  };
}

export const round = (x, digits = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);

/** Milliseconds since an arbitrary origin, sub-millisecond. */
export const now = () => performance.now();

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
