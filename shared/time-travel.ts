/**
 * The time-travel part of the HTTP API's contract (see api.ts): restore, snapshots, drafts, fork,
 * export and import.
 */
import { z } from "zod";
import {
  CreateProjectResponse,
  EnvVarName,
  FilePath,
  LIMITS,
  PutCodeRequest,
  PutCodeResponse,
  VersionData,
} from "./api";
import { Diagnostic } from "./diagnostics";
import { DataDump } from "./dump";
import { NetworkPolicy } from "./network/policy";
import { ObjectSelector } from "./objects";
import { PackageLock } from "./packages";

export const RestoreRequest = z.strictObject({
  /** True: the app's database becomes the version's snapshot (today's is snapshotted first). */
  data: z
    .boolean()
    .describe(
      "true: the app's database goes back to that version's snapshot too (today's data is snapshotted first); false: code only",
    ),
  object: ObjectSelector.optional().describe(
    "With data: true in a Worker project, only this object's database goes back to the snapshot (its ID, Class:name, or a name one object has); the others keep theirs",
  ),
});
export type RestoreRequest = z.infer<typeof RestoreRequest>;

export const RestoreResponse = PutCodeResponse.extend({
  /** Whether the database was replaced by the version's snapshot. */
  restoredData: z.boolean(),
  /** The version whose snapshot now holds the data the restore replaced (restore it to undo). */
  undoWith: z.number().nullable(),
});
export type RestoreResponse = z.infer<typeof RestoreResponse>;

/** How many snapshots a project keeps: the newest `maxVersions`, within `maxBytes` in all. */
export const SnapshotSettings = z.strictObject({
  maxVersions: z.number().int().min(0).max(1000),
  maxBytes: z.number().int().min(0),
});
export type SnapshotSettings = z.infer<typeof SnapshotSettings>;
export const SetSnapshotSettingsRequest = SnapshotSettings.partial();
export type SetSnapshotSettingsRequest = z.infer<typeof SetSnapshotSettingsRequest>;

export const SnapshotsResponse = z.object({
  /** False when the platform refused to copy a database (`reason` says so): no snapshots, no drafts. */
  enabled: z.boolean(),
  reason: z.string().optional(),
  settings: SnapshotSettings,
  /** Snapshots kept now, and their bytes in all. */
  count: z.number(),
  bytes: z.number(),
  /**
   * The live database's size, a Worker project's every object's added up (null when it cannot be
   * measured now), and whether a save would snapshot it.
   */
  liveBytes: z.number().nullable(),
  liveFits: z.boolean(),
});
export type SnapshotsResponse = z.infer<typeof SnapshotsResponse>;

export const SnapshotNowResponse = z.object({ version: z.number().nullable(), data: VersionData });
export type SnapshotNowResponse = z.infer<typeof SnapshotNowResponse>;

export const DraftCodeRequest = PutCodeRequest.omit({ baseVersion: true });
export type DraftCodeRequest = z.infer<typeof DraftCodeRequest>;

export const DraftInfo = z.object({
  /** Counts the draft's saves that changed its code. */
  revision: z.number(),
  codeId: z.string(),
  main: z.string(),
  files: z.record(z.string(), z.string()),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** The live version when the draft copied the live data. */
  basedOnVersion: z.number().nullable(),
  previewUrl: z.string(),
});
export type DraftInfo = z.infer<typeof DraftInfo>;
export const DraftResponse = z.object({ draft: DraftInfo.nullable() });
export type DraftResponse = z.infer<typeof DraftResponse>;

export const DraftCodeResponse = z.object({
  revision: z.number(),
  codeId: z.string(),
  created: z.boolean(),
  warnings: z.array(Diagnostic),
  previewUrl: z.string(),
});
export type DraftCodeResponse = z.infer<typeof DraftCodeResponse>;

export const PromoteDraftRequest = z.strictObject({
  /** "live": keep the live data (the new code's migrations run on it); "draft": take the draft's. */
  data: z
    .enum(["live", "draft"])
    .describe('"live": the new code runs on the live data; "draft": the draft\'s data replaces it (snapshotted first)'),
});
export type PromoteDraftRequest = z.infer<typeof PromoteDraftRequest>;
export const PromoteDraftResponse = PutCodeResponse.extend({ data: z.enum(["live", "draft"]) });
export type PromoteDraftResponse = z.infer<typeof PromoteDraftResponse>;

export const DiscardDraftResponse = z.object({ discarded: z.boolean() });

export const ForkProjectRequest = z.strictObject({
  name: z.string().max(60).optional().describe("The new project's id (a random one when left out)"),
});
export type ForkProjectRequest = z.infer<typeof ForkProjectRequest>;

/** A variable in a bundle: a secret's value is left out of an export (and must be set again). */
export const BundleEnvVar = z.object({
  name: EnvVarName,
  secret: z.boolean(),
  value: z.string().max(5_000).optional(),
});

/** A whole project in one JSON document: what `export` downloads and `import` takes. */
export const ProjectBundle = z.object({
  format: z.literal("facet-ide-project/1"),
  exportedAt: z.number(),
  /** Where it came from: the project and its live version. */
  source: z.object({ id: z.string(), version: z.number().nullable() }),
  main: FilePath,
  files: PutCodeRequest.shape.files,
  env: z.array(BundleEnvVar).max(LIMITS.maxEnvVars),
  /** The App's database (empty for a Worker project, whose data is its objects'). */
  data: DataDump,
  /** A Worker project's Durable Objects, each with its database. */
  objects: z
    .array(
      z.object({
        class: z.string().max(100),
        id: z.string().regex(/^[0-9a-f]{64}$/, "an object's ID is 64 hex digits"),
        name: z.string().max(1_024).nullable(),
        data: DataDump,
      }),
    )
    .max(10_000)
    .optional(),
  /** The network policy (its headers name secrets; their values travel, or not, with `env`). */
  network: NetworkPolicy.optional(),
  /** The live version's npm packages, exactly: the copy installs these versions (docs/packages.md). */
  lock: PackageLock.max(1_000).optional(),
});
export type ProjectBundle = z.infer<typeof ProjectBundle>;

export const ImportProjectRequest = ProjectBundle.extend({
  /** The new project's name (a random one when left out). */
  name: z.string().max(60).optional(),
});
export type ImportProjectRequest = z.infer<typeof ImportProjectRequest>;

export const ImportProjectResponse = CreateProjectResponse.extend({
  /** Secrets the bundle named without their values: set them again (they are empty until then). */
  secretsToSet: z.array(z.string()),
});
export type ImportProjectResponse = z.infer<typeof ImportProjectResponse>;
