/**
 * The API's OpenAPI 3.1 description, generated from the route table (shared/http/routes.ts): each route's
 * path, method, summary, auth, parameters, body and answer, with JSON Schemas made by zod's
 * `z.toJSONSchema` from the same schemas the server validates with. Nothing in it is written by hand
 * but the prose below; a route added to the table appears here (a unit test checks every one does).
 */
import { z } from "zod";
import { AGENT_KEY_PREFIX, ErrorBody } from "../../shared/api";
import { type RouteName, type RouteSpec, routes } from "../../shared/http/routes";
import { DATA_FOLDER_ERROR, growsDataFolder } from "./data-folder-ceiling";

type JsonSchema = Record<string, unknown>;

/** JSON Schema (2020-12, the dialect OpenAPI 3.1 uses) of a request (`input`) or answer (`output`). */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

const ERROR_REF = { $ref: "#/components/schemas/ErrorBody" };

const AUTH_TEXT: Record<RouteSpec["auth"], string> = {
  none: "No credential.",
  project: "The project's token, or the agent key the project was created with.",
  key: "An agent key.",
  gated:
    "Open unless the server's operator set an access secret; then that secret. Where an agent key is accepted, the result belongs to the key.",
};

const CROSS_SITE_REFUSAL =
  "Refused before the route runs: a browser page on another origin sent it (fetch metadata or Origin say so), or a local server was reached under a host name that is not its own";

function errorResponses(name: RouteName, spec: RouteSpec): Record<string, unknown> {
  const errors: Record<number, string> = { 500: "Internal error" };
  if (growsDataFolder(name)) errors[507] = DATA_FOLDER_ERROR;
  if (spec.params || spec.query || spec.body) errors[400] = "Invalid request: the message and details.issues say what";
  if (spec.body) {
    errors[413] = "The body is over 1 MiB";
    errors[415] = "The body is not sent as application/json";
  }
  if (spec.auth === "project") {
    errors[401] = "No credential sent";
    errors[403] = "The credential does not open this project";
    errors[404] = "No such project";
  }
  if (spec.auth === "key") {
    errors[401] = "No agent key sent, or one not known here";
    errors[403] = "A project token was sent where an agent key is needed";
  }
  if (spec.auth === "gated") errors[401] = "The server requires its access secret (or an agent key) and got neither";
  Object.assign(errors, spec.errors);
  // Every route (shared/http/ide-requests.ts): browsers' requests from other sites' pages, and locally a
  // Host that is not this machine's, are refused before the route runs.
  errors[403] = [errors[403], CROSS_SITE_REFUSAL].filter(Boolean).join("; or ");
  return Object.fromEntries(
    Object.entries(errors).map(([status, description]) => [
      status,
      { description, content: { "application/json": { schema: ERROR_REF } } },
    ]),
  );
}

function parameters(spec: RouteSpec): unknown[] {
  const list: unknown[] = [];
  for (const [where, schema] of [
    ["path", spec.params],
    ["query", spec.query],
  ] as const) {
    if (!schema) continue;
    const json = jsonSchema(schema, "input");
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries((json.properties ?? {}) as Record<string, JsonSchema>)) {
      const { description, ...rest } = property;
      list.push({ name, in: where, required: where === "path" || required.has(name), schema: rest, description });
    }
  }
  return list;
}

function operation(name: RouteName, spec: RouteSpec): Record<string, unknown> {
  const success = spec.response
    ? { description: spec.summary, content: { "application/json": { schema: jsonSchema(spec.response, "output") } } }
    : spec.produces
      ? {
          description: `${spec.summary} (a file download)`,
          // A JSON download is a file of any JSON; the others are text.
          content: Object.fromEntries(
            spec.produces.map((type) => [type, { schema: /json/.test(type) ? {} : { type: "string" } }]),
          ),
        }
      : spec.events
        ? {
            description: `${spec.summary} (Server-Sent Events: each event's data is JSON, see x-events)`,
            content: { "text/event-stream": { schema: { type: "string" } } },
          }
        : { description: "Switching to the WebSocket protocol" };
  return {
    operationId: name,
    summary: spec.summary,
    description: AUTH_TEXT[spec.auth],
    security: spec.auth === "none" ? [] : spec.auth === "gated" ? [{}, { bearer: [] }] : [{ bearer: [] }],
    parameters: parameters(spec),
    ...(spec.body
      ? {
          requestBody: {
            required: spec.optionalBody !== true,
            content: { "application/json": { schema: jsonSchema(spec.body, "input") } },
          },
        }
      : {}),
    responses: { [spec.status]: success, ...errorResponses(name, spec) },
    ...(spec.events
      ? {
          "x-events": Object.fromEntries(
            Object.entries(spec.events).map(([event, schema]) => [event, jsonSchema(schema, "output")]),
          ),
        }
      : {}),
    ...(spec.messages
      ? {
          "x-websocket-messages": {
            client: jsonSchema(spec.messages.client, "input"),
            server: jsonSchema(spec.messages.server, "output"),
          },
        }
      : {}),
  };
}

/** The whole document, for a server at `origin`. */
export function openApiDocument(origin: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(routes) as [RouteName, RouteSpec][]) {
    paths[spec.path] ??= {};
    (paths[spec.path] as Record<string, unknown>)[spec.method] = operation(name, spec);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Facet IDE API",
      version: "1",
      description:
        "Create projects, save a Durable Object class `App` as a new live version, call the app, read its logs and query its database. Errors are `{error: {code, message, details?}}`. The same operations are MCP tools at /mcp.",
    },
    servers: [{ url: origin }],
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: `A project's token (from POST /api/projects), an agent key (from POST /api/keys, starting with '${AGENT_KEY_PREFIX}'), or the operator's access secret where a route is gated.`,
        },
      },
      schemas: { ErrorBody: jsonSchema(ErrorBody, "output") },
    },
    paths,
  };
}
