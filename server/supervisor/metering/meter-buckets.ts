/**
 * One meter bucket (a minute, or an hour once rolled up): what the supervisor counted for the app in
 * it, how buckets add up, and how one becomes a point of the API's series. Pure, so the arithmetic is
 * tested on its own (tests/unit/server/meter-buckets.test.ts).
 */
import { z } from "zod";
import type { MetricsSeries } from "../../../shared/metrics";
import { type Histogram, mergeHistogram, quantile } from "./latency-histogram";

const count = z.number().int().min(0).catch(0);

/** A bucket as stored (JSON in the supervisor's SQLite); a field an older row lacks reads as 0. */
export const MeterBucket = z.object({
  requests: count,
  /** Responses by status class: 1xx .. 5xx. */
  status: z.tuple([count, count, count, count, count]).catch([0, 0, 0, 0, 0]),
  rateLimited: count,
  exceptions: count,
  latency: z.record(z.string(), z.number()).catch({}),
  /** Sum of the requests' latencies: the CPU estimate's upper bound. */
  latencySumMs: count,
  wsIn: count,
  wsOut: count,
  alarms: count,
  rowsRead: count,
  rowsWritten: count,
  writesRefused: count,
  logLines: count,
  logLinesDropped: count,
  saves: count,
  /** Outbound calls the app made through the network gateway (network/outbound.ts). */
  subrequests: count,
  /** Time with at least one request (or console query, or alarm) inside the app: the duration estimate. */
  busyMs: count,
  /** The database's size as last reported in the bucket, and the largest reported. */
  databaseBytes: z.number().nullable().catch(null),
  databaseBytesMax: z.number().nullable().catch(null),
  /** Disk held by the data snapshots (time travel), as last measured in the bucket. */
  snapshotBytes: z.number().nullable().catch(null),
});
export type MeterBucket = z.infer<typeof MeterBucket>;

export function emptyBucket(): MeterBucket {
  return {
    requests: 0,
    status: [0, 0, 0, 0, 0],
    rateLimited: 0,
    exceptions: 0,
    latency: {},
    latencySumMs: 0,
    wsIn: 0,
    wsOut: 0,
    alarms: 0,
    rowsRead: 0,
    rowsWritten: 0,
    writesRefused: 0,
    logLines: 0,
    logLinesDropped: 0,
    saves: 0,
    subrequests: 0,
    busyMs: 0,
    databaseBytes: null,
    databaseBytesMax: null,
    snapshotBytes: null,
  };
}

/** The counts a bucket keeps that the series shows too. */
const SHOWN = [
  "requests",
  "rateLimited",
  "exceptions",
  "wsIn",
  "wsOut",
  "alarms",
  "rowsRead",
  "rowsWritten",
  "writesRefused",
  "logLines",
  "logLinesDropped",
  "subrequests",
] as const satisfies readonly (keyof MeterBucket)[];
const SUMMED = [...SHOWN, "saves", "latencySumMs", "busyMs"] as const;

/** Adds `later` (a bucket after `into` in time, or the same one) into `into`. */
export function mergeBucket(into: MeterBucket, later: MeterBucket): void {
  for (const key of SUMMED) into[key] += later[key];
  for (let i = 0; i < 5; i++) into.status[i] = (into.status[i] ?? 0) + (later.status[i] ?? 0);
  mergeHistogram(into.latency, later.latency);
  if (later.databaseBytes !== null) into.databaseBytes = later.databaseBytes;
  if (later.snapshotBytes !== null) into.snapshotBytes = later.snapshotBytes;
  if (later.databaseBytesMax !== null) {
    into.databaseBytesMax = Math.max(into.databaseBytesMax ?? 0, later.databaseBytesMax);
  }
}

export function parseBucket(json: string): MeterBucket {
  try {
    const parsed = MeterBucket.safeParse(JSON.parse(json));
    if (parsed.success) return parsed.data;
  } catch {
    // A row that is not JSON reads as empty: the meter is a record, not something to fail over.
  }
  return emptyBucket();
}

/** Counts of a bucket as the API's points and totals name them. */
export function countsOf(bucket: MeterBucket) {
  const [s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0] = bucket.status;
  return {
    requests: bucket.requests,
    byStatus: { "1xx": s1, "2xx": s2, "3xx": s3, "4xx": s4, "5xx": s5 },
    rateLimited: bucket.rateLimited,
    errors: s5,
    exceptions: bucket.exceptions,
    wsIn: bucket.wsIn,
    wsOut: bucket.wsOut,
    alarms: bucket.alarms,
    rowsRead: bucket.rowsRead,
    rowsWritten: bucket.rowsWritten,
    writesRefused: bucket.writesRefused,
    logLines: bucket.logLines,
    logLinesDropped: bucket.logLinesDropped,
    saves: bucket.saves,
    subrequests: bucket.subrequests,
    p50Ms: quantile(bucket.latency, 0.5),
    p95Ms: quantile(bucket.latency, 0.95),
  };
}

/**
 * The series for `[from, from + count * step)`: one entry per step, zero where nothing was counted,
 * and the sizes carried forward from the last bucket that reported them (`sizeBefore`: the last ones
 * reported before `from`).
 */
export function seriesOf(
  buckets: Map<number, MeterBucket>,
  from: number,
  step: number,
  count: number,
  sizeBefore: { databaseBytes: number | null; snapshotBytes: number | null },
): MetricsSeries {
  const series: MetricsSeries = {
    at: [],
    requests: [],
    errors: [],
    rateLimited: [],
    exceptions: [],
    wsIn: [],
    wsOut: [],
    alarms: [],
    rowsRead: [],
    rowsWritten: [],
    writesRefused: [],
    logLines: [],
    logLinesDropped: [],
    subrequests: [],
    p50Ms: [],
    p95Ms: [],
    databaseBytes: [],
    snapshotBytes: [],
  };
  let size = sizeBefore.databaseBytes;
  let snapshots = sizeBefore.snapshotBytes;
  for (let i = 0; i < count; i++) {
    const at = from + i * step;
    const bucket = buckets.get(at) ?? emptyBucket();
    if (bucket.databaseBytes !== null) size = bucket.databaseBytes;
    if (bucket.snapshotBytes !== null) snapshots = bucket.snapshotBytes;
    const counts = countsOf(bucket);
    series.at.push(at);
    for (const key of COLUMNS) series[key].push(counts[key]);
    series.p50Ms.push(counts.p50Ms);
    series.p95Ms.push(counts.p95Ms);
    series.databaseBytes.push(size);
    series.snapshotBytes.push(snapshots);
  }
  return series;
}

const COLUMNS = ["errors", ...SHOWN] as const;

/** The status class index (0 for 1xx .. 4 for 5xx) of an HTTP status; null for none. */
export function statusClass(status: number | null): number | null {
  if (status === null || !Number.isFinite(status)) return null;
  const index = Math.floor(status / 100) - 1;
  return index >= 0 && index <= 4 ? index : null;
}

export type { Histogram };
