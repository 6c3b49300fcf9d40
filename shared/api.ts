/**
 * HTTP API contract, shared by the server (which validates with these schemas) and the client
 * (which uses the inferred types). Every error body is `ErrorBody`.
 */
import { z } from "zod";

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
export const filePathPattern = /^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*\/)*[A-Za-z0-9_][A-Za-z0-9_.-]*\.(?:ts|js|mjs|json)$/;
export const FilePath = z
  .string()
  .max(120)
  .regex(filePathPattern, "file names are relative paths ending in .ts, .js, .mjs or .json, without '..'")
  .refine((p) => !p.split("/").includes(".."), "file names must not contain '..'");

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

export const SqlRequest = z.strictObject({
  sql: z.string().min(1).max(100_000),
  params: z
    .array(z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .max(100)
    .optional(),
});
export type SqlRequest = z.infer<typeof SqlRequest>;

export const envVarNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const SetEnvVarRequest = z.strictObject({
  value: z.string().max(5_000),
  /** A secret's value is never returned by the API once set. */
  secret: z.boolean().optional(),
});
export type SetEnvVarRequest = z.infer<typeof SetEnvVarRequest>;

/** An environment variable as the API shows it: secrets without their value. */
export type EnvVarInfo = { name: string; secret: false; value: string } | { name: string; secret: true };

export interface EnvResponse {
  vars: EnvVarInfo[];
}

export interface CreateProjectResponse {
  id: string;
  token: string;
  previewUrl: string;
}

export interface ProjectInfo {
  id: string;
  /** Live version number, or null before the first save. */
  version: number | null;
  codeId: string | null;
  createdAt: number;
  updatedAt: number;
  previewUrl: string;
}

export interface PutCodeResponse {
  version: number;
  codeId: string;
  /** False when the content equalled the live version and nothing was created. */
  created: boolean;
  /**
   * Code that went live but will fail when it runs, such as `env.ROOMS.getByName(room)` (an app is
   * one Durable Object; its env has no namespaces). The terminal shows them too.
   */
  warnings: Diagnostic[];
}

export interface CodeResponse {
  version: number | null;
  main: string;
  files: Record<string, string>;
}

export interface VersionSummary {
  version: number;
  codeId: string;
  main: string;
  files: string[];
  createdAt: number;
}

export interface VersionsResponse {
  versions: VersionSummary[];
}

/** A compile or start-up problem, pointing into the user's source. Lines and columns are 1-based. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
}

export type SqlValue = string | number | null | { blob: string; bytes: number };

export interface SqlResult {
  columns: string[];
  rows: SqlValue[][];
  rowsRead: number;
  rowsWritten: number;
  durationMs: number;
  /** True when more rows matched than were returned; `totalRows` then says how many. */
  truncated: boolean;
  totalRows: number;
}

export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "compile_error"
  | "sql_error"
  | "app_error"
  | "internal";

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: { diagnostics?: Diagnostic[] } & Record<string, unknown> };
}
