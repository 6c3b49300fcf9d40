/**
 * Request latencies kept as a small histogram per meter bucket, so p50 and p95 can be read for any
 * window (buckets merge by adding counts) without keeping every sample.
 *
 * Latencies are whole milliseconds (Date.now() differences). Below 10 ms each millisecond has its
 * own bin; above, bins grow by 2^(1/8) (about 9 %), so a percentile read back is within about 4.5 %
 * of the true value, and ten minutes fit in 140 bins. A bucket stores only the bins it uses.
 */

/** Bin index -> count, as stored (JSON object keys are strings). */
export type Histogram = Record<string, number>;

const EXACT_BELOW_MS = 10;
const BINS_PER_DOUBLING = 8;

export function binOf(ms: number): number {
  const value = Math.max(0, Math.round(ms));
  if (value < EXACT_BELOW_MS) return value;
  return EXACT_BELOW_MS + Math.floor(BINS_PER_DOUBLING * Math.log2(value / EXACT_BELOW_MS));
}

/** The value a bin stands for: itself below 10 ms, else the geometric middle of its bounds (to 0.1 ms). */
export function valueOfBin(bin: number): number {
  if (bin < EXACT_BELOW_MS) return bin;
  const k = bin - EXACT_BELOW_MS;
  return Math.round(10 * EXACT_BELOW_MS * 2 ** ((k + 0.5) / BINS_PER_DOUBLING)) / 10;
}

export function addSample(histogram: Histogram, ms: number): void {
  const key = String(binOf(ms));
  histogram[key] = (histogram[key] ?? 0) + 1;
}

export function mergeHistogram(into: Histogram, from: Histogram): void {
  for (const [key, count] of Object.entries(from)) into[key] = (into[key] ?? 0) + count;
}

/** The q-quantile (0 < q <= 1) of the samples, or null when there are none. */
export function quantile(histogram: Histogram, q: number): number | null {
  const bins = Object.entries(histogram)
    .map(([key, count]) => [Number(key), count] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = bins.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [bin, count] of bins) {
    seen += count;
    if (seen >= rank) return valueOfBin(bin);
  }
  return valueOfBin(bins[bins.length - 1]?.[0] ?? 0);
}
