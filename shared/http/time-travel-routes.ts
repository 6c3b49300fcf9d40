/**
 * The route table's part for going back and branching off (routes.ts spreads it in): restoring a
 * version, data snapshots, drafts, and fork, export and import of a whole project.
 */
import { CreateProjectResponse, ProjectParams, VersionParams } from "../api";
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
} from "../time-travel";
import { CODE_COOLDOWN_ERROR, type RouteTable } from "./route-spec";

export const timeTravelRoutes = {
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
      429: CODE_COOLDOWN_ERROR,
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
      429: CODE_COOLDOWN_ERROR,
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
      429: CODE_COOLDOWN_ERROR,
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
} as const satisfies RouteTable;
