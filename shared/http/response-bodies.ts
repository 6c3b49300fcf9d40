/**
 * The API's response bodies, as zod schemas: the client parses what comes back with them (api-client.ts),
 * and the API documents are generated from them. Every error body is `ErrorBody` (error-codes.ts).
 */
import { z } from "zod";
import { Diagnostic } from "../diagnostics";
import { LogEntry } from "../logs";
import { InstallReport, PackageLock, SavedPackage } from "../packages";
import { TypeCheckState } from "../type-check";

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
