/**
 * Messages on the terminal WebSocket (`GET /api/projects/:id/ws`), shared by client and server.
 * The browser authenticates with the subprotocols `["facet-ide", "token.<token>"]`, since a
 * browser WebSocket cannot send an Authorization header; the server answers with "facet-ide".
 */
import { z } from "zod";
import type { Diagnostic, SqlResult } from "./api";

export const SOCKET_PROTOCOL = "facet-ide";
export const TOKEN_PROTOCOL_PREFIX = "token.";

/** One line of the project's history, as kept in the supervisor's log ring. */
export type LogEntry = { seq: number; at: number; version: number | null } & (
  | {
      kind: "request";
      method: string;
      path: string;
      status: number | null;
      durationMs: number | null;
      /** The runtime's outcome: "ok", "exception", "exceededCpu", "canceled", ... */
      outcome: string;
    }
  | { kind: "console"; level: "debug" | "log" | "info" | "warn" | "error"; message: string }
  | { kind: "exception"; name: string; message: string; stack?: string }
  | { kind: "deploy"; codeId: string }
  | { kind: "save-error"; message: string; diagnostics: Diagnostic[] }
  | { kind: "system"; level: "info" | "warn" | "error"; message: string }
);

/** Entry shapes before the supervisor numbers them. */
export type NewLogEntry = LogEntry extends infer E ? (E extends LogEntry ? Omit<E, "seq"> : never) : never;

// Client -> server
export const ClientMessage = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("sql"),
    id: z.string().min(1).max(64),
    sql: z.string().min(1).max(100_000),
    params: z
      .array(z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .max(100)
      .optional(),
  }),
  z.strictObject({ type: z.literal("ping") }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

// Server -> client
export type ServerMessage =
  /** Sent once on connect: the project's state and the recent history the supervisor kept. */
  | { type: "hello"; projectId: string; version: number | null; history: LogEntry[] }
  /** New history lines, in order. */
  | { type: "logs"; entries: LogEntry[] }
  /** Answer to a `sql` message, with the same id. */
  | { type: "sql-result"; id: string; result: SqlResult }
  | { type: "sql-error"; id: string; message: string }
  | { type: "pong" }
  /** The last client message was rejected (malformed, too large, unknown type). */
  | { type: "error"; message: string };
