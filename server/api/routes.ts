/**
 * The HTTP API under /api: JSON in and out, errors as `{error: {code, message, details?}}`. Each
 * route of the table (shared/http/routes.ts) is registered here: `route()` validates the path parameters,
 * the query and the body against the table's schemas, then runs the route's operation
 * (operations.ts), which checks the caller's credential and, on a project's route, opens the project
 * with it (the supervisor checks it), so no handler can reach a project it was not let into. The MCP
 * server runs the same operations.
 */
import { type Context, Hono } from "hono";
import type { z } from "zod";
import { LIMITS } from "../../shared/api";
import { type RouteSpec, routes } from "../../shared/http/routes";
import { askAssistant } from "../assistant/ask";
import { CREDENTIAL_HEADER, TERMINAL_HOST } from "../internal";
import { errorResponse, failure, type Outcome, success } from "../outcome";
import { credentialHeaderValue } from "../supervisor/handle/access";
import { existingSupervisor } from "../supervisor-stub";
import { bodyLimit } from "./body-limit";
import { authorize, bearerOf } from "./credentials";
import type { Download, OperationArgs, OperationName } from "./operation-types";
import { projectIdProblem, run } from "./operations";

type AppEnv = { Bindings: Env };
type Ctx = Context<AppEnv>;

export const api = new Hono<AppEnv>().basePath("/api");

api.onError((error) => {
  console.error("unhandled API error", error);
  return errorResponse(failure("internal", "Internal error"));
});
api.notFound((c) => errorResponse(failure("not_found", `No API route for ${c.req.method} ${c.req.path}`)));

const requestLimit = bodyLimit(LIMITS.maxBodyBytes);
// An imported bundle carries a whole database.
const bundleLimit = bodyLimit(LIMITS.maxBundleBytes);
api.use((c, next) => (c.req.path === routes.importProject.path ? bundleLimit : requestLimit)(c, next));

const honoPath = (spec: RouteSpec) => spec.path.replace(/^\/api/, "").replace(/\{(\w+)\}/g, ":$1");

/**
 * The checks every project route makes before it reads anything: a project id that can be one (400)
 * and a credential at all (401), so a malformed or anonymous call learns nothing else.
 */
function projectRouteProblem(spec: RouteSpec, c: Ctx): Outcome<null> {
  if (spec.auth !== "project") return success(null);
  const id = c.req.param("id") ?? "";
  const badId = projectIdProblem(id);
  if (badId) return badId;
  if (!bearerOf(c.req.raw)) {
    return failure(
      "unauthorized",
      "Send the project's token or your agent key as 'Authorization: Bearer <token or key>'",
    );
  }
  return success(null);
}

/** Registers the route `name` of the table: validation, then its operation. */
function route<N extends OperationName>(name: N) {
  const spec: RouteSpec = routes[name];
  api.on(spec.method.toUpperCase(), honoPath(spec), async (c) => {
    const early = projectRouteProblem(spec, c);
    if (!early.ok) return errorResponse(early);
    const params = spec.params ? parseWith(spec.params, c.req.param()) : success({});
    if (!params.ok) return errorResponse(params);
    const query = spec.query ? parseWith(spec.query, c.req.query()) : success({});
    if (!query.ok) return errorResponse(query);
    const body = spec.body
      ? await readJson(c.req.raw, spec.body, spec.optionalBody === true, spec.auth !== "project")
      : success(undefined);
    if (!body.ok) return errorResponse(body);
    const args = { params: params.value, query: query.value, body: body.value } as OperationArgs<N>;
    const result = await run(name, args, bearerOf(c.req.raw), { env: c.env, url: c.req.url });
    if (!result.ok) return errorResponse(result);
    if (spec.produces) return downloadResponse(result.value as Download);
    const response = Response.json(result.value, { status: spec.status });
    if (spec.download) {
      response.headers.set("content-disposition", `attachment; filename="${c.req.param("id")}.facet-ide.json"`);
    }
    return response;
  });
}

for (const name of Object.keys(routes) as (keyof typeof routes)[]) {
  if (name !== "terminal" && name !== "askAssistant") route(name);
}

// The terminal is a WebSocket: the supervisor accepts it after checking the same credential.
api.get(honoPath(routes.terminal), async (c) => {
  const early = projectRouteProblem(routes.terminal, c);
  if (!early.ok) return errorResponse(early);
  const params = parseWith(routes.terminal.params, c.req.param());
  if (!params.ok) return errorResponse(params);
  const caller = await authorize(routes.terminal, bearerOf(c.req.raw), c.env.ACCESS_SECRET, async () => false);
  const credential = caller.ok ? caller.value.credential : null;
  if (!credential) return errorResponse(caller.ok ? failure("unauthorized", "No credential") : caller);
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    return errorResponse(failure("upgrade_required", "This endpoint speaks WebSocket"));
  }
  const headers = new Headers({ upgrade: "websocket", [CREDENTIAL_HEADER]: credentialHeaderValue(credential) });
  const supervisor = await existingSupervisor(c.env, params.value.id);
  if (!supervisor) return errorResponse(failure("not_found", "No such project"));
  return supervisor.fetch(new Request(`http://${TERMINAL_HOST}/`, { headers }));
});

// The assistant's prompt answers a stream of events (server/assistant/ask.ts), after the same checks.
api.post(honoPath(routes.askAssistant), async (c) => {
  const spec = routes.askAssistant;
  const early = projectRouteProblem(spec, c);
  if (!early.ok) return errorResponse(early);
  const params = parseWith(spec.params, c.req.param());
  if (!params.ok) return errorResponse(params);
  const body = await readJson(c.req.raw, spec.body, false, false);
  if (!body.ok) return errorResponse(body);
  const answer = await askAssistant({
    project: params.value.id,
    body: body.value,
    bearer: bearerOf(c.req.raw),
    context: { env: c.env, url: c.req.url },
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
  });
  return answer.ok ? answer.value : errorResponse(answer);
});

/** A file to save: RFC 6266's ASCII fallback name and the real one, percent-encoded. */
function downloadResponse({ body, contentType, filename }: Download): Response {
  const ascii = filename.replace(/[^\w.-]/g, "_");
  const disposition = `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
  return new Response(body, { headers: { "content-type": contentType, "content-disposition": disposition } });
}

/**
 * The body as JSON, validated. On a route anyone may call (creating a project) the JSON content type
 * is required even for an empty body: a browser page can only send it cross-origin after a CORS
 * preflight, which the IDE never grants. (A project's routes need the Authorization header, which a
 * page cannot send cross-origin without a preflight either, so there an empty body may come bare.)
 */
async function readJson<T>(
  request: Request,
  schema: z.ZodType<T>,
  emptyAllowed: boolean,
  typeAlways: boolean,
): Promise<Outcome<T>> {
  const type = request.headers.get("content-type") ?? "";
  const isJson = /^application\/json\s*(;|$)/i.test(type);
  if (typeAlways && !isJson) {
    return failure("unsupported_media_type", "Send JSON with 'Content-Type: application/json'");
  }
  const text = await request.text();
  if (emptyAllowed && text.trim() === "") return parseWith(schema, {});
  if (!isJson) return failure("unsupported_media_type", "Send JSON with 'Content-Type: application/json'");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return failure("bad_request", `The body is not valid JSON: ${(error as Error).message}`);
  }
  return parseWith(schema, json);
}

export function parseWith<T>(schema: z.ZodType<T>, json: unknown): Outcome<T> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  // A bad record key (a file name) nests the reason one level down; say the reason, not "Invalid key".
  const reason = (issue: z.core.$ZodIssue): string =>
    "issues" in issue && Array.isArray(issue.issues) && issue.issues[0] && "message" in issue.issues[0]
      ? String(issue.issues[0].message)
      : issue.message;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: reason(i) }));
  const first = issues[0];
  return failure("bad_request", `Invalid request: ${first?.path ? `${first.path}: ` : ""}${first?.message}`, {
    issues,
  });
}
