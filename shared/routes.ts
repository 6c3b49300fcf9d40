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
  DiscardDraftResponse,
  DraftCodeRequest,
  DraftCodeResponse,
  DraftResponse,
  EnvResponse,
  EnvVarParams,
  ForkProjectRequest,
  HealthResponse,
  ImportProjectRequest,
  ImportProjectResponse,
  ProjectBundle,
  ProjectInfo,
  ProjectParams,
  PromoteDraftRequest,
  PromoteDraftResponse,
  PutCodeRequest,
  PutCodeResponse,
  RestoreRequest,
  RestoreResponse,
  SetEnvVarRequest,
  SetSnapshotSettingsRequest,
  SnapshotNowResponse,
  SnapshotsResponse,
  SqlRequest,
  TemplatesResponse,
  VersionParams,
  VersionsResponse,
} from "./api";
import { dataRoutes } from "./data-routes";
import { ClientMessage, ServerMessage } from "./protocol";
import { SqlResult } from "./sql";

export interface RouteSpec {
  method: "get" | "post" | "put" | "patch" | "delete";
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
    response: ProjectBundle,
    download: true,
  },
  importProject: {
    method: "post",
    path: "/api/projects/import",
    summary:
      "Creates a project from an exported bundle (code, variables, data); secretsToSet names secrets the bundle had no value for. Answers the new project's id and token",
    auth: "none",
    body: ImportProjectRequest,
    status: 201,
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
