/** The HTTP API under /api: JSON in and out, errors as `{error: {code, message, details?}}`. */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { z } from "zod";
import {
  CreateProjectRequest,
  type CreateProjectResponse,
  envVarNamePattern,
  LIMITS,
  ProjectId,
  type ProjectInfo,
  PutCodeRequest,
  SetEnvVarRequest,
  SqlRequest,
} from "../../shared/api";
import { TOKEN_PROTOCOL_PREFIX } from "../../shared/protocol";
import { errorResponse, failure, type Outcome } from "../outcome";
import { previewUrl } from "../preview";
import { sha256Hex } from "../supervisor/hashing";
import { type ProjectSummary, TERMINAL_HOST, TOKEN_HASH_HEADER } from "../supervisor/ProjectSupervisor";
import { supervisorFor } from "../supervisor-stub";
import { templateDescriptions, templates } from "../templates";
import { randomProjectId, slugify } from "./ids";

type AppEnv = { Bindings: Env; Variables: { tokenHash: string; projectId: string } };

export const api = new Hono<AppEnv>().basePath("/api");

api.onError((error) => {
  console.error("unhandled API error", error);
  return errorResponse(failure(500, "internal", "Internal error"));
});
api.notFound((c) => errorResponse(failure(404, "not_found", `No API route for ${c.req.method} ${c.req.path}`)));

api.use(
  bodyLimit({
    maxSize: LIMITS.maxBodyBytes,
    onError: () =>
      errorResponse(
        failure(
          413,
          "payload_too_large",
          `Request bodies are limited to ${LIMITS.maxBodyBytes / 1_048_576} MiB (${LIMITS.maxBodyBytes} bytes)`,
        ),
      ),
  }),
);

api.get("/health", (c) => c.json({ ok: true }));

api.get("/templates", (c) => c.json({ templates: templateDescriptions }));

api.post("/projects", async (c) => {
  const body = await readJson(c.req.raw, CreateProjectRequest, true);
  if (!body.ok) return errorResponse(body);
  const { name, template = "notes" } = body.value;
  const files = template === "blank" ? null : templates[template];
  if (files === undefined) {
    return errorResponse(
      failure(
        400,
        "bad_request",
        `Unknown template '${template}'; use one of ${[...Object.keys(templates), "blank"].join(", ")}`,
      ),
    );
  }
  const token = randomToken();
  const tokenHash = await sha256Hex(token);
  const explicit = name !== undefined ? slugify(name) : null;
  if (explicit !== null && !ProjectId.safeParse(explicit).success) {
    return errorResponse(failure(400, "bad_request", "A project name needs letters or digits, at most 40 characters"));
  }
  // A random id that collides is simply drawn again; a chosen name that is taken is a 409.
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = explicit ?? randomProjectId();
    // RPC wraps results in a Disposable, which hides the union's narrowing; the shape is unchanged.
    const created = (await supervisorFor(c.env, id).create(id, tokenHash, files)) as Outcome<ProjectSummary>;
    if (created.ok) {
      return c.json({ id, token, previewUrl: previewUrl(c.req.url, c.env, id) } satisfies CreateProjectResponse, 201);
    }
    if (explicit !== null || created.status !== 409) return errorResponse(created);
  }
  return errorResponse(failure(500, "internal", "Could not find a free project id"));
});

// Everything under /projects/:id needs the project's token.
api.use("/projects/:id/*", async (c, next) => authenticate(c, next));
api.use("/projects/:id", async (c, next) => authenticate(c, next));

api.get("/projects/:id", async (c) => {
  const info = await project(c).info(c.get("tokenHash"));
  return respond(info, (s) => toProjectInfo(s, previewUrl(c.req.url, c.env, s.id)));
});

api.get("/projects/:id/code", async (c) => respond(await project(c).getCode(c.get("tokenHash"))));

api.put("/projects/:id/code", async (c) => {
  const body = await readJson(c.req.raw, PutCodeRequest);
  if (!body.ok) return errorResponse(body);
  const fileCount = Object.keys(body.value.files).length;
  if (fileCount === 0 || fileCount > LIMITS.maxFiles) {
    return errorResponse(
      failure(400, "bad_request", `A project has 1 to ${LIMITS.maxFiles} files; this one has ${fileCount}`),
    );
  }
  return respond(await project(c).putCode(c.get("tokenHash"), body.value));
});

api.get("/projects/:id/versions", async (c) => respond(await project(c).listVersions(c.get("tokenHash"))));

api.get("/projects/:id/versions/:version", async (c) => {
  const version = Number(c.req.param("version"));
  if (!Number.isSafeInteger(version) || version < 1) {
    return errorResponse(failure(400, "bad_request", "Versions are whole numbers from 1"));
  }
  return respond(await project(c).getVersion(c.get("tokenHash"), version));
});

api.post("/projects/:id/sql", async (c) => {
  const body = await readJson(c.req.raw, SqlRequest);
  if (!body.ok) return errorResponse(body);
  return respond(await project(c).sql(c.get("tokenHash"), body.value));
});

api.get("/projects/:id/env", async (c) => respond(await project(c).listEnv(c.get("tokenHash"))));

api.put("/projects/:id/env/:name", async (c) => {
  const name = c.req.param("name");
  if (!envVarNamePattern.test(name)) {
    return errorResponse(
      failure(400, "bad_request", "Variable names are letters, digits and '_', not starting with a digit"),
    );
  }
  const body = await readJson(c.req.raw, SetEnvVarRequest);
  if (!body.ok) return errorResponse(body);
  return respond(await project(c).setEnv(c.get("tokenHash"), name, body.value));
});

api.delete("/projects/:id/env/:name", async (c) =>
  respond(await project(c).deleteEnv(c.get("tokenHash"), c.req.param("name"))),
);

api.get("/projects/:id/ws", async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    return errorResponse(failure(426, "bad_request", "This endpoint speaks WebSocket"));
  }
  const headers = new Headers({ upgrade: "websocket", [TOKEN_HASH_HEADER]: c.get("tokenHash") });
  return project(c).fetch(new Request(`http://${TERMINAL_HOST}/`, { headers }));
});

type Ctx = Context<AppEnv>;

const project = (c: Ctx) => supervisorFor(c.env, c.get("projectId"));

async function authenticate(c: Ctx, next: () => Promise<void>) {
  const id = c.req.param("id") ?? "";
  if (!ProjectId.safeParse(id).success)
    return errorResponse(failure(400, "bad_request", `'${id}' is not a valid project id`));
  const token = bearerToken(c.req.raw);
  if (!token) {
    return errorResponse(failure(401, "unauthorized", "Send the project's token as 'Authorization: Bearer <token>'"));
  }
  c.set("projectId", id);
  c.set("tokenHash", await sha256Hex(token));
  await next();
}

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

async function readJson<T>(request: Request, schema: z.ZodType<T>, emptyAllowed = false): Promise<Outcome<T>> {
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

function respond<T, U = T>(outcome: Outcome<T>, map?: (value: T) => U): Response {
  if (!outcome.ok) return errorResponse(outcome);
  return Response.json(map ? map(outcome.value) : outcome.value);
}

function toProjectInfo(s: ProjectSummary, url: string): ProjectInfo & { requests: number; errors: number } {
  return { ...s, previewUrl: url };
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
