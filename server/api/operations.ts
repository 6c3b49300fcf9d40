/**
 * What each route of the table does, once its input is valid: the one implementation the HTTP API
 * (routes.ts) and the MCP server (server/mcp/) both call, so an agent and an HTTP client get the same
 * behaviour and the same error messages. `run()` checks the caller's credential against the route's
 * table entry, opens the project for a project's route (the supervisor checks the credential), runs
 * the operation and releases the project. Route groups with more to them than a call to the project
 * have their own module: making a project (project-creation.ts), the Data view (data-operations.ts),
 * deleting a project (project-removal.ts), editing code (code-edit.ts); the shapes they share are
 * operation-types.ts.
 * Tables: none.
 */
import { LIMITS, ProjectId } from "../../shared/api";
import { type RouteSpec, routes } from "../../shared/http/routes";
import type { DraftCodeResponse, DraftInfo } from "../../shared/time-travel";
import { assistantOperations } from "../assistant/operations";
import { keyMinted, keyRegistryFor } from "../keys/registry-stub";
import { type Failure, failure, type Outcome, success } from "../outcome";
import { previewUrl } from "../preview";
import type { Credential } from "../supervisor/handle/access";
import type { ProjectHandle } from "../supervisor/handle/project-handle";
import { sha256Hex } from "../supervisor/versions/hashing";
import type { ProjectSummary } from "../supervisor/versions/store";
import { existingSupervisor } from "../supervisor-stub";
import { templateDescriptions } from "../templates";
import { editCode } from "./code-edit";
import { authorize, randomAgentKey } from "./credentials";
import { dataFolderCheck } from "./data-folder-ceiling";
import { dataOperations } from "./data-operations";
import { openApiDocument } from "./openapi";
import {
  appOrigins,
  missingBody,
  type OperationArgs,
  type OperationContext,
  type OperationInput,
  type OperationName,
  type OperationResult,
  type Operations,
} from "./operation-types";
import { creationOperations } from "./project-creation";
import { deleteProject } from "./project-removal";
import { recordToken } from "./token-records";

const operations: Operations = {
  health: async () => success({ ok: true as const }),

  openApi: async ({ context }) => success(openApiDocument(new URL(context.url).origin)),

  listTemplates: async () => success({ templates: templateDescriptions }),

  createKey: async ({ context }) => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const key = randomAgentKey();
      if (await keyRegistryFor(context.env, await sha256Hex(key)).mint(Date.now())) return success({ key });
    }
    return failure("internal", "Could not mint a key");
  },

  listProjects: async ({ caller, context }) => {
    const listed = caller.keyHash ? await keyRegistryFor(context.env, caller.keyHash).projects() : null;
    if (!listed) return failure("unauthorized", "This agent key is not known here");
    return success({
      projects: listed.map((p) => ({ ...p, previewUrl: previewUrl(context.url, context.env, p.id) })),
    });
  },

  getProject: async ({ params, project, context }) => {
    const info = (await project.info()) as Outcome<ProjectSummary>;
    return info.ok ? success({ ...info.value, previewUrl: previewUrl(context.url, context.env, params.id) }) : info;
  },

  deleteProject: async ({ params, body, project, context }) =>
    body ? deleteProject(context.env, project, params.id, body.confirm) : missingBody(),

  getCode: async ({ project }) => project.getCode(),

  getTypes: async ({ project }) => project.getTypes(),

  editCode: async ({ body, project }) => (body ? editCode(project, body) : missingBody()),

  putCode: async ({ body, project }) => {
    const files = body?.files ?? {};
    const fileCount = Object.keys(files).length;
    if (!body || fileCount === 0 || fileCount > LIMITS.maxFiles) {
      return failure("bad_request", `A project has 1 to ${LIMITS.maxFiles} files; this one has ${fileCount}`);
    }
    return project.putCode(body);
  },

  listVersions: async ({ project }) => project.listVersions(),

  getVersion: async ({ params, project }) => project.getVersion(params.version),

  restoreVersion: async ({ params, body, project }) =>
    body ? project.restore(params.version, body.data, body.object) : missingBody(),

  getSnapshots: async ({ project }) => project.snapshots(),

  setSnapshotSettings: async ({ body, project }) => (body ? project.setSnapshotSettings(body) : missingBody()),

  takeSnapshot: async ({ project }) => project.snapshotNow(),

  getDraft: async ({ params, project, context }) => {
    const draft = (await project.draft()) as Outcome<Omit<DraftInfo, "previewUrl"> | null>;
    if (!draft.ok) return draft;
    const previewUrlOfDraft = previewUrl(context.url, context.env, params.id, { draft: true });
    return success({ draft: draft.value ? { ...draft.value, previewUrl: previewUrlOfDraft } : null });
  },

  putDraftCode: async ({ params, body, project, context }) => {
    const fileCount = Object.keys(body?.files ?? {}).length;
    if (!body || fileCount === 0 || fileCount > LIMITS.maxFiles) {
      return failure("bad_request", `A project has 1 to ${LIMITS.maxFiles} files; this one has ${fileCount}`);
    }
    const saved = (await project.putDraftCode(body)) as Outcome<Omit<DraftCodeResponse, "previewUrl">>;
    return saved.ok
      ? success({ ...saved.value, previewUrl: previewUrl(context.url, context.env, params.id, { draft: true }) })
      : saved;
  },

  promoteDraft: async ({ body, project }) => (body ? project.promoteDraft(body.data) : missingBody()),

  discardDraft: async ({ project }) => project.discardDraft(),

  exportProject: async ({ project }) => project.bundle(false),

  runSql: async ({ body, project }) => (body ? project.sql(body) : missingBody()),

  readLogs: async ({ query, project }) => project.readLogs(query),

  requestApp: async ({ params, body, project, context }) =>
    body ? project.requestApp(appOrigins(context, params.id), body) : missingBody(),

  websocketApp: async ({ params, body, project, context }) =>
    body ? project.websocketApp(appOrigins(context, params.id), body) : missingBody(),

  // Recorded requests (server/supervisor/requests/): replays go the way requestApp's requests do.
  listRequests: async ({ query, project }) => project.listRequests(query),
  getRequest: async ({ params, project }) => project.getRequest(params.rid),
  putRequestSettings: async ({ body, project }) => (body ? project.setRequestSettings(body) : missingBody()),
  replayRequest: async ({ params, body, project, context }) =>
    body ? project.replayRequest(appOrigins(context, params.id), params.rid, body.target) : missingBody(),
  replayRequests: async ({ params, body, project, context }) =>
    body ? project.replayRequests(appOrigins(context, params.id), body) : missingBody(),

  listEnv: async ({ project }) => project.listEnv(),

  setEnv: async ({ params, body, project }) => (body ? project.setEnv(params.name, body) : missingBody()),

  deleteEnv: async ({ params, project }) => project.deleteEnv(params.name),

  getNetwork: async ({ project }) => project.getNetwork(),

  putNetwork: async ({ body, project }) => (body ? project.putNetwork(body) : missingBody()),

  getLimits: async ({ project }) => project.getLimits(),

  putLimits: async ({ body, project }) => (body ? project.putLimits(body) : missingBody()),

  getMetrics: async ({ query, project }) => project.metrics(query.window, query.object),

  listObjects: async ({ project }) => project.objects(),

  deleteObject: async ({ params, project }) => project.deleteObject(params.object),

  ...creationOperations,
  ...dataOperations,
  ...assistantOperations,
};

/** A project id that cannot be one: the HTTP routes and the MCP tools refuse it alike (400). */
export function projectIdProblem(id: string): Failure | null {
  return ProjectId.safeParse(id).success ? null : failure("bad_request", `'${id}' is not a valid project id`);
}

/**
 * Opens project `id` with a caller's credential (the supervisor checks it); the caller disposes of
 * the handle. Also for the assistant, which records its tasks through the handle (server/assistant/).
 */
export async function openProject(
  env: Env,
  id: string,
  credential: Credential,
): Promise<Outcome<Rpc.Stub<ProjectHandle>>> {
  // The HTTP route checked it already; an MCP tool's input declares the id without its pattern.
  const badId = projectIdProblem(id);
  if (badId) return badId;
  // A project that does not exist is not reached: that would make its storage (data-folder.ts).
  const supervisor = await existingSupervisor(env, id);
  if (!supervisor) return failure("not_found", "No such project");
  // RPC wraps results in a Disposable, which hides the union's narrowing; the shape is unchanged.
  return (await supervisor.open(credential)) as Outcome<Rpc.Stub<ProjectHandle>>;
}

/**
 * Runs operation `name` for a caller showing `bearer`: checks the credential, opens the project on a
 * project's route, runs the operation, releases the project. `args` must have passed the route's
 * schemas (the HTTP API and the MCP server both validate before they call this).
 */
export async function run<N extends OperationName>(
  name: N,
  args: OperationArgs<N>,
  bearer: string | null,
  context: OperationContext,
): Promise<OperationResult<N>> {
  const spec: RouteSpec = routes[name];
  const caller = await authorize(spec, bearer, context.env.ACCESS_SECRET, (hash) => keyMinted(context.env, hash));
  if (!caller.ok) return caller;
  const operation = operations[name] as (input: OperationInput<N>) => Promise<OperationResult<N>>;
  if (spec.auth !== "project" || !caller.value.credential) {
    const full = await dataFolderCheck(context.env, name, args.body, null);
    if (full) return full;
    return operation({ ...args, project: undefined as never, caller: caller.value, context });
  }
  const id = (args.params as { id?: string }).id ?? "";
  const { credential } = caller.value;
  const opened = await openProject(context.env, id, credential);
  if (!opened.ok) return opened;
  try {
    if (credential.kind === "token") await recordToken(context.env, credential.hash, id);
    const full = await dataFolderCheck(context.env, name, args.body, opened.value);
    if (full) return full;
    return await operation({ ...args, project: opened.value, caller: caller.value, context });
  } finally {
    opened.value[Symbol.dispose]();
  }
}
