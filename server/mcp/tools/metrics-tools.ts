import { z } from "zod";
import { MetricsQuery, MetricsResponse, type MetricsSeries } from "../../../shared/metrics";
import { success } from "../../outcome";
import { input, routeTool, str, type ToolSpec, toolResult } from "./tool-spec";

/** Buckets `get_metrics` shows without `series`: the latest minutes (hours for 30d). */
export const RECENT_BUCKETS = 5;

/** One bucket of the series: its start and the figures that were not zero (or unknown) in it. */
export type Bucket = { at: number } & Partial<Record<Exclude<keyof MetricsSeries, "at">, number>>;

/**
 * The window's answer without its series: totals, limits and cost, and the last `count` buckets
 * with what happened in them. A day of minutes is 1440 points a figure, too much for an agent's
 * context; `series: true` answers them all.
 */
export function metricsSummary(metrics: MetricsResponse, count = RECENT_BUCKETS) {
  const { series, ...rest } = metrics;
  const start = Math.max(0, series.at.length - count);
  const recent: Bucket[] = series.at.slice(start).map((at, i) => {
    const bucket: Bucket = { at };
    for (const [name, column] of Object.entries(series) as [keyof MetricsSeries, (number | null)[]][]) {
      const value = column[start + i];
      if (name !== "at" && value !== null && value !== undefined && value !== 0) bucket[name] = value;
    }
    return bucket;
  });
  return { ...rest, recent };
}

const Recent = z
  .array(z.looseObject({ at: z.number() }))
  .describe("The last buckets, oldest first: their start (at) and the figures that were not 0 in them");

export const metricsTools: ToolSpec[] = [
  {
    name: "get_metrics",
    title: "Read the app's metrics and cost",
    description:
      "What the app did and cost over the last hour, day or 30 days (window '1h', '24h', '30d'): totals (requests by status class, 429s, exceptions, latency p50/p95, WebSocket messages, alarms, SQL rows read and written, database size, log lines), the limits in force, an estimate of its cost on Cloudflare at published prices, and the last few minutes (hours for 30d) in `recent`. series: true adds every point of the window, one a minute (an hour for 30d). With object (as list_objects names it): that Durable Object's figures alone.",
    routes: ["getMetrics"],
    input: input({
      ...MetricsQuery.shape,
      series: z.boolean().optional().describe("Every point of the window too (large: 1440 a figure for 24h)"),
    }),
    output: MetricsResponse.omit({ series: true }).extend({
      series: MetricsResponse.shape.series.optional(),
      recent: Recent.optional(),
    }),
    answerOptions: ["series"],
    readOnly: true,
    async run(args, invoke) {
      const query = Object.fromEntries(
        (["window", "object"] as const).flatMap((k) => (args[k] === undefined ? [] : [[k, args[k]]])),
      );
      const outcome = await invoke("getMetrics", { params: { id: str(args.project) }, query });
      if (!outcome.ok || args.series === true) return toolResult(outcome);
      return toolResult(success(metricsSummary(MetricsResponse.parse(outcome.value))));
    },
  },
  routeTool("get_limits", "getLimits", {
    title: "Read the app's limits",
    description:
      "The limits the supervisor holds the app to: requests a minute (past it: 429), database bytes (past it writes fail with DatabaseSizeLimitError, reads keep working), console lines a minute, and CPU ms and subrequests per invocation once deployed; which ones the project sets and the global defaults.",
    readOnly: true,
  }),
  routeTool("set_limits", "putLimits", {
    title: "Change the app's limits",
    description:
      "Changes the project's limits: a number sets one, null returns it to the global default, an omitted one stays. Changing databaseBytes, cpuMs or subRequests restarts the app on its current version (data kept).",
    readOnly: false,
  }),
];
