/**
 * The IDE's HTTP client for /api. Every response is parsed with its route's schema from the route
 * table (shared/routes.ts) before the UI sees it, so a server that drifts from the contract fails
 * loudly here instead of deep inside a component.
 */
import type { z } from "zod";
import {
  type CreateProjectRequest,
  type Diagnostic,
  ErrorBody,
  type PutCodeRequest,
  type SetEnvVarRequest,
  type SqlRequest,
} from "../../shared/api";
import type { MetricsWindow, PutLimitsRequest } from "../../shared/metrics";
import { routes } from "../../shared/routes";
import type {
  DraftCodeRequest,
  ForkProjectRequest,
  ImportProjectRequest,
  SetSnapshotSettingsRequest,
} from "../../shared/time-travel";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly diagnostics: Diagnostic[] = [],
    /** On a 409 conflict: the version that is live now. */
    readonly liveVersion: number | null = null,
    /** On a Data view edit's sql_error: the column SQLite's message names. */
    readonly column?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export async function request<T>(
  schema: z.ZodType<T>,
  path: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<T> {
  const response = await send(path, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) throw errorOf(response, json);
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError(response.status, "bad_response", `Unexpected answer from ${path}: ${parsed.error.message}`);
  }
  return parsed.data;
}

/** The fetch behind every call; a network failure becomes an ApiError. */
async function send(path: string, init: { method?: string; token?: string; body?: unknown }): Promise<Response> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  try {
    return await fetch(path, {
      method: init.method ?? "GET",
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiError(0, "network", "The IDE server cannot be reached");
  }
}

function errorOf(response: Response, json: unknown): ApiError {
  const parsed = ErrorBody.safeParse(json);
  if (!parsed.success) return new ApiError(response.status, "http", `${response.status} ${response.statusText}`.trim());
  const { code, message, details } = parsed.data.error;
  return new ApiError(
    response.status,
    code,
    message,
    details?.diagnostics ?? [],
    details?.liveVersion ?? null,
    details?.column,
  );
}

/** A download (a route that answers a file, not JSON): its body as a Blob, or the API's error. */
export async function download(path: string, token: string): Promise<Blob> {
  const response = await send(path, { token });
  if (response.ok) return response.blob();
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  throw errorOf(response, json);
}

export const projectPath = (id: string, rest = "") => `/api/projects/${encodeURIComponent(id)}${rest}`;

const envPath = (id: string, name: string) => projectPath(id, `/env/${encodeURIComponent(name)}`);

export const api = {
  templates: () => request(routes.listTemplates.response, "/api/templates"),
  /** `key`: the agent key the project belongs to (null for none). */
  createProject: (body: CreateProjectRequest = {}, key: string | null = null) =>
    request(routes.createProject.response, "/api/projects", { method: "POST", body, token: key ?? undefined }),
  /** `secret`: the operator's access secret, where the server asks for one. */
  createKey: (secret?: string) => request(routes.createKey.response, "/api/keys", { method: "POST", token: secret }),
  keyProjects: (key: string) => request(routes.listProjects.response, "/api/projects", { token: key }),
  project: (id: string, token: string) => request(routes.getProject.response, projectPath(id), { token }),
  code: (id: string, token: string) => request(routes.getCode.response, projectPath(id, "/code"), { token }),
  versions: (id: string, token: string) =>
    request(routes.listVersions.response, projectPath(id, "/versions"), { token }),
  version: (id: string, token: string, version: number) =>
    request(routes.getVersion.response, projectPath(id, `/versions/${version}`), { token }),
  putCode: (id: string, token: string, body: PutCodeRequest) =>
    request(routes.putCode.response, projectPath(id, "/code"), { method: "PUT", token, body }),
  sql: (id: string, token: string, body: SqlRequest) =>
    request(routes.runSql.response, projectPath(id, "/sql"), { method: "POST", token, body }),
  env: (id: string, token: string) => request(routes.listEnv.response, projectPath(id, "/env"), { token }),
  setEnv: (id: string, token: string, name: string, body: SetEnvVarRequest) =>
    request(routes.setEnv.response, envPath(id, name), { method: "PUT", token, body }),
  deleteEnv: (id: string, token: string, name: string) =>
    request(routes.deleteEnv.response, envPath(id, name), { method: "DELETE", token }),
  restore: (id: string, token: string, version: number, data: boolean) =>
    request(routes.restoreVersion.response, projectPath(id, `/versions/${version}/restore`), {
      method: "POST",
      token,
      body: { data },
    }),
  objects: (id: string, token: string) => request(routes.listObjects.response, projectPath(id, "/objects"), { token }),
  deleteObject: (id: string, token: string, object: string) =>
    request(routes.deleteObject.response, projectPath(id, `/objects/${encodeURIComponent(object)}`), {
      method: "DELETE",
      token,
    }),
  snapshots: (id: string, token: string) =>
    request(routes.getSnapshots.response, projectPath(id, "/snapshots"), { token }),
  setSnapshotSettings: (id: string, token: string, body: SetSnapshotSettingsRequest) =>
    request(routes.setSnapshotSettings.response, projectPath(id, "/snapshots"), { method: "PUT", token, body }),
  draft: (id: string, token: string) => request(routes.getDraft.response, projectPath(id, "/draft"), { token }),
  putDraftCode: (id: string, token: string, body: DraftCodeRequest) =>
    request(routes.putDraftCode.response, projectPath(id, "/draft/code"), { method: "PUT", token, body }),
  promoteDraft: (id: string, token: string, data: "live" | "draft") =>
    request(routes.promoteDraft.response, projectPath(id, "/draft/promote"), { method: "POST", token, body: { data } }),
  discardDraft: (id: string, token: string) =>
    request(routes.discardDraft.response, projectPath(id, "/draft"), { method: "DELETE", token }),
  fork: (id: string, token: string, body: ForkProjectRequest = {}) =>
    request(routes.forkProject.response, projectPath(id, "/fork"), { method: "POST", token, body }),
  exportProject: (id: string, token: string) =>
    request(routes.exportProject.response, projectPath(id, "/export"), { token }),
  /** `key`: the agent key the project belongs to (null for none). */
  importProject: (body: ImportProjectRequest, key: string | null = null) =>
    request(routes.importProject.response, routes.importProject.path, {
      method: "POST",
      body,
      token: key ?? undefined,
    }),
  limits: (id: string, token: string) => request(routes.getLimits.response, projectPath(id, "/limits"), { token }),
  setLimits: (id: string, token: string, body: PutLimitsRequest) =>
    request(routes.putLimits.response, projectPath(id, "/limits"), { method: "PUT", token, body }),
  /** `object`: one of a Worker project's objects (its ID); null for the whole project. */
  metrics: (id: string, token: string, window: MetricsWindow, object: string | null = null) =>
    request(
      routes.getMetrics.response,
      projectPath(id, `/metrics?window=${window}${object === null ? "" : `&object=${encodeURIComponent(object)}`}`),
      { token },
    ),
};

/** Saves `value` as a JSON file in the browser's downloads. */
export function downloadJson(filename: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function socketUrl(id: string): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${projectPath(id, "/ws")}`;
}
