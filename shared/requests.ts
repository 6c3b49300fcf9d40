/**
 * Recorded requests (server/supervisor/requests/): what the app's origins served, kept per project
 * (the last `keep`, redacted), and their replay on the live app or the draft with what changed.
 */
import { z } from "zod";
import { HTTP_METHODS, ProjectParams } from "./api";

/** How many requests a project keeps at most, and by default. */
export const REQUESTS_KEEP_MAX = 1000;
export const REQUESTS_KEEP_DEFAULT = 200;
/** Bytes of each body that are kept (the rest is counted, not stored). */
export const RECORDED_BODY_BYTES = 64 * 1024;
/** Requests one replay report sends at most. */
export const REPLAY_MAX = 200;

/** What stands in for a redacted value (a header's, or a secret's inside a query string or body). */
export const REDACTED = "[redacted]";

export const RequestSettings = z.object({
  enabled: z.boolean(),
  keep: z.number().int(),
});
export type RequestSettings = z.infer<typeof RequestSettings>;

export const PutRequestSettings = z.strictObject({
  enabled: z.boolean().optional().describe("false stops recording (what is kept stays)"),
  keep: z
    .number()
    .int()
    .min(1)
    .max(REQUESTS_KEEP_MAX)
    .optional()
    .describe(`How many of the latest requests are kept (${REQUESTS_KEEP_DEFAULT} by default)`),
});
export type PutRequestSettings = z.infer<typeof PutRequestSettings>;

export const RequestParams = ProjectParams.extend({ rid: z.coerce.number().int().positive() });

export const RequestsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(REQUESTS_KEEP_MAX).optional().describe("50 by default"),
  status: z
    .string()
    .regex(/^([1-5]\d\d|[1-5]xx|error)$/, "status is a code (404), a class (5xx) or error (an exception)")
    .optional()
    .describe("A status (404), a class (5xx), or error: those that threw"),
  path: z.string().max(2048).optional().describe("Only requests whose path and query contain this"),
  method: z.enum(HTTP_METHODS).optional(),
});
export type RequestsQuery = z.infer<typeof RequestsQuery>;

/** One recorded request in a list. */
export const RequestSummary = z.object({
  id: z.number(),
  at: z.number(),
  /** Which origin served it. */
  target: z.enum(["live", "draft"]),
  /** The version that answered ("7"), or the draft's revision ("draft-2"). */
  version: z.string(),
  method: z.string(),
  /** Path and query, redacted. */
  path: z.string(),
  status: z.number(),
  durationMs: z.number(),
  /** The name of what it threw, if it did. */
  exception: z.string().nullable(),
  websocket: z.boolean(),
});
export type RequestSummary = z.infer<typeof RequestSummary>;

export const RequestsResponse = z.object({ requests: z.array(RequestSummary), settings: RequestSettings });
export type RequestsResponse = z.infer<typeof RequestsResponse>;

/** A body as kept: text, or base64 when it is not text; `size` is the whole body's, `truncated` when longer than kept. */
export const RecordedBody = z.object({
  body: z.string(),
  encoding: z.enum(["text", "base64"]),
  size: z.number(),
  truncated: z.boolean(),
});
export type RecordedBody = z.infer<typeof RecordedBody>;

/** One side of a recorded WebSocket session: how many messages it sent, its first and last (each cut like a body). */
export const RecordedSide = z.object({
  count: z.number(),
  first: RecordedBody.nullable(),
  last: RecordedBody.nullable(),
});
export type RecordedSide = z.infer<typeof RecordedSide>;

export const RecordedMessages = z.object({ client: RecordedSide, app: RecordedSide });
export type RecordedMessages = z.infer<typeof RecordedMessages>;

export const RecordedRequest = RequestSummary.extend({
  request: RecordedBody.extend({ headers: z.record(z.string(), z.string()) }),
  response: RecordedBody.extend({ headers: z.record(z.string(), z.string()) }),
  /**
   * The lines it logged (its request line, console lines, exception, a Worker project's calls), each a
   * LogEntry as read_logs gives it; described loosely so the tool's schema stays small (the IDE parses
   * each with LogEntry).
   */
  logs: z.array(z.looseObject({ kind: z.string(), at: z.number() }).describe("A LogEntry, as read_logs gives it")),
  /** A Worker project's objects it called, as Class:name. */
  objects: z.array(z.string()),
  /** Headers whose values were redacted (Authorization, Cookie, Set-Cookie, ones holding a secret). */
  redacted: z.array(z.string()),
  /** Calls the app made to other origins (filled by the network gateway once it records them). */
  outbound: z.array(z.object({ method: z.string(), url: z.string(), status: z.number().nullable() })).optional(),
  /** A WebSocket session's first and last messages of each side (once it ended, or as far as it came when written). */
  messages: RecordedMessages.optional(),
});
export type RecordedRequest = z.infer<typeof RecordedRequest>;

export const ReplayTarget = z.enum(["live", "draft"]);

export const ReplayOneRequest = z.strictObject({
  target: ReplayTarget.describe(
    '"draft": on the draft\'s copy of the data; "live": on the live app (its writes are real)',
  ),
});

/** A part of a diff between two bodies: kept, only in the replayed answer (added), or only in the recorded one. */
export const DiffPart = z.object({ op: z.enum(["same", "added", "removed"]), text: z.string() });
export type DiffPart = z.infer<typeof DiffPart>;

/** What differs between the recorded answer and the replayed one. */
export const AnswerChange = z.enum(["status", "body", "exception"]);
export type AnswerChange = z.infer<typeof AnswerChange>;

export const ReplayAnswer = z.object({
  status: z.number(),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
  encoding: z.enum(["text", "base64"]),
  exception: z.string().nullable(),
});
export type ReplayAnswer = z.infer<typeof ReplayAnswer>;

export const ReplayOneResponse = z.object({
  id: z.number(),
  target: ReplayTarget,
  recorded: ReplayAnswer,
  replayed: ReplayAnswer,
  same: z.boolean(),
  changes: z.array(AnswerChange),
  /** The bodies' diff by line (text bodies only). */
  diff: z.array(DiffPart),
  /** What the replay could not repeat as it was (redacted headers sent redacted, a body cut at 64 KiB). */
  notes: z.array(z.string()),
});
export type ReplayOneResponse = z.infer<typeof ReplayOneResponse>;

export const ReplayManyRequest = z.strictObject({
  target: z.literal("draft").describe("Replays go to the draft, on its copy of the data"),
  last: z
    .number()
    .int()
    .min(1)
    .max(REPLAY_MAX)
    .optional()
    .describe("How many of the latest live requests (20 by default)"),
  methods: z.array(z.enum(HTTP_METHODS)).optional().describe("Only these methods"),
});
export type ReplayManyRequest = z.infer<typeof ReplayManyRequest>;

export const ReplayItem = z.object({
  id: z.number(),
  method: z.string(),
  path: z.string(),
  recordedStatus: z.number(),
  status: z.number().nullable(),
  outcome: z.enum(["same", "changed", "skipped"]),
  changes: z.array(AnswerChange),
  /** A changed request that failed (5xx or an exception) when recorded and does not now, or the reverse. */
  fixed: z.boolean(),
  broken: z.boolean(),
  note: z.string().optional(),
});
export type ReplayItem = z.infer<typeof ReplayItem>;

export const ReplayReport = z.object({
  target: z.literal("draft"),
  items: z.array(ReplayItem),
  totals: z.object({
    same: z.number(),
    changed: z.number(),
    skipped: z.number(),
    fixed: z.number(),
    broken: z.number(),
  }),
  notes: z.array(z.string()),
});
export type ReplayReport = z.infer<typeof ReplayReport>;
