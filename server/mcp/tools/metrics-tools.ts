import { routeTool, type ToolSpec } from "./tool-spec";

export const metricsTools: ToolSpec[] = [
  routeTool("get_metrics", "getMetrics", {
    title: "Read the app's metrics and cost",
    description:
      "What the app did and cost over the last hour, day or 30 days (window '1h', '24h' or '30d'): totals and a series of requests by status class, exceptions, latency p50/p95, WebSocket messages, alarm runs, SQL rows read and written, database size and log lines, the limits in force, and an estimate of what it would cost on Cloudflare at the published prices (dated). A Worker project's figures add all its Durable Objects up; with object (as list_objects names it) they are that object's alone, over the same window: its calls (fetch and RPC), exceptions, latency, WebSocket messages, alarms, rows read and written and database size.",
    readOnly: true,
  }),
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
