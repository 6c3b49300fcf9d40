/**
 * Changing one file of a project without sending all of them (`POST /api/projects/{id}/code/edit`,
 * the MCP tool edit_file), and deleting a project (`DELETE /api/projects/{id}`): their request and
 * response bodies.
 */
import { z } from "zod";
import { Diagnostic, FilePath, LIMITS, PutCodeRequest, PutCodeResponse, VersionMessage } from "./api";

/** One replacement: `oldText` must occur exactly once in the file. */
export const TextEdit = z.strictObject({
  oldText: z
    .string()
    .max(LIMITS.maxFileBytes)
    .describe(
      "Text that occurs exactly once in the file, whitespace included ('' with a single edit creates the file when it does not exist)",
    ),
  newText: z.string().max(LIMITS.maxFileBytes).describe("What replaces it"),
});
export type TextEdit = z.infer<typeof TextEdit>;

export const EditCodeRequest = z.strictObject({
  file: FilePath.describe("The file to change, by name (app.ts, lib/util.ts)"),
  edits: z
    .array(TextEdit)
    .min(1, "give at least one edit")
    .max(50, "at most 50 edits at once")
    .describe("Replacements applied in order, each to the result of the one before"),
  target: z
    .enum(["live", "draft"])
    .optional()
    .describe(
      '"live" (the default): a new live version; "draft": a new revision of the draft, on its copy of the data',
    ),
  baseVersion: PutCodeRequest.shape.baseVersion.describe(
    "For the live target: the version the edits were written against; refused if another went live since (the default is the version the edit read)",
  ),
  message: VersionMessage.optional(),
});
export type EditCodeRequest = z.infer<typeof EditCodeRequest>;

export const EditCodeResponse = z.object({
  target: z.enum(["live", "draft"]),
  file: z.string(),
  /** Whether the file did not exist before (an edit with oldText ""). */
  createdFile: z.boolean(),
  /** The new live version (live target). */
  version: z.number().optional(),
  /** The draft's new revision (draft target). */
  revision: z.number().optional(),
  codeId: z.string(),
  created: z.boolean(),
  warnings: z.array(Diagnostic),
  // As a save of every file answers them (the type check, the packages).
  ...PutCodeResponse.pick({ typeCheck: true, packages: true, installed: true }).shape,
});
export type EditCodeResponse = z.infer<typeof EditCodeResponse>;

export const DeleteProjectRequest = z.strictObject({
  confirm: z.string().max(100).describe("The project's id again: a deletion cannot be undone"),
});
export type DeleteProjectRequest = z.infer<typeof DeleteProjectRequest>;

export const DeleteProjectResponse = z.object({ deleted: z.string() });
export type DeleteProjectResponse = z.infer<typeof DeleteProjectResponse>;
