/**
 * The SQL console's contract, declared once: what a statement may bind, and what it answers. The
 * HTTP route (`POST /api/projects/:id/sql`), the terminal WebSocket's `sql` message, the supervisor
 * and the facet's console method all use these.
 */
import { z } from "zod";
import { ObjectSelector } from "./objects";

/** SQLite binds at most 100 parameters to a statement (Cloudflare's limit for Durable Objects). */
const MAX_SQL_PARAMS = 100;
/** Cloudflare's limit on the length of one SQL statement. */
const MAX_SQL_LENGTH = 100_000;

/** A value bound to a `?`. Booleans are bound as 1 and 0, as SQLite has no boolean type. */
export const SqlParam = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type SqlParam = z.infer<typeof SqlParam>;

const SqlText = z.string().min(1).max(MAX_SQL_LENGTH);
const SqlParams = z.array(SqlParam).max(MAX_SQL_PARAMS);

/** Which database a statement runs on: the live app's (the default) or the draft's copy. */
export const SqlTarget = z.enum(["live", "draft"]);
export type SqlTarget = z.infer<typeof SqlTarget>;

/** A statement and its parameters: the body of the HTTP route and the fields of the `sql` message. */
export const SqlQuery = {
  sql: SqlText.describe("One SQLite statement (or several separated by ';'; the last one's rows come back)"),
  params: SqlParams.optional().describe("Values for the statement's ? placeholders, in order"),
  target: SqlTarget.optional().describe(
    '"draft" runs it on the draft\'s copy of the data; the live database by default',
  ),
  object: ObjectSelector.optional(),
};

/** A column value: BLOBs come back as the hex of their first 32 bytes and their length. */
export const SqlValue = z.union([
  z.string(),
  z.number(),
  z.null(),
  z.object({ blob: z.string(), bytes: z.number().int().nonnegative() }),
]);
export type SqlValue = z.infer<typeof SqlValue>;

export const SqlResult = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(SqlValue)),
  rowsRead: z.number(),
  rowsWritten: z.number(),
  durationMs: z.number(),
  /** True when more rows matched than were returned; `totalRows` then says how many were counted. */
  truncated: z.boolean(),
  totalRows: z.number(),
  /** A Worker project's object the statement ran on (`Flight:1234`); absent for an App project. */
  object: z.string().optional(),
  /**
   * False when counting stopped before the last row (after 100,000 rows or 250 ms): there are at
   * least `totalRows`. The console never reads a whole 10-million-row result just to count it.
   */
  totalRowsExact: z.boolean(),
});
export type SqlResult = z.infer<typeof SqlResult>;
