/**
 * What each route of the table does, once its input is valid: the one implementation the HTTP API
 * (routes.ts) and the MCP server (server/mcp/) both call, so an agent and an HTTP client get the same
 * behaviour and the same error messages. `run()` checks the caller's credential against the route's
 * table entry, opens the project for a project's route (the supervisor checks the credential), runs
 * the operation and releases the project.
 */
import type { z } from "zod";
import { type CreateProjectResponse, LIMITS, ProjectId } from "../../shared/api";
import { type RouteName, type RouteSpec, routes } from "../../shared/http/routes";
import type { DraftCodeResponse, DraftInfo, ProjectBundle } from "../../shared/time-travel";
import { keyMinted, keyRegistryFor } from "../keys/registry-stub";
import { type Failure, failure, type Outcome, success } from "../outcome";
import { previewUrl } from "../preview";
import type { DataBrowser } from "../supervisor/data/data-browser";
import type { ProjectHandle } from "../supervisor/handle/project-handle";
import type { ProjectSeed } from "../supervisor/ProjectSupervisor";
import { sha256Hex } from "../supervisor/versions/hashing";
import type { ProjectSummary } from "../supervisor/versions/store";
import { existingSupervisor, supervisorFor } from "../supervisor-stub";
import { templateDescriptions, templates } from "../templates";
import { editCode } from "./code-edit";
import { authorize, type Caller, randomAgentKey, randomToken } from "./credentials";
import { dataFolderCheck } from "./data-folder-ceiling";
import { randomProjectId, slugify } from "./ids";
import { openApiDocument } from "./openapi";
import { deleteProject } from "./project-removal";
import { recordToken } from "./token-records";

/** The routes that are calls with an answer (the terminal is a WebSocket, served by routes.ts). */
export type OperationName = Exclude<RouteName, "terminal">;

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;
type Spec<N extends OperationName> = (typeof routes)[N];

/** An operation's validated input, as the route's schemas describe it. */
export interface OperationArgs<N extends OperationName> {
  params: Spec<N> extends { params: z.ZodType } ? z.infer<Spec<N>["params"]> : Record<string, never>;
  query: Spec<N> extends { query: z.ZodType } ? z.infer<Spec<N>["query"]> : Record<string, never>;
  body: Spec<N> extends { body: z.ZodType } ? Infer<Spec<N>["body"]> | undefined : undefined;
}

export interface OperationContext {
  env: Env;
  /** The URL the call came in on: previews are on the same scheme and port. */
  url: string;
}

interface OperationInput<N extends OperationName> extends OperationArgs<N> {
  /** The project, opened with the caller's credential (project routes only). */
  project: Rpc.Stub<ProjectHandle>;
  caller: Caller;
  context: OperationContext;
}

/** What a download route (one with `produces`) answers: the file, which routes.ts sends as an attachment. */
export interface Download {
  /** The file; a stream for a table export, which is read from the app a page at a time. */
  body: string | ReadableStream;
  contentType: string;
  /** The name to save it under, without directories; may hold any character (sent per RFC 6266). */
  filename: string;
}

type ResultOf<S> = S extends { produces: readonly string[] }
  ? Download
  : S extends { response: z.ZodType }
    ? z.input<S["response"]>
    : never;

export type OperationResult<N extends OperationName> = Outcome<ResultOf<Spec<N>>>;

type Operations = { [N in OperationName]: (input: OperationInput<N>) => Promise<OperationResult<N>> };

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

  createProject: async ({ body, caller, context }) => {
    const { name, template = "notes" } = body ?? {};
    // Own keys only: `templates["__proto__"]` would be Object.prototype, not a template.
    const files = template === "blank" ? null : Object.hasOwn(templates, template) ? templates[template] : undefined;
    if (files === undefined) {
      return failure(
        "bad_request",
        `Unknown template '${template}'; use one of ${[...Object.keys(templates), "blank"].join(", ")}`,
      );
    }
    return createWith(context, name, files ? { kind: "template", files } : null, caller.keyHash);
  },

  getProject: async ({ params, project, context }) => {
    const info = (await project.info()) as Outcome<ProjectSummary>;
    return info.ok ? success({ ...info.value, previewUrl: previewUrl(context.url, context.env, params.id) }) : info;
  },

  deleteProject: async ({ params, body, project, context }) =>
    body ? deleteProject(context.env, project, params.id, body.confirm) : missingBody(),

  getCode: async ({ project }) => project.getCode(),

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

  forkProject: async ({ body, project, caller, context }) => {
    const bundle = (await project.bundle(true)) as Outcome<ProjectBundle>;
    if (!bundle.ok) return bundle;
    const { files, main, env, data, objects, network } = bundle.value;
    // Forked with an agent key, the copy belongs to the key too.
    const owner = caller.credential?.kind === "key" ? caller.credential.hash : null;
    return createWith(context, body?.name, { kind: "bundle", files, main, env, data, objects, network }, owner);
  },

  exportProject: async ({ project }) => project.bundle(false),

  importProject: async ({ body, caller, context }) => {
    if (!body) return missingBody();
    const { name, files, main, env, data, objects, network } = body;
    if (Object.keys(files).length > LIMITS.maxFiles) {
      return failure("bad_request", `A project has at most ${LIMITS.maxFiles} files`);
    }
    const seed = { kind: "bundle" as const, files, main, env, data, objects, network };
    const created = await createWith(context, name, seed, caller.keyHash);
    if (!created.ok) return created;
    const secretsToSet = env.filter((v) => v.secret && v.value === undefined).map((v) => v.name);
    return success({ ...created.value, secretsToSet });
  },

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

  // The Data view (server/supervisor/data/): the supervisor's DataBrowser on the App's database or a
  // Worker project's object's (`?object=`), reached through the project.
  listTables: async ({ query, project }) => data(project, query.object, "tables"),
  getTableSchema: async ({ params, query, project }) => data(project, query.object, "schema", params.table),
  queryRows: async ({ params, query, body, project }) => data(project, query.object, "rows", params.table, body ?? {}),
  insertRow: async ({ params, query, body, project }) =>
    body ? data(project, query.object, "insertRow", params.table, body) : missingBody(),
  updateRow: async ({ params, query, body, project }) =>
    body ? data(project, query.object, "updateRow", params.table, body) : missingBody(),
  deleteRows: async ({ params, query, body, project }) =>
    body ? data(project, query.object, "deleteRows", params.table, body) : missingBody(),
  getCell: async ({ params, query, body, project }) =>
    body ? data(project, query.object, "cell", params.table, body) : missingBody(),
  exportTable: async ({ params, query, project }) => {
    const exported = await data(project, query.object, "exportTable", params.table, params.format);
    if (!exported.ok) return exported;
    const { name, body } = exported.value;
    const contentType = params.format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
    return success({ body, contentType, filename: `${name}.${params.format}` });
  },
  dataVersion: async ({ query, project }) => data(project, query.object, "version"),
  listKv: async ({ query, body, project }) => data(project, query.object, "kvList", body ?? {}),
  putKv: async ({ query, body, project }) => (body ? data(project, query.object, "kvPut", body) : missingBody()),
  deleteKv: async ({ query, body, project }) => (body ? data(project, query.object, "kvDelete", body) : missingBody()),
  dumpData: async ({ params, query, project }) => {
    const dump = await data(project, query.object, "dumpSql");
    if (!dump.ok) return dump;
    return success({ body: dump.value, contentType: "application/sql; charset=utf-8", filename: `${params.id}.sql` });
  },
  resetData: async ({ query, project }) => data(project, query.object, "reset"),
};

type DataMethod = {
  [K in keyof DataBrowser]: DataBrowser[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof DataBrowser];
type DataCall<K extends DataMethod> = DataBrowser[K] extends (...args: infer A) => Promise<infer R> ? [A, R] : never;

/**
 * Calls a DataBrowser method through the opened project (on the object `object` names, for a Worker
 * project), and releases its stub as RPC stubs must be.
 */
async function data<K extends DataMethod>(
  project: Rpc.Stub<ProjectHandle>,
  object: string | undefined,
  method: K,
  ...args: DataCall<K>[0]
): Promise<DataCall<K>[1] | Failure> {
  // RPC wraps results in a Disposable, which hides the union's narrowing; the shape is unchanged.
  const opened = (await project.data(object)) as unknown as Outcome<Rpc.Stub<DataBrowser>>;
  if (!opened.ok) return opened;
  const browser = opened.value;
  try {
    const call = browser[method] as unknown as (...a: DataCall<K>[0]) => Promise<unknown>;
    // RPC wraps results in a Disposable, which hides the union's narrowing; the shape is unchanged.
    return (await call(...args)) as DataCall<K>[1];
  } finally {
    browser[Symbol.dispose]();
  }
}

const missingBody = () => failure("bad_request", "This call needs a JSON body");

/**
 * Makes a project named after `name` (or a random id) from `seed`, owned by the agent key
 * `ownerKeyHash` if given, and answers its id and token. A random id that collides is simply drawn
 * again; a chosen name that is taken is a 409.
 */
async function createWith(
  context: OperationContext,
  name: string | undefined,
  seed: ProjectSeed | null,
  ownerKeyHash: string | null,
): Promise<Outcome<CreateProjectResponse>> {
  const token = randomToken();
  const tokenHash = await sha256Hex(token);
  const explicit = name !== undefined ? slugify(name) : null;
  if (explicit !== null && !ProjectId.safeParse(explicit).success) {
    return failure("bad_request", "A project name needs letters or digits, at most 40 characters");
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = explicit ?? randomProjectId();
    let created: Outcome<ProjectSummary>;
    try {
      // RPC wraps results in a Disposable, which hides the union's narrowing; the shape is unchanged.
      created = (await supervisorFor(context.env, id).create(
        id,
        tokenHash,
        seed,
        ownerKeyHash,
      )) as Outcome<ProjectSummary>;
    } catch (error) {
      // The runtime limits what one call carries (32 MiB); a bundle past it never reaches the supervisor.
      if (/limited to \d+MiB/.test(String(error))) {
        return failure("payload_too_large", `The project's data is too large to copy in one piece: ${String(error)}`);
      }
      throw error;
    }
    if (created.ok) {
      if (ownerKeyHash) await keyRegistryFor(context.env, ownerKeyHash).addProject(id, created.value.createdAt);
      await recordToken(context.env, tokenHash, id);
      return success({ id, token, previewUrl: previewUrl(context.url, context.env, id) });
    }
    if (explicit !== null || created.status !== 409) return created;
  }
  return failure("internal", "Could not find a free project id");
}

/**
 * Runs operation `name` for a caller showing `bearer`: checks the credential, opens the project on a
 * project's route, runs the operation, releases the project. `args` must have passed the route's
 * schemas (the HTTP API and the MCP server both validate before they call this).
 */
/** A project id that cannot be one: the HTTP routes and the MCP tools refuse it alike (400). */
export function projectIdProblem(id: string): Failure | null {
  return ProjectId.safeParse(id).success ? null : failure("bad_request", `'${id}' is not a valid project id`);
}

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
  // The HTTP route checked it already; an MCP tool's input declares the id without its pattern.
  const badId = projectIdProblem(id);
  if (badId) return badId;
  // A project that does not exist is not reached: that would make its storage (data-folder.ts).
  const supervisor = await existingSupervisor(context.env, id);
  if (!supervisor) return failure("not_found", "No such project");
  // RPC wraps results in a Disposable, which hides the union's narrowing; the shape is unchanged.
  const opened = (await supervisor.open(caller.value.credential)) as Outcome<Rpc.Stub<ProjectHandle>>;
  if (!opened.ok) return opened;
  try {
    const { credential } = caller.value;
    if (credential.kind === "token") await recordToken(context.env, credential.hash, id);
    const full = await dataFolderCheck(context.env, name, args.body, opened.value);
    if (full) return full;
    return await operation({ ...args, project: opened.value, caller: caller.value, context });
  } finally {
    opened.value[Symbol.dispose]();
  }
}

/** The app's origins, live and draft, on the scheme and port the call came in on. */
const appOrigins = (context: OperationContext, id: string) => ({
  live: previewUrl(context.url, context.env, id),
  draft: previewUrl(context.url, context.env, id, { draft: true }),
});
