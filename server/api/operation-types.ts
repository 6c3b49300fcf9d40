/**
 * The shapes every operation shares (operations.ts runs them; each route group's module implements
 * some): an operation's name, its validated input, what it answers, and the context of the call; and
 * the small answers the groups share (a missing body, the app's origins).
 * Tables: none.
 */
import type { z } from "zod";
import type { RouteName, routes } from "../../shared/http/routes";
import { failure, type Outcome } from "../outcome";
import { previewUrl } from "../preview";
import type { ProjectHandle } from "../supervisor/handle/project-handle";
import type { Caller } from "./credentials";

/**
 * The routes that are calls with an answer (the terminal is a WebSocket, served by routes.ts; the
 * assistant's prompt is a stream of events, served by server/assistant/).
 */
export type OperationName = Exclude<RouteName, "terminal" | "askAssistant">;

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;
type Spec<N extends OperationName> = (typeof routes)[N];

/** An operation's validated input, as the route's schemas describe it. */
export interface OperationArgs<N extends OperationName> {
  params: Spec<N> extends { params: z.ZodType } ? z.infer<Spec<N>["params"]> : Record<string, never>;
  query: Spec<N> extends { query: z.ZodType } ? z.infer<Spec<N>["query"]> : Record<string, never>;
  body: Spec<N> extends { body: z.ZodType } ? Infer<Spec<N>["body"]> | undefined : undefined;
}

export interface OperationContext {
  env: Env;
  /** The URL the call came in on: previews are on the same scheme and port. */
  url: string;
}

export interface OperationInput<N extends OperationName> extends OperationArgs<N> {
  /** The project, opened with the caller's credential (project routes only). */
  project: Rpc.Stub<ProjectHandle>;
  caller: Caller;
  context: OperationContext;
}

/** What a download route (one with `produces`) answers: the file, which routes.ts sends as an attachment. */
export interface Download {
  /** The file; a stream for a table export, which is read from the app a page at a time. */
  body: string | ReadableStream;
  contentType: string;
  /** The name to save it under, without directories; may hold any character (sent per RFC 6266). */
  filename: string;
}

type ResultOf<S> = S extends { produces: readonly string[] }
  ? Download
  : S extends { response: z.ZodType }
    ? z.input<S["response"]>
    : never;

export type OperationResult<N extends OperationName> = Outcome<ResultOf<Spec<N>>>;

export type Operations = { [N in OperationName]: (input: OperationInput<N>) => Promise<OperationResult<N>> };

/** Operations for some of the routes: a route group's module exports one, operations.ts joins them. */
export type OperationGroup = Partial<Operations>;

export const missingBody = () => failure("bad_request", "This call needs a JSON body");

/** The app's origins, live and draft, on the scheme and port the call came in on. */
export const appOrigins = (context: OperationContext, id: string) => ({
  live: previewUrl(context.url, context.env, id),
  draft: previewUrl(context.url, context.env, id, { draft: true }),
});
