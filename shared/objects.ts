/**
 * A Worker project's Durable Objects as the API lists them (`GET /api/projects/:id/objects`), and
 * the `object` parameter the SQL console, the Data view, snapshots, drafts and the meter take to name
 * one. An App project has one object, its App, which these leave out.
 */
import { z } from "zod";

export const ObjectInfo = z.object({
  /** The object's ID: 64 hex digits, as `idFromName`, `idFromString` and `newUniqueId` give it. */
  id: z.string(),
  /** Its class, as the project's configuration binds it. */
  class: z.string(),
  /** The name it was reached by (`getByName`, `idFromName`); null for an ID made otherwise. */
  name: z.string().nullable(),
  /** How the IDE and the terminal name it: `Flight:1234`, or `Flight:#3f2a1b0c` without a name. */
  label: z.string(),
  createdAt: z.number(),
  lastActiveAt: z.number(),
  /** Calls to it (fetch, RPC, alarms) and how many failed, since it was made. */
  requests: z.number(),
  errors: z.number(),
  /** Its database's size when last measured (null: not yet). */
  bytes: z.number().nullable(),
  /** SQLite rows it read and wrote (its meter's counts, as Cloudflare bills them), since it was made. */
  rowsRead: z.number(),
  rowsWritten: z.number(),
});
export type ObjectInfo = z.infer<typeof ObjectInfo>;

export const ObjectsResponse = z.object({
  /** Whether the project is a Worker project (a wrangler.jsonc with Durable Object bindings). */
  worker: z.boolean(),
  /** Its objects, most used first. */
  objects: z.array(ObjectInfo),
  /** The project's `objects` limit. */
  limit: z.number(),
});
export type ObjectsResponse = z.infer<typeof ObjectsResponse>;

/** Names one object: its ID, `Class:name`, or a name only one object has. */
export const ObjectSelector = z
  .string()
  .min(1)
  .max(1_100)
  .describe(
    "A Worker project's object: its ID, Class:name (Flight:1234) or a name one object has; by default the one the app uses most",
  );

export const ObjectQuery = z.object({ object: ObjectSelector.optional() });
export type ObjectQuery = z.infer<typeof ObjectQuery>;

export const DeleteObjectResponse = z.object({ deleted: z.string().describe("The object deleted, as Class:name") });
