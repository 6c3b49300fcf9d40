/**
 * The API's request bodies and queries, as zod schemas: the server validates what comes in with them,
 * and the route table (routes.ts) and the MCP tools are generated from them. Request bodies are strict
 * (an unknown field is a 400).
 */
import { z } from "zod";
import { FilePath } from "../identifiers";
import { LIMITS } from "../limits";
import { LogKind } from "../logs";
import { SqlQuery } from "../sql";

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
