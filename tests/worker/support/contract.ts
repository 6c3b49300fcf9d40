/**
 * Checks a real answer of the API against the route table (shared/http/routes.ts): a success must have
 * the route's status and a body its response schema describes completely (a field the schema does
 * not name fails too), and an error must be an `ErrorBody`. The same answer must also be one the
 * OpenAPI document (GET /api/openapi.json) lists for that operation, and its body must pass that
 * document's JSON Schema. Every call of the worker tests goes through it (helpers.ts), so a route
 * that drifts from its schema, or a description that drifts from the routes, fails the suite.
 */
import { Validator } from "@cfworker/json-schema";
import type { z } from "zod";
import { openApiDocument } from "../../../server/api/openapi";
import { ErrorBody } from "../../../shared/api";
import { matchRoute, type RouteName, type RouteSpec, routes } from "../../../shared/http/routes";

/** What is wrong with an answer, or null when the contract describes it. */
export function contractProblem(method: string, pathname: string, status: number, body: unknown): string | null {
  const matched = matchRoute(method, pathname);
  const spec: RouteSpec | null = matched ? routes[matched.name] : null;
  const where = `${method} ${pathname} (${matched?.name ?? "no route"}) answered ${status}`;
  if (matched && spec) {
    const described = openApiProblem(matched.name, spec, status, body);
    if (described) return `${where}, but the OpenAPI document ${described}`;
  }
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

type JsonSchema = Record<string, unknown>;
const document = openApiDocument("http://localhost:5173");
const validators = new Map<string, Validator>();

/** What the OpenAPI document says against this answer, or null when it lists it and its schema passes. */
export function openApiProblem(name: RouteName, spec: RouteSpec, status: number, body: unknown): string | null {
  const operation = (document.paths[spec.path] as Record<string, { operationId: string; responses: JsonSchema }>)?.[
    spec.method
  ];
  if (operation?.operationId !== name) return `has no operation ${name} at ${spec.method} ${spec.path}`;
  const response = operation.responses[String(status)] as
    | { content?: { "application/json": { schema: JsonSchema } } }
    | undefined;
  if (!response) return `lists no ${status} answer for ${name}`;
  // A download (CSV, SQL, a JSON file) is a file, not an API answer: its listed status is the check.
  if (spec.produces && status < 400) return null;
  let schema = response.content?.["application/json"].schema;
  if (!schema) return body === undefined ? null : `describes no body for ${name}'s ${status}`;
  if (schema.$ref === "#/components/schemas/ErrorBody") schema = document.components.schemas.ErrorBody as JsonSchema;
  const key = `${name} ${status}`;
  let validator = validators.get(key);
  if (!validator) {
    validator = new Validator(schema as never, "2020-12", false);
    validators.set(key, validator);
  }
  // As it travels: JSON has no undefined.
  const result = validator.validate(body === undefined ? body : JSON.parse(JSON.stringify(body)));
  if (result.valid) return null;
  return `rejects ${name}'s ${status} body: ${result.errors
    .slice(0, 3)
    .map((e) => `${e.instanceLocation} ${e.error}`)
    .join("; ")}`;
}
