/**
 * What an app's metered traffic and storage would cost on Cloudflare, at the list prices published
 * on the pages below (read on PRICES_AS_OF; docs/metrics-and-limits.md repeats them). An estimate of marginal cost:
 * the Workers Paid plan's included usage and its $5 monthly minimum are left out, since they are
 * shared by everything on an account.
 */
import type { CostEstimate, CostLine } from "../../../shared/metrics";

export const PRICES_AS_OF = "2026-11-28";
export const PRICE_SOURCES = [
  "https://developers.cloudflare.com/workers/platform/pricing/",
  "https://developers.cloudflare.com/durable-objects/platform/pricing/",
  "https://developers.cloudflare.com/dynamic-workers/pricing/",
];

/** USD per `per` units, Workers Paid (Standard) plan. */
export const PRICES = {
  workersRequests: { price: 0.3, per: 1_000_000 },
  cpuMs: { price: 0.02, per: 1_000_000 },
  durableObjectRequests: { price: 0.15, per: 1_000_000 },
  durationGbSeconds: { price: 12.5, per: 1_000_000 },
  rowsRead: { price: 0.001, per: 1_000_000 },
  rowsWritten: { price: 1.0, per: 1_000_000 },
  storageGbMonths: { price: 0.2, per: 1 },
  dynamicWorkers: { price: 0.002, per: 1 },
  // Cloudflare bills no subrequest and no egress; the line shows the count and that it costs nothing.
  subrequests: { price: 0, per: 1_000_000 },
} as const;

/** Incoming WebSocket messages are billed as Durable Object requests at 20 to 1. */
const WS_MESSAGES_PER_REQUEST = 20;
/** Duration is billed for the object's 128 MB, whatever it uses. */
const DURATION_GB = 0.128;
const GB = 1_000_000_000;
/** A billing month: 730 hours. */
const MONTH_MS = 730 * 3_600_000;

export interface MeteredUsage {
  requests: number;
  rateLimited: number;
  wsIn: number;
  alarms: number;
  rowsRead: number;
  rowsWritten: number;
  latencySumMs: number;
  busyMs: number;
  saves: number;
  /** Outbound calls through the network gateway. */
  subrequests?: number;
  /** The database's size integrated over the window (byte-milliseconds). */
  storageByteMs: number;
  /** The same for the data snapshots (time travel): clones of the database, stored beside it. */
  snapshotByteMs: number;
  /**
   * One object of a Worker project: its calls are Durable Object requests the Worker makes (the
   * Worker's own requests and its versions are the project's), and its duration is its calls' time.
   */
  object?: boolean;
}

export function estimateCost(usage: MeteredUsage): CostEstimate {
  const line = (item: string, quantity: number, unit: string, price: { price: number; per: number }): CostLine => ({
    item,
    quantity: Number(quantity.toPrecision(12)),
    unit,
    price: price.price,
    per: price.per,
    usd: round((quantity / price.per) * price.price, 6),
  });
  const object = usage.object === true;
  const appInvocations = object ? 0 : Math.max(0, usage.requests - usage.rateLimited) + usage.alarms;
  const busyMs = object ? usage.latencySumMs : usage.busyMs;
  const lines = [
    line("Workers requests", object ? 0 : usage.requests, "requests", PRICES.workersRequests),
    line(
      "Durable Object requests",
      usage.requests + usage.alarms + usage.wsIn / WS_MESSAGES_PER_REQUEST,
      "requests",
      PRICES.durableObjectRequests,
    ),
    line("Durable Object duration", (busyMs / 1000) * DURATION_GB, "GB-s", PRICES.durationGbSeconds),
    line("Dynamic Worker requests", appInvocations, "requests", PRICES.workersRequests),
    line("CPU time (at most)", usage.latencySumMs, "ms", PRICES.cpuMs),
    line("SQLite rows read", usage.rowsRead, "rows", PRICES.rowsRead),
    line("SQLite rows written", usage.rowsWritten, "rows", PRICES.rowsWritten),
    line("SQLite storage", usage.storageByteMs / GB / MONTH_MS, "GB-months", PRICES.storageGbMonths),
    line("Snapshot storage", usage.snapshotByteMs / GB / MONTH_MS, "GB-months", PRICES.storageGbMonths),
    line("Dynamic Workers created", object ? 0 : usage.saves, "workers", PRICES.dynamicWorkers),
    line("Outbound subrequests", object ? 0 : (usage.subrequests ?? 0), "subrequests", PRICES.subrequests),
  ];
  return {
    currency: "USD",
    pricesAsOf: PRICES_AS_OF,
    sources: PRICE_SOURCES,
    lines,
    totalUsd: round(
      lines.reduce((sum, l) => sum + l.usd, 0),
      6,
    ),
    notes: [
      ...(object
        ? [
            "One Durable Object's share: its calls (fetch and RPC) are Durable Object requests, its duration is its calls' time; the Worker's requests, its CPU and the versions saved are in the project's figures.",
          ]
        : []),
      "List prices for usage past the Workers Paid plan's monthly inclusions (10 M Workers requests, 30 M CPU ms, 1 M Durable Object requests, 400,000 GB-s, 25 B rows read, 50 M rows written, 5 GB-months stored); the plan's $5 monthly minimum is not included.",
      "CPU time: local workerd measures none, so this is the requests' wall time, an upper bound.",
      "Duration: 128 MB for the time at least one request, console query or alarm was inside the app.",
      "Incoming WebSocket messages count as Durable Object requests at 20 to 1; setAlarm() counts as a row written.",
      "Snapshots are clones of the database kept in the project's storage, priced as stored SQLite data (Cloudflare does not document facet clones yet).",
      "Dynamic Workers: one per saved version; Cloudflare publishes this price but does not bill it yet.",
      "Outbound subrequests (the app's fetch() calls through the network gateway) are not billed, nor is egress; the time a request waits on one counts in its duration.",
    ],
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
