/**
 * Messages on the terminal WebSocket (`GET /api/projects/:id/ws`), shared by client and server.
 * The browser authenticates with the subprotocols `["facet-ide", "token.<token>"]`, since a
 * browser WebSocket cannot send an Authorization header; the server answers with "facet-ide".
 */
import { z } from "zod";
import { LogEntry } from "./logs";
import { MeterSnapshot } from "./metrics";
import { SqlQuery, SqlResult } from "./sql";

export const SOCKET_PROTOCOL = "facet-ide";
export const TOKEN_PROTOCOL_PREFIX = "token.";

/** Client -> server. */
export const ClientMessage = z.discriminatedUnion("type", [
  /** Runs statements on the app's database; answered by `sql-result` or `sql-error` with the same id. */
  z.strictObject({ type: z.literal("sql"), id: z.string().min(1).max(64), ...SqlQuery }),
  /** A heartbeat: answered by `pong`. */
  z.strictObject({ type: z.literal("ping") }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** Server -> client. */
export const ServerMessage = z.discriminatedUnion("type", [
  /** Sent once on connect: the project's state and the recent history the supervisor kept. */
  z.object({
    type: z.literal("hello"),
    projectId: z.string(),
    version: z.number().nullable(),
    history: z.array(LogEntry),
  }),
  /** New history lines, in order. */
  z.object({ type: z.literal("logs"), entries: z.array(LogEntry) }),
  /** Answer to a `sql` message, with the same id. */
  z.object({ type: z.literal("sql-result"), id: z.string(), result: SqlResult }),
  z.object({ type: z.literal("sql-error"), id: z.string(), message: z.string() }),
  z.object({ type: z.literal("pong") }),
  /** The app's requests a minute, database size and limits reached: after hello, then as they change. */
  z.object({ type: z.literal("meter"), meter: MeterSnapshot }),
  /** The last client message was rejected (malformed, too large, unknown type). */
  z.object({ type: z.literal("error"), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/**
 * A server message as the client reads it: checked with `ServerMessage`, except that a malformed
 * entry in `hello.history` or `logs.entries` is dropped (and counted) instead of failing the whole
 * message, so one bad line (stored by an older server, say) cannot keep the terminal from connecting.
 */
export function readServerMessage(
  json: unknown,
): { ok: true; message: ServerMessage; dropped: number } | { ok: false; error: string } {
  let dropped = 0;
  let candidate = json;
  if (json !== null && typeof json === "object") {
    const key = "history" in json ? "history" : "entries" in json ? "entries" : null;
    const list = key ? (json as Record<string, unknown>)[key] : undefined;
    if (key && Array.isArray(list)) {
      const kept = list.filter((entry) => LogEntry.safeParse(entry).success);
      dropped = list.length - kept.length;
      candidate = { ...json, [key]: kept };
    }
  }
  const parsed = ServerMessage.safeParse(candidate);
  return parsed.success ? { ok: true, message: parsed.data, dropped } : { ok: false, error: parsed.error.message };
}
