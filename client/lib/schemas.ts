/**
 * Runtime checks for everything the client reads off the network. The types in shared/ are the
 * contract; these schemas make a server that drifts from it fail loudly at the boundary instead of
 * deep inside a component.
 */
import { z } from "zod";
import type {
  CodeResponse,
  CreateProjectResponse,
  Diagnostic,
  EnvResponse,
  PutCodeResponse,
  SqlResult,
  SqlValue,
  VersionsResponse,
} from "../../shared/api";
import type { LogEntry, ServerMessage } from "../../shared/protocol";

export const DiagnosticSchema = z.object({
  file: z.string(),
  line: z.number(),
  column: z.number(),
  message: z.string(),
}) satisfies z.ZodType<Diagnostic>;

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z
      .looseObject({ diagnostics: z.array(DiagnosticSchema).optional(), liveVersion: z.number().nullable().optional() })
      .optional(),
  }),
});

export const CreateProjectResponseSchema = z.object({
  id: z.string(),
  token: z.string(),
  previewUrl: z.string(),
}) satisfies z.ZodType<CreateProjectResponse>;

/** The server adds request and error counters to `ProjectInfo`; older servers may not. */
export const ProjectInfoSchema = z.object({
  id: z.string(),
  version: z.number().nullable(),
  codeId: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  previewUrl: z.string(),
  requests: z.number().optional(),
  errors: z.number().optional(),
});
export type ProjectDetails = z.infer<typeof ProjectInfoSchema>;

export const CodeResponseSchema = z.object({
  version: z.number().nullable(),
  main: z.string(),
  files: z.record(z.string(), z.string()),
}) satisfies z.ZodType<CodeResponse>;

export const PutCodeResponseSchema = z.object({
  version: z.number(),
  codeId: z.string(),
  created: z.boolean(),
  warnings: z.array(DiagnosticSchema),
}) satisfies z.ZodType<PutCodeResponse>;

export const VersionsResponseSchema = z.object({
  versions: z.array(
    z.object({
      version: z.number(),
      codeId: z.string(),
      main: z.string(),
      files: z.array(z.string()),
      createdAt: z.number(),
    }),
  ),
}) satisfies z.ZodType<VersionsResponse>;
export type VersionInfo = z.infer<typeof VersionsResponseSchema>["versions"][number];

export const TemplatesResponseSchema = z.object({
  templates: z.array(z.object({ name: z.string(), title: z.string(), description: z.string() })),
});
export type TemplateInfo = z.infer<typeof TemplatesResponseSchema>["templates"][number];

export const EnvResponseSchema = z.object({
  vars: z.array(
    z.discriminatedUnion("secret", [
      z.object({ name: z.string(), secret: z.literal(false), value: z.string() }),
      z.object({ name: z.string(), secret: z.literal(true) }),
    ]),
  ),
}) satisfies z.ZodType<EnvResponse>;

const SqlValueSchema = z.union([
  z.string(),
  z.number(),
  z.null(),
  z.object({ blob: z.string(), bytes: z.number() }),
]) satisfies z.ZodType<SqlValue>;

export const SqlResultSchema = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(SqlValueSchema)),
  rowsRead: z.number(),
  rowsWritten: z.number(),
  durationMs: z.number(),
  truncated: z.boolean(),
  totalRows: z.number(),
}) satisfies z.ZodType<SqlResult>;

const entryBase = { seq: z.number(), at: z.number(), version: z.number().nullable() };

export const LogEntrySchema = z.discriminatedUnion("kind", [
  z.object({
    ...entryBase,
    kind: z.literal("request"),
    method: z.string(),
    path: z.string(),
    status: z.number().nullable(),
    durationMs: z.number().nullable(),
    outcome: z.string(),
  }),
  z.object({
    ...entryBase,
    kind: z.literal("console"),
    level: z.enum(["debug", "log", "info", "warn", "error"]),
    message: z.string(),
  }),
  z.object({
    ...entryBase,
    kind: z.literal("exception"),
    name: z.string(),
    message: z.string(),
    stack: z.string().optional(),
  }),
  z.object({ ...entryBase, kind: z.literal("deploy"), codeId: z.string() }),
  z.object({
    ...entryBase,
    kind: z.literal("save-error"),
    message: z.string(),
    diagnostics: z.array(DiagnosticSchema),
  }),
  z.object({
    ...entryBase,
    kind: z.literal("system"),
    level: z.enum(["info", "warn", "error"]),
    message: z.string(),
  }),
]) satisfies z.ZodType<LogEntry>;

export const ServerMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("hello"),
    projectId: z.string(),
    version: z.number().nullable(),
    history: z.array(LogEntrySchema),
  }),
  z.object({ type: z.literal("logs"), entries: z.array(LogEntrySchema) }),
  z.object({ type: z.literal("sql-result"), id: z.string(), result: SqlResultSchema }),
  z.object({ type: z.literal("sql-error"), id: z.string(), message: z.string() }),
  z.object({ type: z.literal("pong") }),
  z.object({ type: z.literal("error"), message: z.string() }),
]) satisfies z.ZodType<ServerMessage>;
