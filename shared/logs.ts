/**
 * One line of a project's history, as the supervisor keeps it in its log ring and streams it to the
 * terminal: request lines, console output, exceptions, deploys, rejected saves and system notes.
 */
import { z } from "zod";
import { Diagnostic } from "./diagnostics";

/** The `console` methods whose output reaches the terminal. */
export const ConsoleLevel = z.enum(["debug", "log", "info", "warn", "error"]);
export type ConsoleLevel = z.infer<typeof ConsoleLevel>;
export const CONSOLE_LEVELS = ConsoleLevel.options;

/** Levels of the supervisor's own notes (deploys closing sockets, alarms, hangs). */
const SystemLevel = z.enum(["info", "warn", "error"]);

const entryBase = {
  /** Position in the project's history; the terminal skips lines it has shown. */
  seq: z.number(),
  at: z.number(),
  /** The version that was live (or that the line is about); null before the first save. */
  version: z.number().nullable(),
  /** Set on the draft's lines (its requests, output, errors): the draft's revision. */
  draft: z.number().optional(),
  /**
   * Set on the lines of a Worker project's Durable Object (its calls, output, errors, alarms): the
   * object as the IDE names it (`Flight:1234`).
   */
  object: z.string().optional(),
};

export const LogEntry = z.discriminatedUnion("kind", [
  z.object({
    ...entryBase,
    kind: z.literal("request"),
    method: z.string(),
    path: z.string(),
    status: z.number().nullable(),
    durationMs: z.number().nullable(),
    /** "ok", or how the request failed: "exception", ... */
    outcome: z.string(),
  }),
  z.object({ ...entryBase, kind: z.literal("console"), level: ConsoleLevel, message: z.string() }),
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
    diagnostics: z.array(Diagnostic),
  }),
  z.object({ ...entryBase, kind: z.literal("system"), level: SystemLevel, message: z.string() }),
  /**
   * What TypeScript found in a version's files (server/type-check/): warnings, since the version went
   * live anyway. `message` sums them up, or says why the check could not run.
   */
  z.object({
    ...entryBase,
    kind: z.literal("type-check"),
    level: SystemLevel,
    message: z.string(),
    diagnostics: z.array(Diagnostic),
  }),
]);
export type LogEntry = z.infer<typeof LogEntry>;

/** The kinds of line, as `kind` names them (read_logs and `GET .../logs?kind=` filter by one). */
export const LogKind = z.enum(["request", "console", "exception", "deploy", "save-error", "system", "type-check"]);
export type LogKind = z.infer<typeof LogKind>;

/** Which lines a read of the log wants; every filter given must hold. */
export interface LogFilter {
  kind?: LogKind;
  /** A Worker project's object as the lines name it (Class:name), or a class: its objects' lines. */
  object?: string;
  /** The live app's lines, or the draft's. */
  target?: "live" | "draft";
}

/** Entry shapes before the supervisor numbers them. */
export type NewLogEntry = LogEntry extends infer E ? (E extends LogEntry ? Omit<E, "seq"> : never) : never;
