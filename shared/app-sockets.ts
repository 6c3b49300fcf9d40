/**
 * The contract of `POST /api/projects/:id/websocket` (the MCP tool `websocket_app`): a WebSocket an
 * API client opens to the app through the supervisor, as a visitor's browser would, with the
 * messages it sends and the bounds on what it collects.
 */
import { z } from "zod";
import { AppTarget, HTTP_HEADERS } from "./api";
import { LogEntry } from "./logs";

export const SOCKET_APP_LIMITS = {
  /** Longest wait for messages, in ms. */
  maxTimeoutMs: 30_000,
  /** The wait when `timeoutMs` is left out, in ms. */
  defaultTimeoutMs: 5_000,
  /** Messages sent at most. */
  maxSend: 100,
  /** Largest message sent, in characters (the terminal's and the app's socket bound). */
  maxSendChars: 64 * 1024,
  /** Messages collected at most. */
  maxMessages: 100,
  /** Bytes collected at most (all messages together); the one that passes it is cut. */
  maxBytes: 64 * 1024,
} as const;

export const WebSocketAppRequest = z.strictObject({
  path: z
    .string()
    .max(2048)
    .startsWith("/", "path starts with '/', such as /ws")
    .describe("Path and query of the socket on the app's origin, such as /ws"),
  target: AppTarget.optional().describe('"draft" opens it on the draft (on its copy of the data); live by default'),
  headers: HTTP_HEADERS.optional().describe("Headers of the upgrade request, by name"),
  send: z
    .array(z.string().max(SOCKET_APP_LIMITS.maxSendChars))
    .max(SOCKET_APP_LIMITS.maxSend)
    .optional()
    .describe("Text messages to send once the socket is open, in order"),
  expect: z
    .number()
    .int()
    .min(1)
    .max(SOCKET_APP_LIMITS.maxMessages)
    .optional()
    .describe(
      `Close as soon as this many messages arrived (1 to ${SOCKET_APP_LIMITS.maxMessages}); without it, collect until the timeout`,
    ),
  timeoutMs: z
    .number()
    .int()
    .min(1)
    .max(SOCKET_APP_LIMITS.maxTimeoutMs)
    .optional()
    .describe(
      `How long to wait for messages, in ms (up to ${SOCKET_APP_LIMITS.maxTimeoutMs}; ${SOCKET_APP_LIMITS.defaultTimeoutMs} when left out)`,
    ),
});
export type WebSocketAppRequest = z.infer<typeof WebSocketAppRequest>;

export const SocketMessage = z.object({
  /** Text, or base64 for a binary message. */
  data: z.string(),
  binary: z.boolean().optional(),
  /** True when the message was cut to stay within the bytes collected. */
  truncated: z.boolean().optional(),
});
export type SocketMessage = z.infer<typeof SocketMessage>;

export const WebSocketAppResponse = z.object({
  /** Whether the app accepted the socket (answered 101). */
  opened: z.boolean(),
  /** The status of the upgrade's answer: 101 when opened, else the app's refusal (or a 429). */
  status: z.number().optional(),
  /** The refusal's body, as text, when the socket did not open (cut at 4 KiB). */
  body: z.string().optional(),
  /** The messages received from the app, in order. */
  messages: z.array(SocketMessage),
  /** How the app closed the socket; null when it was still open and was closed by this call. */
  closed: z.object({ code: z.number(), reason: z.string() }).nullable(),
  /** Why collecting stopped: `expect` messages arrived, the timeout, the app closed, or a bound. */
  stopped: z.enum(["expect", "timeout", "closed", "bound", "refused"]),
  /** The version that answered (null when the project has no code yet). */
  version: z.number().nullable(),
  durationMs: z.number(),
  /**
   * The upgrade's request line and what it printed, then the console lines and exceptions of the
   * same app (live or draft) while the socket was open (another visitor's, at the same time, too).
   */
  logs: z.array(LogEntry),
});
export type WebSocketAppResponse = z.infer<typeof WebSocketAppResponse>;
