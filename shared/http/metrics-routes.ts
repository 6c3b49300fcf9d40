/**
 * The route table's part for what a project uses and may use (routes.ts spreads it in): its limits,
 * its metered traffic, and a Worker project's Durable Objects.
 */
import { ObjectParams, ProjectParams } from "../api";
import { LimitsResponse, MetricsQuery, MetricsResponse, PutLimitsRequest } from "../metrics";
import { DeleteObjectResponse, ObjectsResponse } from "../objects";
import type { RouteTable } from "./route-spec";

export const metricsRoutes = {
  getLimits: {
    method: "get",
    path: "/api/projects/{id}/limits",
    summary:
      "The project's limits (requests a minute, database size, console lines a minute, and CPU ms and subrequests per invocation once deployed), the global defaults, and which of them the project sets itself",
    auth: "project",
    params: ProjectParams,
    status: 200,
    response: LimitsResponse,
  },
  putLimits: {
    method: "put",
    path: "/api/projects/{id}/limits",
    summary:
      "Changes the project's limits: a number sets one, null returns it to the global default, an omitted one stays; changing databaseBytes, cpuMs or subRequests restarts the app on its current version (data kept)",
    auth: "project",
    params: ProjectParams,
    body: PutLimitsRequest,
    status: 200,
    response: LimitsResponse,
  },
  getMetrics: {
    method: "get",
    path: "/api/projects/{id}/metrics",
    summary:
      "The app's metered traffic for the last hour, day or 30 days (?window=1h|24h|30d): totals, a series per minute (per hour for 30d) of requests by status, latency p50/p95, WebSocket messages, alarms, SQL rows read and written, database size and log lines, its limits, and what it would cost on Cloudflare at published prices; with ?object= (a Worker project), one Durable Object's share: its calls, exceptions, latency, WebSocket messages, alarms, rows and database",
    auth: "project",
    params: ProjectParams,
    query: MetricsQuery,
    status: 200,
    response: MetricsResponse,
  },
  listObjects: {
    method: "get",
    path: "/api/projects/{id}/objects",
    summary:
      "A Worker project's Durable Objects (its wrangler.jsonc binds their classes), most used first: ID, class, name, calls and errors, when each was made and last used, and its database's size; and the project's objects limit. An App project answers worker: false and no objects",
    auth: "project",
    params: ProjectParams,
    status: 200,
    response: ObjectsResponse,
  },
  deleteObject: {
    method: "delete",
    path: "/api/projects/{id}/objects/{object}",
    summary:
      "Deletes one of a Worker project's Durable Objects with its database and alarm (object: its ID, Class:name, or a name one object has); the next call to it makes it anew, empty. Requests in flight finish first",
    auth: "project",
    params: ObjectParams,
    status: 200,
    errors: { 404: "No such object" },
    response: DeleteObjectResponse,
  },
} as const satisfies RouteTable;
