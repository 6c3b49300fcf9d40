/**
 * The meter and the limits: what `GET/PUT /api/projects/:id/limits` and
 * `GET /api/projects/:id/metrics` take and answer, and the `meter` message the terminal socket
 * streams to the status bar. One schema each, shared by the server, the client and the route table.
 */
import { z } from "zod";
import { ObjectSelector } from "./objects";

/** Cloudflare's own ceiling for one Durable Object's SQLite database (10 GB). */
export const MAX_DATABASE_BYTES = 10_000_000_000;

/** Each limit's name, range and meaning; the API's errors and the IDE's form use the same words. */
export const LIMIT_RANGES = {
  requestsPerMinute: { min: 1, max: 1_000_000, what: "requests a minute to the app's origin (past it: 429)" },
  databaseBytes: {
    min: 65_536,
    max: MAX_DATABASE_BYTES,
    what: "bytes of the app's SQLite database (past it: writes fail)",
  },
  logLinesPerMinute: {
    min: 1,
    max: 1_000_000,
    what: "console lines a minute kept in the terminal (the rest are counted)",
  },
  cpuMs: { min: 1, max: 300_000, what: "CPU milliseconds per invocation, enforced once deployed" },
  subRequests: { min: 0, max: 10_000, what: "subrequests per invocation, enforced once deployed" },
  objects: {
    min: 1,
    max: 10_000,
    what: "Durable Objects a Worker project may have (past it: a new object's first call fails)",
  },
  socketMessagesPerSecond: {
    min: 1,
    max: 100_000,
    what: "WebSocket messages a second one visitor's socket delivers to the app (bursts of twice it; past it: dropped, the socket closed with 1008 after 100)",
  },
  projectSocketMessagesPerSecond: {
    min: 1,
    max: 1_000_000,
    what: "WebSocket messages a second all the app's sockets deliver to it (bursts of twice it; past it: dropped)",
  },
} as const;

export type LimitName = keyof typeof LIMIT_RANGES;
export const LIMIT_NAMES = Object.keys(LIMIT_RANGES) as LimitName[];

const limitValue = (name: LimitName) =>
  z
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(LIMIT_RANGES[name].min, `${name} is at least ${LIMIT_RANGES[name].min}`)
    .max(LIMIT_RANGES[name].max, `${name} is at most ${LIMIT_RANGES[name].max}`)
    .describe(LIMIT_RANGES[name].what);

/** A full set of limits: what a project runs with. */
export const Limits = z.object({
  requestsPerMinute: limitValue("requestsPerMinute"),
  databaseBytes: limitValue("databaseBytes"),
  logLinesPerMinute: limitValue("logLinesPerMinute"),
  cpuMs: limitValue("cpuMs"),
  subRequests: limitValue("subRequests"),
  objects: limitValue("objects"),
  socketMessagesPerSecond: limitValue("socketMessagesPerSecond"),
  projectSocketMessagesPerSecond: limitValue("projectSocketMessagesPerSecond"),
});
export type Limits = z.infer<typeof Limits>;

/**
 * `PUT /api/projects/:id/limits`: the limits to change. A number sets the project's own value, null
 * goes back to the global default, and a limit left out stays as it is.
 */
export const PutLimitsRequest = z.strictObject({
  requestsPerMinute: limitValue("requestsPerMinute").nullable().optional(),
  databaseBytes: limitValue("databaseBytes").nullable().optional(),
  logLinesPerMinute: limitValue("logLinesPerMinute").nullable().optional(),
  cpuMs: limitValue("cpuMs").nullable().optional(),
  subRequests: limitValue("subRequests").nullable().optional(),
  objects: limitValue("objects").nullable().optional(),
  socketMessagesPerSecond: limitValue("socketMessagesPerSecond").nullable().optional(),
  projectSocketMessagesPerSecond: limitValue("projectSocketMessagesPerSecond").nullable().optional(),
});
export type PutLimitsRequest = z.infer<typeof PutLimitsRequest>;

/** The global defaults as `DEFAULT_LIMITS` in wrangler.jsonc sets them: any subset of the limits. */
export const DefaultLimitsSetting = Limits.partial().strict();

export const LimitsResponse = z.object({
  /** What the project runs with now. */
  limits: Limits,
  /** The global defaults (wrangler.jsonc's DEFAULT_LIMITS over the built-in ones). */
  defaults: Limits,
  /** The limits this project sets itself; the others follow the defaults. */
  overrides: Limits.partial(),
});
export type LimitsResponse = z.infer<typeof LimitsResponse>;

export const MetricsWindow = z.enum(["1h", "24h", "30d"]);
export type MetricsWindow = z.infer<typeof MetricsWindow>;

/** Unknown query parameters (a cache buster, say) are ignored. */
export const MetricsQuery = z.object({
  window: MetricsWindow.default("1h").describe("1h and 24h: one point a minute; 30d: one point an hour"),
  object: ObjectSelector.optional().describe(
    "A Worker project's Durable Object (its ID, Class:name, or a name only one object has): that object's figures alone; left out, the whole project's",
  ),
});

/** Responses by status class. */
const ByStatus = z.object({
  "1xx": z.number(),
  "2xx": z.number(),
  "3xx": z.number(),
  "4xx": z.number(),
  "5xx": z.number(),
});

const counts = {
  /** Requests to the app's origin, answered by the app or by the supervisor (429s and errors included). */
  requests: z.number(),
  byStatus: ByStatus,
  /** Requests the rate limit answered with 429 (also in byStatus 4xx). */
  rateLimited: z.number(),
  /** 5xx answers. */
  errors: z.number(),
  /** Exceptions the app threw (in fetch, handlers, alarms, or uncaught). */
  exceptions: z.number(),
  wsIn: z.number(),
  wsOut: z.number(),
  alarms: z.number(),
  /** SQLite rows the app read and wrote (SQL, KV, the SQL console; Cloudflare's billing units). */
  rowsRead: z.number(),
  rowsWritten: z.number(),
  /** Writes refused because the database was at its size limit. */
  writesRefused: z.number(),
  /** Console lines the app logged, and how many of them the log limit did not keep. */
  logLines: z.number(),
  logLinesDropped: z.number(),
  /** New versions saved. */
  saves: z.number(),
  /** Outbound calls the app made through the network gateway (refused ones not counted). */
  subrequests: z.number(),
};

const column = z.array(z.number());
const gaugeColumn = z.array(z.number().nullable());

/**
 * The window's series, one column per figure and one entry per minute (per hour for 30d), oldest
 * first: `at[i]` is the start of the i-th bucket. Columns, not points, to keep a day of minutes small.
 */
export const MetricsSeries = z.object({
  at: column,
  requests: column,
  /** 5xx answers. */
  errors: column,
  rateLimited: column,
  exceptions: column,
  wsIn: column,
  wsOut: column,
  alarms: column,
  rowsRead: column,
  rowsWritten: column,
  writesRefused: column,
  logLines: column,
  logLinesDropped: column,
  /** Outbound calls through the network gateway. */
  subrequests: column,
  /** Latency to the response headers; null where no request finished in the bucket. */
  p50Ms: gaugeColumn,
  p95Ms: gaugeColumn,
  /** The database's size as last reported in or before the bucket; null before the first report. */
  databaseBytes: gaugeColumn,
  /** Disk held by the data snapshots (time travel), as last measured in or before the bucket. */
  snapshotBytes: gaugeColumn,
});
export type MetricsSeries = z.infer<typeof MetricsSeries>;

export const CostLine = z.object({
  item: z.string(),
  quantity: z.number(),
  unit: z.string(),
  /** The published price per `per` units. */
  price: z.number(),
  per: z.number(),
  usd: z.number(),
});
export type CostLine = z.infer<typeof CostLine>;

export const CostEstimate = z.object({
  currency: z.literal("USD"),
  /** The day the prices were read from Cloudflare's published pages. */
  pricesAsOf: z.string(),
  sources: z.array(z.string()),
  lines: z.array(CostLine),
  totalUsd: z.number(),
  notes: z.array(z.string()),
});
export type CostEstimate = z.infer<typeof CostEstimate>;

export const MetricsResponse = z.object({
  window: MetricsWindow,
  /**
   * The object these figures are of (Class:name); null for the whole project. An object's requests
   * are its calls (fetch, and RPC: 2xx, or 5xx when it threw); console lines, saves and snapshots are
   * counted for the project only.
   */
  object: z.string().nullable(),
  /** Length of one point of the series. */
  bucketMs: z.number(),
  from: z.number(),
  to: z.number(),
  totals: z.object({
    ...counts,
    p50Ms: z.number().nullable(),
    p95Ms: z.number().nullable(),
    /** The latest reported size, and the largest in the window. */
    databaseBytes: z.number().nullable(),
    databaseBytesMax: z.number().nullable(),
    /** Disk the data snapshots hold now. */
    snapshotBytes: z.number().nullable(),
  }),
  series: MetricsSeries,
  limits: Limits,
  cost: CostEstimate,
});
export type MetricsResponse = z.infer<typeof MetricsResponse>;

/** A limit the app is running into now, as the status bar and the terminal say it. */
export const LimitReached = z.object({
  limit: z.enum(LIMIT_NAMES as [LimitName, ...LimitName[]]),
  message: z.string(),
});
export type LimitReached = z.infer<typeof LimitReached>;

/** What the status bar shows, streamed on the terminal socket as it changes. */
export const MeterSnapshot = z.object({
  /** Requests, and 5xx answers, in the last 60 seconds. */
  requestsPerMinute: z.number(),
  errorsPerMinute: z.number(),
  databaseBytes: z.number().nullable(),
  limits: Limits,
  reached: z.array(LimitReached),
});
export type MeterSnapshot = z.infer<typeof MeterSnapshot>;
