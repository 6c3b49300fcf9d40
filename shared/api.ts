/**
 * The HTTP API's contract: one zod schema per request and response body, shared by the server
 * (which validates what comes in with them), the client (which parses what comes back with them) and
 * the route table (routes.ts), from which API documents and tool schemas can be generated. Every
 * error body is `ErrorBody`. Request bodies are strict (an unknown field is a 400).
 */
import { z } from "zod";
import { SqlQuery } from "./sql";

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
} as const;

export const projectIdPattern = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const ProjectId = z
  .string()
  .regex(projectIdPattern, "project ids are DNS labels: a-z, 0-9 and '-', at most 40 chars");

/** File names: relative paths of word-ish segments; no `..`, no leading `/`, no backslashes. */
const filePathPattern = /^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*\/)*[A-Za-z0-9_][A-Za-z0-9_.-]*\.(?:ts|js|mjs|json)$/;
export const FilePath = z
  .string()
  .max(120)
  .regex(filePathPattern, "file names are relative paths ending in .ts, .js, .mjs or .json, without '..'")
  .refine((p) => !p.split("/").includes(".."), "file names must not contain '..'");

export const envVarNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const EnvVarName = z
  .string()
  .regex(envVarNamePattern, "Variable names are letters, digits and '_', not starting with a digit");

/** A version number in a path: a whole number from 1. */
const VersionNumber = z.coerce
  .number({ error: "Versions are whole numbers from 1" })
  .int("Versions are whole numbers from 1")
  .min(1, "Versions are whole numbers from 1")
  .max(Number.MAX_SAFE_INTEGER, "Versions are whole numbers from 1");

/** A compile or start-up problem, pointing into the user's source. Lines and columns are 1-based. */
export const Diagnostic = z.object({
  file: z.string(),
  line: z.number(),
  column: z.number(),
  message: z.string(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

// Path parameters

export const ProjectParams = z.object({ id: ProjectId });
export const VersionParams = z.object({ id: ProjectId, version: VersionNumber });
export const EnvVarParams = z.object({ id: ProjectId, name: EnvVarName });

// Requests

export const CreateProjectRequest = z.strictObject({
  name: z.string().max(60).optional(),
  /** Starting code: a template name, or "blank" for a project with no code yet. */
  template: z.string().max(40).optional(),
});
export type CreateProjectRequest = z.infer<typeof CreateProjectRequest>;

export const PutCodeRequest = z.strictObject({
  files: z.record(
    FilePath,
    z.string().max(LIMITS.maxFileBytes, `a file may hold at most ${LIMITS.maxFileBytes / 1024} KiB`),
  ),
  main: FilePath.optional(),
  /**
   * The version these files were edited from (null: the project had none). When given and another
   * version went live since, the save is refused with 409 instead of replacing it unseen.
   */
  baseVersion: z.number().int().positive().nullable().optional(),
});
export type PutCodeRequest = z.infer<typeof PutCodeRequest>;

export const SqlRequest = z.strictObject(SqlQuery);
export type SqlRequest = z.infer<typeof SqlRequest>;

export const SetEnvVarRequest = z.strictObject({
  value: z.string().max(5_000),
  /** A secret's value is never returned by the API once set. */
  secret: z.boolean().optional(),
});
export type SetEnvVarRequest = z.infer<typeof SetEnvVarRequest>;

// Responses

export const HealthResponse = z.object({ ok: z.literal(true) });

export const TemplateInfo = z.object({ name: z.string(), title: z.string(), description: z.string() });
export type TemplateInfo = z.infer<typeof TemplateInfo>;
export const TemplatesResponse = z.object({ templates: z.array(TemplateInfo) });
export type TemplatesResponse = z.infer<typeof TemplatesResponse>;

export const CreateProjectResponse = z.object({ id: z.string(), token: z.string(), previewUrl: z.string() });
export type CreateProjectResponse = z.infer<typeof CreateProjectResponse>;

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
   * Code that went live but will fail when it runs, such as `env.ROOMS.getByName(room)` (an app is
   * one Durable Object; its env has no namespaces). The terminal shows them too.
   */
  warnings: z.array(Diagnostic),
});
export type PutCodeResponse = z.infer<typeof PutCodeResponse>;

export const CodeResponse = z.object({
  version: z.number().nullable(),
  main: z.string(),
  files: z.record(z.string(), z.string()),
});
export type CodeResponse = z.infer<typeof CodeResponse>;

export const VersionSummary = z.object({
  version: z.number(),
  codeId: z.string(),
  main: z.string(),
  /** The names of the version's files. */
  files: z.array(z.string()),
  createdAt: z.number(),
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

// Errors

export const ErrorCode = z.enum([
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "payload_too_large",
  "unsupported_media_type",
  "compile_error",
  "sql_error",
  "internal",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

const ErrorDetails = z.object({
  /** 422 compile_error: where the code went wrong. */
  diagnostics: z.array(Diagnostic).optional(),
  /** 409 conflict on a save: the version that is live now. */
  liveVersion: z.number().nullable().optional(),
  /** 400 bad_request: every problem the request's validation found. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const ErrorBody = z.object({
  error: z.object({ code: ErrorCode, message: z.string(), details: ErrorDetails.optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
