/**
 * Every route of the HTTP API in one table: method, path, what it takes and what it answers. The
 * server registers its handlers from it (server/api/routes.ts), the worker tests check every real
 * answer against it, and an API document or agent tool schemas can be generated from it
 * (`z.toJSONSchema` turns each schema into JSON Schema; paths use OpenAPI's `{param}` syntax).
 */
import { assistantRoutes } from "./assistant-routes";
import { dataRoutes } from "./data-routes";
import { metricsRoutes } from "./metrics-routes";
import { networkRoutes } from "./network-routes";
import { projectRoutes } from "./project-routes";
import { requestsRoutes } from "./requests-routes";
import type { RouteSpec, RouteTable } from "./route-spec";
import { timeTravelRoutes } from "./time-travel-routes";
import { typesRoutes } from "./types-routes";

export type { RouteSpec } from "./route-spec";

/** The table, assembled from its parts by duty (each part is a table of the same shape). */
export const routes = {
  ...projectRoutes,
  ...timeTravelRoutes,
  ...metricsRoutes,
  ...dataRoutes,
  ...networkRoutes,
  ...requestsRoutes,
  ...assistantRoutes,
  ...typesRoutes,
} as const satisfies RouteTable;

export type RouteName = keyof typeof routes;

/** The route a request's method and path name, with its path parameters; null when none does. */
export function matchRoute(
  method: string,
  pathname: string,
): { name: RouteName; params: Record<string, string> } | null {
  const segments = pathname.split("/");
  for (const [name, spec] of Object.entries(routes) as [RouteName, RouteSpec][]) {
    if (spec.method !== method.toLowerCase()) continue;
    const pattern = spec.path.split("/");
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((part, i) => {
      const segment = segments[i] ?? "";
      if (!part.startsWith("{")) return part === segment;
      params[part.slice(1, -1)] = decodeURIComponent(segment);
      return segment !== "";
    });
    if (matches) return { name, params };
  }
  return null;
}
