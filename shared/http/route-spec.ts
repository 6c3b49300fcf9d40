/**
 * What one route of the HTTP API's table says about itself (shared/http/routes.ts assembles the table from
 * the per-duty tables that use this shape). Its own module, so a table part and the whole never
 * import each other.
 */
import type { z } from "zod";

export interface RouteSpec {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Under the origin, with `{name}` for a path parameter. */
  path: string;
  summary: string;
  /**
   * Who may call it (`Authorization: Bearer <credential>`):
   * - "none": anyone;
   * - "project": the project's token, or the agent key it was created with;
   * - "key": an agent key;
   * - "gated": anyone while the server has no ACCESS_SECRET; once the operator sets one, that secret
   *   (or, where `keyOpens` says so, an agent key). An agent key sent to a gated route that takes
   *   one is used: a project created with it belongs to it.
   */
  auth: "none" | "project" | "key" | "gated";
  /** For a gated route: whether an agent key is let in too. */
  keyOpens?: boolean;
  params?: z.ZodObject;
  /** The query string's parameters. */
  query?: z.ZodObject;
  /** The JSON request body. */
  body?: z.ZodType;
  /** An empty body stands for `{}`. */
  optionalBody?: boolean;
  /** The status of a successful answer. */
  status: 200 | 201 | 101;
  /**
   * Failures particular to this route, by status (all routes may answer 500; the statuses of bad
   * input and of the auth kind are implied: 400, 413 and 415 for input, 401, 403 and 404 for a project).
   */
  errors?: Record<number, string>;
  /**
   * The JSON body of a successful answer; errors are `ErrorBody`. Null for a WebSocket upgrade, for a
   * download (`produces`) and for an event stream (`events`).
   */
  response: z.ZodType | null;
  /** For a download: the media types it may answer with instead of JSON. */
  produces?: string[];
  /**
   * For a stream of Server-Sent Events (`text/event-stream`, `response` null): each event's name and
   * the JSON its `data` holds. Failures before the stream starts are JSON errors as on any route.
   */
  events?: Record<string, z.ZodType>;
  /** For a WebSocket: the messages each side sends. */
  messages?: { client: z.ZodType; server: z.ZodType };
  /** Answered as a file to save (`Content-Disposition: attachment`). */
  download?: boolean;
}

/** A table of routes by name, as each part of the route table is. */
export type RouteTable = Record<string, RouteSpec>;

/** The 429 of a route that runs code, refused for a while after the project's code froze the runtime. */
export const CODE_COOLDOWN_ERROR =
  "The project's code froze the runtime lately: saving code waits for a cooldown (the message says until when)";
/** The 429 of a route that runs SQL, refused for a while after the project's console froze the runtime. */
export const SQL_COOLDOWN_ERROR =
  "A statement of this project's SQL console froze the runtime lately: the console and the Data view wait for a cooldown (the message says until when)";
