/**
 * The IDE's HTTP client for /api: the typed client of the route table (shared/http/api-client.ts) on the
 * page's own origin. Every response is parsed with its route's schema before the UI sees it, so a
 * server that drifts from the contract fails loudly here instead of deep inside a component.
 */
import type { CreateProjectRequest, PutCodeRequest, SetEnvVarRequest, SqlRequest } from "../../shared/api";
import { type ApiClient, ApiError, apiClient, errorOf } from "../../shared/http/api-client";
import { routes } from "../../shared/http/routes";
import type { MetricsWindow, PutLimitsRequest } from "../../shared/metrics";
import type { NetworkPolicy } from "../../shared/network/policy";
import type { PutRequestSettings, RequestsQuery } from "../../shared/requests";
import type {
  DraftCodeRequest,
  ForkProjectRequest,
  ImportProjectRequest,
  SetSnapshotSettingsRequest,
} from "../../shared/time-travel";

export { ApiError };

/** The whole API, on the page's origin (the browser's fetch, called as a function of its own). */
export const client: ApiClient<typeof routes> = apiClient(routes, { fetch: (url, init) => fetch(url, init) });

/** A download's answer (a route that answers a file, not JSON): its body as a Blob, or the API's error. */
export async function blobOf(response: Response): Promise<Blob> {
  if (response.ok) return response.blob();
  throw await errorOf(response);
}

const project = (id: string, token: string) => ({ params: { id }, credential: token });

export const api = {
  templates: () => client.call("listTemplates"),
  /** `key`: the agent key the project belongs to (null for none). */
  createProject: (body: CreateProjectRequest = {}, key: string | null = null) =>
    client.call("createProject", { body, credential: key }),
  /** `secret`: the operator's access secret, where the server asks for one. */
  createKey: (secret?: string) => client.call("createKey", { credential: secret }),
  keyProjects: (key: string) => client.call("listProjects", { credential: key }),
  project: (id: string, token: string) => client.call("getProject", project(id, token)),
  code: (id: string, token: string) => client.call("getCode", project(id, token)),
  /** The live version's packages' declaration files, for the editor's TypeScript. */
  types: (id: string, token: string) => client.call("getTypes", project(id, token)),
  versions: (id: string, token: string) => client.call("listVersions", project(id, token)),
  version: (id: string, token: string, version: number) =>
    client.call("getVersion", { params: { id, version }, credential: token }),
  putCode: (id: string, token: string, body: PutCodeRequest) => client.call("putCode", { ...project(id, token), body }),
  sql: (id: string, token: string, body: SqlRequest) => client.call("runSql", { ...project(id, token), body }),
  env: (id: string, token: string) => client.call("listEnv", project(id, token)),
  setEnv: (id: string, token: string, name: string, body: SetEnvVarRequest) =>
    client.call("setEnv", { params: { id, name }, credential: token, body }),
  deleteEnv: (id: string, token: string, name: string) =>
    client.call("deleteEnv", { params: { id, name }, credential: token }),
  restore: (id: string, token: string, version: number, data: boolean) =>
    client.call("restoreVersion", { params: { id, version }, credential: token, body: { data } }),
  objects: (id: string, token: string) => client.call("listObjects", project(id, token)),
  deleteObject: (id: string, token: string, object: string) =>
    client.call("deleteObject", { params: { id, object }, credential: token }),
  snapshots: (id: string, token: string) => client.call("getSnapshots", project(id, token)),
  setSnapshotSettings: (id: string, token: string, body: SetSnapshotSettingsRequest) =>
    client.call("setSnapshotSettings", { ...project(id, token), body }),
  draft: (id: string, token: string) => client.call("getDraft", project(id, token)),
  putDraftCode: (id: string, token: string, body: DraftCodeRequest) =>
    client.call("putDraftCode", { ...project(id, token), body }),
  promoteDraft: (id: string, token: string, data: "live" | "draft") =>
    client.call("promoteDraft", { ...project(id, token), body: { data } }),
  discardDraft: (id: string, token: string) => client.call("discardDraft", project(id, token)),
  fork: (id: string, token: string, body: ForkProjectRequest = {}) =>
    client.call("forkProject", { ...project(id, token), body }),
  exportProject: (id: string, token: string) => client.call("exportProject", project(id, token)),
  /** `confirm`: the id as the person typed it (the API refuses another). */
  deleteProject: (id: string, token: string, confirm: string) =>
    client.call("deleteProject", { ...project(id, token), body: { confirm } }),
  /** `key`: the agent key the project belongs to (null for none). */
  importProject: (body: ImportProjectRequest, key: string | null = null) =>
    client.call("importProject", { body, credential: key }),
  network: (id: string, token: string) => client.call("getNetwork", project(id, token)),
  setNetwork: (id: string, token: string, body: NetworkPolicy) =>
    client.call("putNetwork", { ...project(id, token), body }),
  limits: (id: string, token: string) => client.call("getLimits", project(id, token)),
  setLimits: (id: string, token: string, body: PutLimitsRequest) =>
    client.call("putLimits", { ...project(id, token), body }),
  /** `object`: one of a Worker project's objects (its ID); null for the whole project. */
  metrics: (id: string, token: string, window: MetricsWindow, object: string | null = null) =>
    client.call("getMetrics", { ...project(id, token), query: { window, object: object ?? undefined } }),
  requests: (id: string, token: string, query: RequestsQuery) =>
    client.call("listRequests", { ...project(id, token), query }),
  request: (id: string, token: string, rid: number) =>
    client.call("getRequest", { params: { id, rid }, credential: token }),
  replayRequest: (id: string, token: string, rid: number, target: "live" | "draft") =>
    client.call("replayRequest", { params: { id, rid }, credential: token, body: { target } }),
  replayRecent: (id: string, token: string) =>
    client.call("replayRequests", { ...project(id, token), body: { target: "draft" } }),
  setRequestSettings: (id: string, token: string, body: PutRequestSettings) =>
    client.call("putRequestSettings", { ...project(id, token), body }),
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
  return `${scheme}//${location.host}${client.path("terminal", { params: { id } })}`;
}
