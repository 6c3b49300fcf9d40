/**
 * The metrics API's answer for a window, from its buckets: the series, the totals, the storage held
 * over the window and what it would cost. Pure (tests/unit/server/supervisor/meter-math.test.ts).
 */
import type { Limits, MetricsResponse, MetricsWindow } from "../../../shared/metrics";
import { countsOf, emptyBucket, type MeterBucket, mergeBucket, seriesOf } from "./meter-buckets";
import { estimateCost } from "./pricing";

export interface ReportSpan {
  window: MetricsWindow;
  /** A point's length, how many points, the first one's start, and the end of the window. */
  step: number;
  count: number;
  from: number;
  now: number;
}

/**
 * `buckets`: by the start of their step; `sizeBefore`: the gauges' last values before `from`;
 * `object`: the object the figures are of (Class:name), priced as its share, or null for the project.
 */
export function metricsReport(
  { window, step, count, from, now }: ReportSpan,
  buckets: Map<number, MeterBucket>,
  sizeBefore: { databaseBytes: number | null; snapshotBytes: number | null },
  limits: Limits,
  object: string | null,
): MetricsResponse {
  const series = seriesOf(buckets, from, step, count, sizeBefore);
  const total = emptyBucket();
  for (const at of [...buckets.keys()].sort((a, b) => a - b)) mergeBucket(total, buckets.get(at) ?? emptyBucket());
  let storageByteMs = 0;
  let snapshotByteMs = 0;
  series.at.forEach((at, i) => {
    const span = Math.min(step, Math.max(0, now - at));
    storageByteMs += (series.databaseBytes[i] ?? 0) * span;
    snapshotByteMs += (series.snapshotBytes[i] ?? 0) * span;
  });
  const latestSize = series.databaseBytes.at(-1) ?? null;
  const { p50Ms, p95Ms, ...counts } = countsOf(total);
  return {
    window,
    object,
    bucketMs: step,
    from,
    to: now,
    totals: {
      ...counts,
      p50Ms,
      p95Ms,
      databaseBytes: latestSize,
      databaseBytesMax: total.databaseBytesMax ?? latestSize,
      snapshotBytes: series.snapshotBytes.at(-1) ?? null,
    },
    series,
    limits,
    cost: estimateCost({
      requests: total.requests,
      rateLimited: total.rateLimited,
      wsIn: total.wsIn,
      alarms: total.alarms,
      rowsRead: total.rowsRead,
      rowsWritten: total.rowsWritten,
      latencySumMs: total.latencySumMs,
      busyMs: total.busyMs,
      saves: total.saves,
      subrequests: total.subrequests,
      storageByteMs,
      snapshotByteMs,
      object: object !== null,
    }),
  };
}
