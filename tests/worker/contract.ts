/**
 * Checks a real answer of the API against the route table (shared/routes.ts): a success must have
 * the route's status and a body its response schema describes completely (a field the schema does
 * not name fails too), and an error must be an `ErrorBody`. Every call of the worker tests goes
 * through it (helpers.ts), so a route that drifts from its schema fails the suite.
 */
import type { z } from "zod";
import { ErrorBody } from "../../shared/api";
import { matchRoute, type RouteSpec, routes } from "../../shared/routes";

/** What is wrong with an answer, or null when the contract describes it. */
export function contractProblem(method: string, pathname: string, status: number, body: unknown): string | null {
  const matched = matchRoute(method, pathname);
  const spec: RouteSpec | null = matched ? routes[matched.name] : null;
  const where = `${method} ${pathname} (${matched?.name ?? "no route"}) answered ${status}`;
  if (status < 400 && spec) {
    if (status !== spec.status) return `${where}; the route table says ${spec.status}`;
    if (!spec.response) return null;
    return describes(spec.response, body, where);
  }
  if (status >= 400) return describes(ErrorBody, body, where);
  return `${where}, but no route of the table matches it`;
}

/** Why `schema` does not describe `body` completely (prefixed with `where`), or null when it does. */
export function describes(schema: z.ZodType, body: unknown, where: string): string | null {
  const parsed = schema.safeParse(body);
  if (!parsed.success) return `${where} with a body its schema rejects: ${parsed.error.message}`;
  // Parsing drops keys a schema does not name: what it kept must be all there was.
  const extra = firstDifference(body, parsed.data, "");
  return extra === null ? null : `${where} with ${extra}, which its schema does not describe`;
}

function firstDifference(actual: unknown, described: unknown, path: string): string | null {
  if (Array.isArray(actual) && Array.isArray(described)) {
    for (let i = 0; i < actual.length; i++) {
      const found = firstDifference(actual[i], described[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (isObject(actual) && isObject(described)) {
    for (const [key, value] of Object.entries(actual)) {
      if (!(key in described)) return `the field ${path ? `${path}.` : ""}${key}`;
      const found = firstDifference(value, described[key], path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
