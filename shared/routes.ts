/**
 * Every route of the HTTP API in one table: method, path, what it takes and what it answers. The
 * server registers its handlers from it (server/api/routes.ts), the worker tests check every real
 * answer against it, and an API document or agent tool schemas can be generated from it
 * (`z.toJSONSchema` turns each schema into JSON Schema; paths use OpenAPI's `{param}` syntax).
 */
import { z } from "zod";
import {
  AppRequest,
  AppResponse,
  CodeResponse,
  CreateKeyResponse,
  CreateProjectRequest,
  CreateProjectResponse,
  EnvResponse,
  EnvVarParams,
  HealthResponse,
  LogsQuery,
  LogsResponse,
  ObjectParams,
  ProjectInfo,
  ProjectParams,
  ProjectsResponse,
  PutCodeRequest,
  PutCodeResponse,
  SetEnvVarRequest,
  SqlRequest,
  TemplatesResponse,
  VersionParams,
  VersionsResponse,
} from "./api";
import { dataRoutes } from "./data-routes";
import { LimitsResponse, MetricsQuery, MetricsResponse, PutLimitsRequest } from "./metrics";
import { DeleteObjectResponse, ObjectsResponse } from "./objects";
import { ClientMessage, ServerMessage } from "./protocol";
import { SqlResult } from "./sql";
import {
  DiscardDraftResponse,
  DraftCodeRequest,
  DraftCodeResponse,
  DraftResponse,
  ForkProjectRequest,
  ImportProjectRequest,
  ImportProjectResponse,
  ProjectBundle,
  PromoteDraftRequest,
  PromoteDraftResponse,
  RestoreRequest,
  RestoreResponse,
  SetSnapshotSettingsRequest,
  SnapshotNowResponse,
  SnapshotsResponse,
} from "./time-travel";

export interface RouteSpec {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Under the origin, with `{name}` for a path parameter. */
  path: string;
  summary: string;
  /**
   * Who may call it (`Authorization: Bearer <credential>`):
   * - "none": anyone;
   * - "project": the project's token, or the agent key it was created with;
   * - "key": an agent key;
   * - "gated": anyone while the server has no ACCESS_SECRET; once the operator sets one, that secret
   *   (or, where `keyOpens` says so, an agent key). An agent key sent to a gated route that takes
   *   one is used: a project created with it belongs to it.
   */
  auth: "none" | "project" | "key" | "gated";
  /** For a gated route: whether an agent key is let in too. */
  keyOpens?: boolean;
  params?: z.ZodObject;
  /** The query string's parameters. */
  query?: z.ZodObject;
  /** The JSON request body. */
  body?: z.ZodType;
  /** An empty body stands for `{}`. */
  optionalBody?: boolean;
  /** The status of a successful answer. */
  status: 200 | 201 | 101;
  /**
   * Failures particular to this route, by status (all routes may answer 500; the statuses of bad
   * input and of the auth kind are implied: 400, 413 and 415 for input, 401, 403 and 404 for a project).
   */
  errors?: Record<number, string>;
  /**
   * The JSON body of a successful answer; errors are `ErrorBody`. Null for a WebSocket upgrade and
   * for a download (`produces`).
   */
  response: z.ZodType | null;
  /** For a download: the media types it may answer with instead of JSON. */
  produces?: string[];
  /** For a WebSocket: the messages each side sends. */
  messages?: { client: z.ZodType; server: z.ZodType };
  /** Answered as a file to save (`Content-Disposition: attachment`). */
  download?: boolean;
}

/** The API description's own shape, as far as a client relies on it (the rest passes through). */
const OpenApiDocument = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

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
  openApi: {
    method: "get",
    path: "/api/openapi.json",
    summary: "This API's OpenAPI 3.1 description, generated from this table",
    auth: "none",
    status: 200,
    response: OpenApiDocument,
  },
  createKey: {
    method: "post",
    path: "/api/keys",
    summary:
      "Mints an agent key (shown once, stored as a hash). Projects created with the key belong to it, and the key opens all of them",
    auth: "gated",
    status: 201,
    response: CreateKeyResponse,
  },
  listProjects: {
    method: "get",
    path: "/api/projects",
    summary: "The projects created with the caller's agent key, newest first",
    auth: "key",
    status: 200,
    response: ProjectsResponse,
  },
  createProject: {
    method: "post",
    path: "/api/projects",
    summary:
      "Creates a project and returns its token, which opens it. Sent with an agent key, the project belongs to that key",
    auth: "gated",
    keyOpens: true,
    body: CreateProjectRequest,
    optionalBody: true,
    status: 201,
    errors: { 409: "A project with that name exists" },
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
    errors: {
      409: "baseVersion was given and another version went live since (details.liveVersion)",
      422: "The code does not compile or start (details.diagnostics); the live version keeps serving",
    },
    response: PutCodeResponse,
  },
  listVersions: {
    method: "get",
    path: "/api/projects/{id}/versions",
    summary:
      "Every saved version, newest first, with its data snapshot (`data.snapshot`, its bytes and time, or a note saying why there is none)",
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
  restoreVersion: {
    method: "post",
    path: "/api/projects/{id}/versions/{version}/restore",
    summary:
      "Makes a new version with that version's code; with data: true its data snapshot also replaces the app's database (today's data is snapshotted first: restore the version that was live, `undoWith`, with data to undo). Requests in flight finish first; the app's WebSockets close with 1012",
    auth: "project",
    params: VersionParams,
    body: RestoreRequest,
    status: 200,
    errors: {
      404: "No such version, or (with data) no snapshot of it",
      422: "The version's code no longer starts here (details.diagnostics)",
      501: "Data snapshots are off here (the message says why); restoring code alone goes on",
    },
    response: RestoreResponse,
  },
  getSnapshots: {
    method: "get",
    path: "/api/projects/{id}/snapshots",
    summary:
      "Data snapshot retention (newest maxVersions within maxBytes), what is kept, the live database's size and whether the next save will snapshot it (liveFits); enabled is false, with the reason, where the platform cannot copy databases",
    auth: "project",
    params: ProjectParams,
    status: 200,
    response: SnapshotsResponse,
  },
  setSnapshotSettings: {
    method: "put",
    path: "/api/projects/{id}/snapshots",
    summary:
      "Changes this project's snapshot retention (maxVersions 0 turns snapshots off); snapshots past the new limits are dropped, oldest first",
    auth: "project",
    params: ProjectParams,
    body: SetSnapshotSettingsRequest,
    status: 200,
    response: SnapshotsResponse,
  },
  takeSnapshot: {
    method: "post",
    path: "/api/projects/{id}/snapshots",
    summary:
      "Snapshots the live data now as the live version's snapshot (before a risky change to the data; restore the live version with data to go back)",
    auth: "project",
    params: ProjectParams,
    status: 200,
    errors: { 409: "The project has no version yet", 501: "Data snapshots are off here (the message says why)" },
    response: SnapshotNowResponse,
  },
  getDraft: {
    method: "get",
    path: "/api/projects/{id}/draft",
    summary: "The draft (code tried on a copy of the live data, served at its own previewUrl), or null",
    auth: "project",
    params: ProjectParams,
    status: 200,
    response: DraftResponse,
  },
  putDraftCode: {
    method: "put",
    path: "/api/projects/{id}/draft/code",
    summary:
      "Saves files into the draft and runs them there; the first draft save copies the live database into the draft, whose writes the live app never sees (422 when the code does not compile or start)",
    auth: "project",
    params: ProjectParams,
    body: DraftCodeRequest,
    status: 200,
    errors: {
      422: "The code does not compile or start (details.diagnostics)",
      501: "Drafts need data snapshots, which are off here (the message says why)",
    },
    response: DraftCodeResponse,
  },
  promoteDraft: {
    method: "post",
    path: "/api/projects/{id}/draft/promote",
    summary:
      'Makes the draft\'s code the next live version and ends the draft; data "live" keeps the live data (the new code runs on it), "draft" replaces it with the draft\'s (the live data is snapshotted first)',
    auth: "project",
    params: ProjectParams,
    body: PromoteDraftRequest,
    status: 200,
    errors: {
      404: "No draft",
      422: "The draft's code does not start as the live version",
      501: "Drafts are off here (the message says why)",
    },
    response: PromoteDraftResponse,
  },
  discardDraft: {
    method: "delete",
    path: "/api/projects/{id}/draft",
    summary: "Deletes the draft: its code, its copy of the data and its alarm; the live app is untouched",
    auth: "project",
    params: ProjectParams,
    status: 200,
    response: DiscardDraftResponse,
  },
  forkProject: {
    method: "post",
    path: "/api/projects/{id}/fork",
    summary:
      "Creates a new project with this one's live code, variables, secrets and a copy of its data; answers the new project's id and token",
    auth: "project",
    params: ProjectParams,
    body: ForkProjectRequest,
    optionalBody: true,
    status: 201,
    errors: {
      409: "A project with that name exists",
      413: "The data is too large to copy in one piece",
      422: "The code does not start in the copy",
    },
    response: CreateProjectResponse,
  },
  exportProject: {
    method: "get",
    path: "/api/projects/{id}/export",
    summary:
      "Downloads the project as one JSON bundle: live code, variables (secret values left out) and a dump of its data (schema, rows, storage.kv pairs), which POST /api/projects/import takes",
    auth: "project",
    params: ProjectParams,
    status: 200,
    errors: { 413: "The data is too large to carry in one piece" },
    response: ProjectBundle,
    download: true,
  },
  importProject: {
    method: "post",
    path: "/api/projects/import",
    summary:
      "Creates a project from an exported bundle (code, variables, data); secretsToSet names secrets the bundle had no value for. Answers the new project's id and token. Sent with an agent key, the project belongs to it",
    auth: "gated",
    keyOpens: true,
    body: ImportProjectRequest,
    status: 201,
    errors: {
      409: "A project with that name exists",
      413: "The bundle or its data is too large",
      422: "The bundle's code does not compile or start; no project is left behind",
    },
    response: ImportProjectResponse,
  },
  runSql: {
    method: "post",
    path: "/api/projects/{id}/sql",
    summary: "Runs a SQL statement on the app's own database (target \"draft\": on the draft's copy)",
    auth: "project",
    params: ProjectParams,
    body: SqlRequest,
    status: 200,
    errors: { 400: "SQLite refused the statement (its message)" },
    response: SqlResult,
  },
  readLogs: {
    method: "get",
    path: "/api/projects/{id}/logs",
    summary:
      "The project's log lines (requests, console output, exceptions, deploys): the latest ones, or those after a cursor",
    auth: "project",
    params: ProjectParams,
    query: LogsQuery,
    status: 200,
    response: LogsResponse,
  },
  requestApp: {
    method: "post",
    path: "/api/projects/{id}/request",
    summary:
      "Sends a request to the app and returns its answer (body cut at 64 KiB), the version that answered and the lines it logged",
    auth: "project",
    params: ProjectParams,
    body: AppRequest,
    status: 200,
    response: AppResponse,
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
    errors: { 404: "No variable of that name" },
    auth: "project",
    params: EnvVarParams,
    status: 200,
    response: EnvResponse,
  },
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
  terminal: {
    method: "get",
    path: "/api/projects/{id}/ws",
    summary: "The terminal WebSocket: the app's history and live logs, and the SQL console",
    errors: { 426: "Not a WebSocket upgrade" },
    auth: "project",
    params: ProjectParams,
    status: 101,
    response: null,
    messages: { client: ClientMessage, server: ServerMessage },
  },
  ...dataRoutes,
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
