/**
 * The HTTP API under /api: JSON in and out, errors as `{error: {code, message, details?}}`. Each
 * handler is registered from its entry in the route table (shared/routes.ts), which says what it
 * takes and what it answers; `route()` validates the path parameters and the body against it
 * before the handler runs, and the handler's result is typed by the table's response schema. A
 * project's routes get the project opened with the caller's token (the supervisor checks it), so a
 * handler cannot reach a project it was not let into.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { z } from "zod";
import {
  type CreateProjectResponse,
  type DraftCodeResponse,
  type DraftInfo,
  LIMITS,
  type ProjectBundle,
  ProjectId,
} from "../../shared/api";
import { TOKEN_PROTOCOL_PREFIX } from "../../shared/protocol";
import { type RouteSpec, routes } from "../../shared/routes";
import { TERMINAL_HOST, TOKEN_HASH_HEADER } from "../internal";
import { errorResponse, failure, type Outcome, success } from "../outcome";
import { previewUrl } from "../preview";
import type { Credential } from "../supervisor/access";
import { sha256Hex } from "../supervisor/hashing";
import type { ProjectSeed } from "../supervisor/ProjectSupervisor";
import type { ProjectHandle } from "../supervisor/project-handle";
import type { ProjectSummary } from "../supervisor/store";
import { supervisorFor } from "../supervisor-stub";
import { templateDescriptions, templates } from "../templates";
import { registerDataRoutes } from "./data-routes";
import { randomProjectId, slugify } from "./ids";

type AppEnv = { Bindings: Env };
type Ctx = Context<AppEnv>;

export const api = new Hono<AppEnv>().basePath("/api");

api.onError((error) => {
  console.error("unhandled API error", error);
  return errorResponse(failure(500, "internal", "Internal error"));
});
api.notFound((c) => errorResponse(failure(404, "not_found", `No API route for ${c.req.method} ${c.req.path}`)));

const limitBody = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () =>
      errorResponse(
        failure(
          413,
          "payload_too_large",
          `Request bodies are limited to ${maxSize / 1_048_576} MiB (${maxSize} bytes)`,
        ),
      ),
  });
const requestLimit = limitBody(LIMITS.maxBodyBytes);
// An imported bundle carries a whole database.
const bundleLimit = limitBody(LIMITS.maxBundleBytes);
api.use((c, next) => (c.req.path === routes.importProject.path ? bundleLimit : requestLimit)(c, next));

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;
/**
 * What a handler gets: validated parameters and body; on a project's routes the project, opened
 * with the caller's credential (a WebSocket route gets the credential, which the supervisor's
 * socket endpoint checks the same way).
 */
interface RouteInput<R extends RouteSpec> {
  params: R["params"] extends z.ZodType ? z.infer<R["params"]> : Record<string, never>;
  body: Infer<R["body"]>;
  project: Rpc.Stub<ProjectHandle>;
  credential: Credential;
}
type RouteResult<R extends RouteSpec> = R["response"] extends z.ZodType ? Outcome<z.input<R["response"]>> : Response;

export type Route = typeof route;

/** Registers `handler` for a route of the table, behind the checks the table asks for. */
function route<R extends RouteSpec>(spec: R, handler: (input: RouteInput<R>, c: Ctx) => Promise<RouteResult<R>>) {
  const path = spec.path.replace(/^\/api/, "").replace(/\{(\w+)\}/g, ":$1");
  api.on(spec.method.toUpperCase(), path, async (c) => {
    let credential: Credential | null = null;
    if (spec.auth === "project") {
      const id = c.req.param("id") ?? "";
      if (!ProjectId.safeParse(id).success) {
        return errorResponse(failure(400, "bad_request", `'${id}' is not a valid project id`));
      }
      const token = bearerToken(c.req.raw);
      if (!token) {
        return errorResponse(
          failure(401, "unauthorized", "Send the project's token as 'Authorization: Bearer <token>'"),
        );
      }
      credential = { kind: "token", tokenHash: await sha256Hex(token) };
    }
    const params = spec.params ? parseWith(spec.params, c.req.param()) : success({});
    if (!params.ok) return errorResponse(params);
    const body = spec.body ? await readJson(c.req.raw, spec.body, spec.optionalBody === true) : success(undefined);
    if (!body.ok) return errorResponse(body);
    // Opened once the request is found well-formed: a malformed one is a 400 whoever sends it.
    const opened = credential && !spec.messages ? await open(c, c.req.param("id") ?? "", credential) : null;
    if (opened && !opened.ok) return errorResponse(opened);
    const input = { params: params.value, body: body.value, project: opened?.value, credential } as RouteInput<R>;
    try {
      const result: Outcome<unknown> | Response = await handler(input, c);
      if (result instanceof Response) return result;
      if (!result.ok) return errorResponse(result);
      const response = Response.json(result.value, { status: spec.status });
      if (spec.download) {
        response.headers.set("content-disposition", `attachment; filename="${c.req.param("id")}.facet-ide.json"`);
      }
      return response;
    } finally {
      opened?.value[Symbol.dispose]();
    }
  });
}

async function open(c: Ctx, id: string, credential: Credential): Promise<Outcome<Rpc.Stub<ProjectHandle>>> {
  // RPC wraps results in a Disposable, which hides the union's narrowing; the shape is unchanged.
  return (await supervisorFor(c.env, id).open(credential)) as Outcome<Rpc.Stub<ProjectHandle>>;
}

route(routes.health, async () => success({ ok: true as const }));

route(routes.listTemplates, async () => success({ templates: templateDescriptions }));

route(routes.createProject, async ({ body }, c) => {
  const { name, template = "notes" } = body ?? {};
  const files = template === "blank" ? null : templates[template];
  if (files === undefined) {
    return failure(
      400,
      "bad_request",
      `Unknown template '${template}'; use one of ${[...Object.keys(templates), "blank"].join(", ")}`,
    );
  }
  return createWith(c, name, files ? { kind: "template", files } : null);
});

/**
 * Makes a project named after `name` (or a random id) from `seed`, and answers its id and token. A
 * random id that collides is simply drawn again; a chosen name that is taken is a 409.
 */
async function createWith(
  c: Ctx,
  name: string | undefined,
  seed: ProjectSeed | null,
): Promise<Outcome<CreateProjectResponse>> {
  const token = randomToken();
  const tokenHash = await sha256Hex(token);
  const explicit = name !== undefined ? slugify(name) : null;
  if (explicit !== null && !ProjectId.safeParse(explicit).success) {
    return failure(400, "bad_request", "A project name needs letters or digits, at most 40 characters");
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = explicit ?? randomProjectId();
    let created: Outcome<ProjectSummary>;
    try {
      // RPC wraps results in a Disposable, which hides the union's narrowing; the shape is unchanged.
      created = (await supervisorFor(c.env, id).create(id, tokenHash, seed)) as Outcome<ProjectSummary>;
    } catch (error) {
      // The runtime limits what one call carries (32 MiB); a bundle past it never reaches the supervisor.
      if (/limited to \d+MiB/.test(String(error))) {
        return failure(
          413,
          "payload_too_large",
          `The project's data is too large to copy in one piece: ${String(error)}`,
        );
      }
      throw error;
    }
    if (created.ok) return success({ id, token, previewUrl: previewUrl(c.req.url, c.env, id) });
    if (explicit !== null || created.status !== 409) return created;
  }
  return failure(500, "internal", "Could not find a free project id");
}

route(routes.getProject, async ({ params, project }, c) => {
  const info = (await project.info()) as Outcome<ProjectSummary>;
  return info.ok ? success({ ...info.value, previewUrl: previewUrl(c.req.url, c.env, params.id) }) : info;
});

route(routes.getCode, async ({ project }) => project.getCode());

route(routes.putCode, async ({ body, project }) => {
  const fileCount = Object.keys(body.files).length;
  if (fileCount === 0 || fileCount > LIMITS.maxFiles) {
    return failure(400, "bad_request", `A project has 1 to ${LIMITS.maxFiles} files; this one has ${fileCount}`);
  }
  return project.putCode(body);
});

route(routes.listVersions, async ({ project }) => project.listVersions());

route(routes.getVersion, async ({ params, project }) => project.getVersion(params.version));

route(routes.restoreVersion, async ({ params, body, project }) => project.restore(params.version, body.data));

route(routes.getSnapshots, async ({ project }) => project.snapshots());

route(routes.setSnapshotSettings, async ({ body, project }) => project.setSnapshotSettings(body));

route(routes.takeSnapshot, async ({ project }) => project.snapshotNow());

route(routes.getDraft, async ({ params, project }, c) => {
  const draft = (await project.draft()) as Outcome<Omit<DraftInfo, "previewUrl"> | null>;
  if (!draft.ok) return draft;
  const previewUrlOfDraft = previewUrl(c.req.url, c.env, params.id, { draft: true });
  return success({ draft: draft.value ? { ...draft.value, previewUrl: previewUrlOfDraft } : null });
});

route(routes.putDraftCode, async ({ params, body, project }, c) => {
  const fileCount = Object.keys(body.files).length;
  if (fileCount === 0 || fileCount > LIMITS.maxFiles) {
    return failure(400, "bad_request", `A project has 1 to ${LIMITS.maxFiles} files; this one has ${fileCount}`);
  }
  const saved = (await project.putDraftCode(body)) as Outcome<Omit<DraftCodeResponse, "previewUrl">>;
  return saved.ok
    ? success({ ...saved.value, previewUrl: previewUrl(c.req.url, c.env, params.id, { draft: true }) })
    : saved;
});

route(routes.promoteDraft, async ({ body, project }) => project.promoteDraft(body.data));

route(routes.discardDraft, async ({ project }) => project.discardDraft());

route(routes.forkProject, async ({ body, project }, c) => {
  const bundle = (await project.bundle(true)) as Outcome<ProjectBundle>;
  if (!bundle.ok) return bundle;
  const { files, main, env, data } = bundle.value;
  return createWith(c, body?.name, { kind: "bundle", files, main, env, data });
});

route(routes.exportProject, async ({ project }) => project.bundle(false));

route(routes.importProject, async ({ body }, c) => {
  const { name, files, main, env, data } = body;
  if (Object.keys(files).length > LIMITS.maxFiles) {
    return failure(400, "bad_request", `A project has at most ${LIMITS.maxFiles} files`);
  }
  const created = await createWith(c, name, { kind: "bundle", files, main, env, data });
  if (!created.ok) return created;
  const secretsToSet = env.filter((v) => v.secret && v.value === undefined).map((v) => v.name);
  return success({ ...created.value, secretsToSet });
});

route(routes.runSql, async ({ body, project }) => project.sql(body));

route(routes.listEnv, async ({ project }) => project.listEnv());

route(routes.setEnv, async ({ params, body, project }) => project.setEnv(params.name, body));

route(routes.deleteEnv, async ({ params, project }) => project.deleteEnv(params.name));

registerDataRoutes(route);

route(routes.terminal, async ({ params, credential }, c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    return errorResponse(failure(426, "bad_request", "This endpoint speaks WebSocket"));
  }
  const headers = new Headers({ upgrade: "websocket", [TOKEN_HASH_HEADER]: credential.tokenHash });
  return supervisorFor(c.env, params.id).fetch(new Request(`http://${TERMINAL_HOST}/`, { headers }));
});

/** The token from `Authorization: Bearer`, or for browser WebSockets from the `token.<token>` subprotocol. */
function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  if (match?.[1]) return match[1];
  const protocols =
    request.headers
      .get("sec-websocket-protocol")
      ?.split(",")
      .map((p) => p.trim()) ?? [];
  const carried = protocols.find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  return carried ? carried.slice(TOKEN_PROTOCOL_PREFIX.length) : null;
}

async function readJson<T>(request: Request, schema: z.ZodType<T>, emptyAllowed: boolean): Promise<Outcome<T>> {
  const text = await request.text();
  if (emptyAllowed && text.trim() === "") return parseWith(schema, {});
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    return failure(415, "unsupported_media_type", "Send JSON with 'Content-Type: application/json'");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return failure(400, "bad_request", `The body is not valid JSON: ${(error as Error).message}`);
  }
  return parseWith(schema, json);
}

function parseWith<T>(schema: z.ZodType<T>, json: unknown): Outcome<T> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  const first = issues[0];
  return failure(400, "bad_request", `Invalid request: ${first?.path ? `${first.path}: ` : ""}${first?.message}`, {
    issues,
  });
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
