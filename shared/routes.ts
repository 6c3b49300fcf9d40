/**
 * Every route of the HTTP API in one table: method, path, what it takes and what it answers. The
 * server registers its handlers from it (server/api/routes.ts), the worker tests check every real
 * answer against it, and an API document or agent tool schemas can be generated from it
 * (`z.toJSONSchema` turns each schema into JSON Schema; paths use OpenAPI's `{param}` syntax).
 */
import type { z } from "zod";
import {
  CodeResponse,
  CreateProjectRequest,
  CreateProjectResponse,
  EnvResponse,
  EnvVarParams,
  HealthResponse,
  ProjectInfo,
  ProjectParams,
  PutCodeRequest,
  PutCodeResponse,
  SetEnvVarRequest,
  SqlRequest,
  TemplatesResponse,
  VersionParams,
  VersionsResponse,
} from "./api";
import { ClientMessage, ServerMessage } from "./protocol";
import { SqlResult } from "./sql";

export interface RouteSpec {
  method: "get" | "post" | "put" | "delete";
  /** Under the origin, with `{name}` for a path parameter. */
  path: string;
  summary: string;
  /** "project": needs the project's token (`Authorization: Bearer <token>`). */
  auth: "none" | "project";
  params?: z.ZodObject;
  /** The JSON request body. */
  body?: z.ZodType;
  /** An empty body stands for `{}`. */
  optionalBody?: boolean;
  /** The status of a successful answer. */
  status: 200 | 201 | 101;
  /** The JSON body of a successful answer; errors are `ErrorBody`. Null for a WebSocket upgrade. */
  response: z.ZodType | null;
  /** For a WebSocket: the messages each side sends. */
  messages?: { client: z.ZodType; server: z.ZodType };
}

export const routes = {
  health: {
    method: "get",
    path: "/api/health",
    summary: "Whether the runtime answers (the launcher polls it)",
    auth: "none",
    status: 200,
    response: HealthResponse,
  },
  listTemplates: {
    method: "get",
    path: "/api/templates",
    summary: "The templates a new project can start from",
    auth: "none",
    status: 200,
    response: TemplatesResponse,
  },
  createProject: {
    method: "post",
    path: "/api/projects",
    summary: "Creates a project and returns its token, which every other call needs",
    auth: "none",
    body: CreateProjectRequest,
    optionalBody: true,
    status: 201,
    response: CreateProjectResponse,
  },
  getProject: {
    method: "get",
    path: "/api/projects/{id}",
    summary: "The project's live version, preview URL and request counters",
    auth: "project",
    params: ProjectParams,
    status: 200,
    response: ProjectInfo,
  },
  getCode: {
    method: "get",
    path: "/api/projects/{id}/code",
    summary: "The live version's files",
    auth: "project",
    params: ProjectParams,
    status: 200,
    response: CodeResponse,
  },
  putCode: {
    method: "put",
    path: "/api/projects/{id}/code",
    summary: "Saves files as a new version and makes it live once it compiles and starts (422 otherwise)",
    auth: "project",
    params: ProjectParams,
    body: PutCodeRequest,
    status: 200,
    response: PutCodeResponse,
  },
  listVersions: {
    method: "get",
    path: "/api/projects/{id}/versions",
    summary: "Every saved version, newest first",
    auth: "project",
    params: ProjectParams,
    status: 200,
    response: VersionsResponse,
  },
  getVersion: {
    method: "get",
    path: "/api/projects/{id}/versions/{version}",
    summary: "One saved version's files",
    auth: "project",
    params: VersionParams,
    status: 200,
    response: CodeResponse,
  },
  runSql: {
    method: "post",
    path: "/api/projects/{id}/sql",
    summary: "Runs a SQL statement on the app's own database",
    auth: "project",
    params: ProjectParams,
    body: SqlRequest,
    status: 200,
    response: SqlResult,
  },
  listEnv: {
    method: "get",
    path: "/api/projects/{id}/env",
    summary: "The app's environment variables (secrets without their value)",
    auth: "project",
    params: ProjectParams,
    status: 200,
    response: EnvResponse,
  },
  setEnv: {
    method: "put",
    path: "/api/projects/{id}/env/{name}",
    summary: "Sets a variable or secret; the app restarts with it on its current version",
    auth: "project",
    params: EnvVarParams,
    body: SetEnvVarRequest,
    status: 200,
    response: EnvResponse,
  },
  deleteEnv: {
    method: "delete",
    path: "/api/projects/{id}/env/{name}",
    summary: "Deletes a variable; the app restarts without it",
    auth: "project",
    params: EnvVarParams,
    status: 200,
    response: EnvResponse,
  },
  terminal: {
    method: "get",
    path: "/api/projects/{id}/ws",
    summary: "The terminal WebSocket: the app's history and live logs, and the SQL console",
    auth: "project",
    params: ProjectParams,
    status: 101,
    response: null,
    messages: { client: ClientMessage, server: ServerMessage },
  },
} as const satisfies Record<string, RouteSpec>;

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
