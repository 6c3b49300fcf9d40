/**
 * The HTTP API's contract: one zod schema per request and response body, shared by the server
 * (which validates what comes in with them), the client (which parses what comes back with them) and
 * the route table (routes.ts), from which API documents and tool schemas can be generated. Every
 * error body is `ErrorBody` (error-codes.ts). Request bodies are strict (an unknown field is a 400).
 */
import { z } from "zod";
import { Diagnostic } from "./diagnostics";
import { LogEntry, LogKind } from "./logs";
import { ObjectSelector } from "./objects";
import { InstallReport, PackageLock, SavedPackage } from "./packages";
import { SqlQuery } from "./sql";
import { TypeCheckState } from "./type-check";

export const LIMITS = {
  /** Largest JSON body the API accepts, in bytes. */
  maxBodyBytes: 1_048_576,
  /** Largest single source file, in bytes. */
  maxFileBytes: 512 * 1024,
  /** Most files in a project. */
  maxFiles: 64,
  /** Longest project id (a DNS label must fit in 63; we keep room for prefixes). */
  maxIdLength: 40,
  /** SQL console: rows returned before the result is cut. */
  sqlMaxRows: 500,
  /** Environment variables and secrets per project. */
  maxEnvVars: 50,
  /** Lines of log history the supervisor keeps per project. */
  logRingSize: 500,
  /** Largest WebSocket message a client may send, in bytes. */
  maxSocketMessageBytes: 64 * 1024,
  /**
   * Largest project bundle `POST /api/projects/import` accepts, and about the largest database a
   * dump carries (fork, export): a dump crosses the runtime's RPC, whose messages are limited to 32 MiB.
   */
  maxBundleBytes: 32 * 1024 * 1024,
  /** Log lines one read of the ring returns at most. */
  maxLogsRead: 500,
  /** An app response's body, as `request_app` returns it, is cut here. */
  appResponseBodyBytes: 64 * 1024,
  /** How long `request_app` reads a response body that is still streaming. */
  appResponseBodyWaitMs: 10_000,
} as const;

/**
 * Agent keys start with this, so the API tells a key from a project token (a random token never
 * does: it is redrawn if it would).
 */
export const AGENT_KEY_PREFIX = "fk_";

export { Diagnostic };

/**
 * A DNS label, so that `<id>.<domain>` is the app's origin, without `--`: `<id>--draft.<domain>` is
 * the draft's (one label, so one wildcard certificate covers both). Ids were always made by
 * slugify(), which never wrote `--`, so no existing id is excluded.
 */
export const projectIdPattern = /^(?!.*--)[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const ProjectId = z
  .string()
  .regex(projectIdPattern, "project ids are DNS labels: a-z, 0-9 and '-' (never '--'), at most 40 chars");

/**
/**
 * Names the IDE's own modules and bindings use inside every app (the wrapper module, its log and guard
 * modules, the env keys of its bridges). User files and variables may not take them.
 */
export const RESERVED_MODULE_PREFIX = "__facet_ide";
export const RESERVED_ENV_PREFIX = "__FACET_IDE";

/**
 * File names: relative paths of word-ish segments; no `..`, no leading `/`, no backslashes. Modules
 * are .ts, .tsx, .js, .jsx, .mjs and .json; a Worker project's configuration is wrangler.jsonc, .json or .toml,
 * and the files of its assets folder may also be web pages, styles and other text (.sql too: wrangler's
 * default rules import it as Text, as they do .txt and .html).
 */
export const FILE_EXTENSIONS = [
  "ts",
  "tsx",
  "js",
  "jsx",
  "mjs",
  "json",
  "jsonc",
  "toml",
  "html",
  "htm",
  "css",
  "txt",
  "svg",
  "md",
  "xml",
  "csv",
  "sql",
];
const filePathPattern = new RegExp(
  String.raw`^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*\/)*[A-Za-z0-9_][A-Za-z0-9_.-]*\.(?:${FILE_EXTENSIONS.join("|")})$`,
);
export const FilePath = z
  .string()
  .max(120)
  .regex(
    filePathPattern,
    "file names are relative paths ending in .ts, .tsx, .js, .jsx, .mjs or .json (or, in a Worker project, wrangler.jsonc/.toml and web files such as .html and .css), without '..'",
  )
  .refine((p) => !p.split("/").includes(".."), "file names must not contain '..'")
  .refine(
    (p) => !p.split("/").some((segment) => segment.toLowerCase().startsWith(RESERVED_MODULE_PREFIX)),
    `names starting with ${RESERVED_MODULE_PREFIX} are the IDE's own modules`,
  );

export const envVarNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Why `name` cannot be an environment variable, or null when it can. */
export function envVarNameProblem(name: string): string | null {
  if (!envVarNamePattern.test(name)) return "Variable names are letters, digits and _, and do not start with a digit";
  if (name === "__proto__") return "__proto__ cannot be a variable name (it is the prototype of this.env)";
  if (name.toUpperCase().startsWith(RESERVED_ENV_PREFIX)) {
    return `Names starting with ${RESERVED_ENV_PREFIX} are the IDE's own`;
  }
  return null;
}

export const EnvVarName = z
  .string()
  .superRefine((name, ctx) => {
    const problem = envVarNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe("The variable's name, as the app reads it: this.env.NAME");

const VERSION_MESSAGE = "Versions are whole numbers from 1";

/** A version number (an agent's tool argument): a whole number from 1. */
export const VersionNumber = z.coerce
  .number({ error: VERSION_MESSAGE })
  .int(VERSION_MESSAGE)
  .min(1, VERSION_MESSAGE)
  .max(Number.MAX_SAFE_INTEGER, VERSION_MESSAGE)
  .describe("A saved version's number (list_versions shows them)");

/**
 * A version number in a path: decimal digits only (Number() alone would read "0x1", "1e0" and " 1"
 * as version 1).
 */
const VersionInPath = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, `${VERSION_MESSAGE}, in decimal digits`)
  .transform(Number)
  .pipe(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER, VERSION_MESSAGE));

// Path parameters

export const ProjectParams = z.object({ id: ProjectId });
/** A Worker project's object in a path (objects.ts). */
export const ObjectParams = ProjectParams.extend({ object: ObjectSelector });
export const VersionParams = z.object({ id: ProjectId, version: VersionInPath });
export const EnvVarParams = z.object({ id: ProjectId, name: EnvVarName });

// Requests

export const CreateProjectRequest = z.strictObject({
  name: z
    .string()
    .max(60)
    .optional()
    .describe("Becomes the project's id (lower case, '-' for spaces); a random id when left out"),
  template: z
    .string()
    .max(40)
    .optional()
    .describe("Starting code: a template's name (notes, the default; chat; reminders), or 'blank' for no code yet"),
});
export type CreateProjectRequest = z.infer<typeof CreateProjectRequest>;

/**
 * Control characters (and the bidirectional overrides that make text read in another order) would
 * let a label rewrite what a terminal or the History panel shows around it.
 */
const LABEL_CONTROL = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/** A version's label: what changed, in a line (the IDE's own saves leave it out). */
export const VersionMessage = z
  .string()
  .max(200, "a version's message is at most 200 characters")
  .refine((m) => !LABEL_CONTROL.test(m), "a version's message is one line without control characters")
  .describe("A label for the new version (what changed, in a line of up to 200 characters), shown in the history");

export const PutCodeRequest = z.strictObject({
  files: z
    .record(FilePath, z.string().max(LIMITS.maxFileBytes, `a file may hold at most ${LIMITS.maxFileBytes / 1024} KiB`))
    .describe(
      "Every file of the new version, by name (app.ts, lib/util.ts, data.json): the whole project, not a patch; a file left out is gone from the new version",
    ),
  main: FilePath.optional().describe("The file that exports the App class; app.ts when there is one"),
  /**
   * The version these files were edited from (null: the project had none). When given and another
   * version went live since, the save is refused with 409 instead of replacing it unseen.
   */
  baseVersion: z
    .number()
    .int()
    .positive()
    .nullable()
    .optional()
    .describe(
      "The version these files were edited from (null if the project had none): the save is refused if another version went live since, so nobody's work is replaced unseen",
    ),
  message: VersionMessage.optional(),
});
export type PutCodeRequest = z.infer<typeof PutCodeRequest>;

export const SqlRequest = z.strictObject(SqlQuery);
export type SqlRequest = z.infer<typeof SqlRequest>;

export const SetEnvVarRequest = z.strictObject({
  value: z.string().max(5_000).describe("The value, a string of up to 5000 characters"),
  /** A secret's value is never returned by the API once set. */
  secret: z.boolean().optional().describe("A secret's value is never shown again once set"),
});
export type SetEnvVarRequest = z.infer<typeof SetEnvVarRequest>;

/** `GET /api/projects/:id/logs` query: lines after the cursor `since`, or the latest ones without it. */
export const LogsQuery = z.object({
  since: z.coerce
    .number({ error: "since is a cursor: the seq of the last line read" })
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .optional()
    .describe(
      "The cursor of the last read: only lines after it come back, oldest first. Leave out for the latest lines",
    ),
  limit: z.coerce
    .number({ error: `limit is a number from 1 to ${LIMITS.maxLogsRead}` })
    .int()
    .min(1)
    .max(LIMITS.maxLogsRead)
    .optional()
    .describe(`How many lines at most (1 to ${LIMITS.maxLogsRead}, 100 when left out)`),
  kind: LogKind.optional().describe("Only lines of this kind"),
  object: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe("Only a Worker project's object's lines: Class:name as the lines name it, or a class for all of its"),
  target: z.enum(["live", "draft"]).optional().describe("Only the live app's lines, or only the draft's"),
});
export type LogsQuery = z.infer<typeof LogsQuery>;

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Headers a client sets on a request to the app, by name. */
export const HTTP_HEADERS = z.record(z.string().max(256), z.string().max(8192));

/** Which app a request goes to: the live one (the default) or the draft, which runs on its copy of the data. */
export const AppTarget = z.enum(["live", "draft"]);
export type AppTarget = z.infer<typeof AppTarget>;

/** Same-origin redirects `redirect: "follow"` follows at most (a browser stops at 20; an app's loop stops here sooner). */
export const MAX_FOLLOWED_REDIRECTS = 5;

/** A request to send to the project's app, as its own origin would receive it. */
export const AppRequest = z.strictObject({
  method: z.enum(HTTP_METHODS).optional().describe("GET when left out"),
  path: z
    .string()
    .max(2048)
    .startsWith("/", "path starts with '/', such as /notes?limit=5")
    .describe("Path and query on the app's origin, such as /notes?limit=5"),
  headers: HTTP_HEADERS.optional().describe("Request headers, by name"),
  body: z.string().optional().describe("The request body as text (not with GET or HEAD)"),
  target: AppTarget.optional().describe(
    '"draft" sends it to the draft (its code, on its copy of the data); the live app by default',
  ),
  redirect: z
    .enum(["manual", "follow"])
    .optional()
    .describe(
      `"manual" (the default): a 3xx is the answer, with its Location. "follow": redirects to the app's own origin are followed (up to ${MAX_FOLLOWED_REDIRECTS}, each a request of its own); one elsewhere is still the answer`,
    ),
});
export type AppRequest = z.infer<typeof AppRequest>;

// Responses

export const HealthResponse = z.object({ ok: z.literal(true) });

export const TemplateInfo = z.object({ name: z.string(), title: z.string(), description: z.string() });
export type TemplateInfo = z.infer<typeof TemplateInfo>;
export const TemplatesResponse = z.object({ templates: z.array(TemplateInfo) });
export type TemplatesResponse = z.infer<typeof TemplatesResponse>;

export const CreateProjectResponse = z.object({ id: z.string(), token: z.string(), previewUrl: z.string() });
export type CreateProjectResponse = z.infer<typeof CreateProjectResponse>;

/** A new agent key: shown this once, stored by the server as a hash. */
export const CreateKeyResponse = z.object({ key: z.string() });
export type CreateKeyResponse = z.infer<typeof CreateKeyResponse>;

/** A project created with an agent key, as the key's list shows it. */
export const ProjectListing = z.object({ id: z.string(), previewUrl: z.string(), createdAt: z.number() });
export type ProjectListing = z.infer<typeof ProjectListing>;
/** The projects created with the caller's agent key, newest first. */
export const ProjectsResponse = z.object({ projects: z.array(ProjectListing) });
export type ProjectsResponse = z.infer<typeof ProjectsResponse>;

export const LogsResponse = z.object({
  /** Oldest first. */
  entries: z.array(LogEntry),
  /** Pass as `since` to read what comes after these lines (the seq of the last one). */
  cursor: z.number(),
  /** True when more lines after `cursor` are already there (read again at once). */
  more: z.boolean(),
  /** Lines after `since` that the ring no longer holds (it keeps the last 500). */
  missed: z.number(),
});
export type LogsResponse = z.infer<typeof LogsResponse>;

/** A Worker project's Durable Object, as a request's answer names those it called. */
export const ServedObject = z.object({ class: z.string(), name: z.string().nullable(), id: z.string() });
export type ServedObject = z.infer<typeof ServedObject>;

/** What the app answered a request sent with `POST /api/projects/:id/request`. */
export const AppResponse = z.object({
  status: z.number(),
  headers: z.record(z.string(), z.string()),
  /** The body as text, or as base64 when it is not text (see `bodyEncoding`). */
  body: z.string(),
  bodyEncoding: z.enum(["text", "base64"]),
  /** True when the body was cut (at 64 KiB, or after streaming for 10 s); `note` says which. */
  truncated: z.boolean(),
  note: z.string().optional(),
  /** The version that answered (null when the project has no code yet). */
  version: z.number().nullable(),
  durationMs: z.number(),
  /**
   * What the request wrote to the log: its request line, its console lines, its exception, and a
   * Worker project's calls to its objects made for it (with what they printed).
   */
  logs: z.array(LogEntry),
  /** A Worker project's objects this request called, in the order of their first call. */
  objects: z.array(ServedObject).optional(),
  /** The redirects followed (with `redirect: "follow"`), in order; the answer is the last hop's. */
  redirects: z.array(z.object({ status: z.number(), location: z.string() })).optional(),
});
export type AppResponse = z.infer<typeof AppResponse>;

export const ProjectInfo = z.object({
  id: z.string(),
  /** Live version number, or null before the first save. */
  version: z.number().nullable(),
  codeId: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  previewUrl: z.string(),
  /** Requests the app has served, and how many of them failed (5xx or an exception). */
  requests: z.number(),
  errors: z.number(),
});
export type ProjectInfo = z.infer<typeof ProjectInfo>;

export const PutCodeResponse = z.object({
  version: z.number(),
  codeId: z.string(),
  /** False when the content equalled the live version and nothing was created. */
  created: z.boolean(),
  /**
   * Code that went live but will fail when it runs, such as `env.ROOMS.getByName(room)` on a
   * namespace env does not have (an App project has none; a Worker project has those its
   * wrangler.jsonc binds), and parts of the configuration a project here ignores. The terminal shows
   * them too. Packages add theirs: an import package.json does not list (with the version used), a
   * devDependency bundled, a peer conflict.
   */
  warnings: z.array(Diagnostic),
  /**
   * Where TypeScript's check of the files stood (shared/type-check.ts): its diagnostics are among the
   * warnings when "done"; when "running" they follow in the terminal (a `type-check` line). Absent
   * when nothing was saved.
   */
  typeCheck: TypeCheckState.optional(),
  /** The npm packages whose modules the app loads (docs/packages.md). */
  packages: z.array(SavedPackage).optional(),
  /** What the save did to get each package's files: fetched from the registry, or found in the cache. */
  installed: z.array(InstallReport).optional(),
});
export type PutCodeResponse = z.infer<typeof PutCodeResponse>;

export const CodeResponse = z.object({
  version: z.number().nullable(),
  main: z.string(),
  files: z.record(z.string(), z.string()),
  /** The version's npm packages, exactly (empty for none). */
  lock: PackageLock.optional(),
});
export type CodeResponse = z.infer<typeof CodeResponse>;

/**
 * A version's data snapshot: the app's database as that version left it, taken when the next version
 * went live (or by `snapshotNow`). `note` says why there is none (not taken, or dropped by retention).
 */
export const VersionData = z.object({
  snapshot: z.boolean(),
  /** The database's size when the snapshot was taken. */
  bytes: z.number().optional(),
  takenAt: z.number().optional(),
  note: z.string().optional(),
});
export type VersionData = z.infer<typeof VersionData>;

export const VersionSummary = z.object({
  version: z.number(),
  codeId: z.string(),
  main: z.string(),
  /** The names of the version's files. */
  files: z.array(z.string()),
  createdAt: z.number(),
  /** The label it was saved with; null for none. */
  message: z.string().nullable(),
  /** Its npm packages, exactly (empty for none). */
  lock: PackageLock.optional(),
  data: VersionData,
});
export type VersionSummary = z.infer<typeof VersionSummary>;
export const VersionsResponse = z.object({ versions: z.array(VersionSummary) });
export type VersionsResponse = z.infer<typeof VersionsResponse>;

/** An environment variable as the API shows it: secrets without their value. */
export const EnvVarInfo = z.discriminatedUnion("secret", [
  z.object({ name: z.string(), secret: z.literal(false), value: z.string() }),
  z.object({ name: z.string(), secret: z.literal(true) }),
]);
export type EnvVarInfo = z.infer<typeof EnvVarInfo>;
export const EnvResponse = z.object({ vars: z.array(EnvVarInfo) });
export type EnvResponse = z.infer<typeof EnvResponse>;

// Errors: the codes, their statuses and the error body are error-codes.ts's.

export { ErrorBody, ErrorCode } from "./http/error-codes";
