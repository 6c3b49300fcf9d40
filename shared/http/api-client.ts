/**
 * A typed client of the HTTP API, derived from the route table (routes.ts) in the spirit of Hono's
 * `hc`: a call names a route by its key and passes its path parameters, query and body, typed from
 * the route's schemas; the client builds the path from the route's `{param}` path, sends JSON with
 * the credential, and parses the answer with the route's response schema, or throws an `ApiError`.
 * It takes any `fetch`-like function and a base URL, so the IDE (same origin), the worker tests
 * (`exports.default.fetch`), the process and e2e tests and the bench (http://127.0.0.1:PORT) all
 * call the API through it. Routes that do not answer JSON (the terminal's WebSocket, downloads) get
 * their path or URL from `path()` / `url()`, or their raw answer from `send()`.
 */
import type { z } from "zod";
import type { Diagnostic } from "../diagnostics";
import { codeOfStatus, ErrorBody, type ErrorCode } from "./error-codes";
import type { RouteSpec } from "./route-spec";

type Scalar = string | number | boolean;
/** A query value as the schema takes it; a coerced one (typed `unknown`) as text, a number or a boolean. */
type QueryValue<T> = unknown extends T ? Scalar : Extract<T, Scalar>;

type ParamsOf<S extends RouteSpec> = S["params"] extends z.ZodObject
  ? { [K in keyof z.input<S["params"]>]: string | number }
  : never;
type QueryOf<S extends RouteSpec> = S["query"] extends z.ZodObject
  ? { [K in keyof z.input<S["query"]>]?: QueryValue<z.input<S["query"]>[K]> }
  : never;
type BodyOf<S extends RouteSpec> = S["body"] extends z.ZodType ? z.input<S["body"]> : never;

/** Where a route is: its path parameters (when its path has any) and its query. */
export type PathInput<S extends RouteSpec> = (S["params"] extends z.ZodObject
  ? { params: ParamsOf<S> }
  : { params?: undefined }) &
  (S["query"] extends z.ZodObject ? { query?: QueryOf<S> } : { query?: undefined });

/** What a call of a route sends: where it is, its body (when it takes one), and who calls. */
export type CallInput<S extends RouteSpec> = PathInput<S> &
  (S["body"] extends z.ZodType
    ? S extends { optionalBody: true }
      ? { body?: BodyOf<S> }
      : { body: BodyOf<S> }
    : { body?: undefined }) & {
    /** The project's token, an agent key or the access secret, sent as `Authorization: Bearer`. */
    credential?: string | null;
    /** Sent besides the client's own headers. */
    headers?: Record<string, string>;
    signal?: AbortSignal;
  };

/** The input as an argument: optional when a route needs none of it. */
type Args<I> = object extends I ? [input?: I] : [input: I];

/** A call's arguments after the route's name, for a function that passes them on to `send` or `call`. */
export type CallArgs<S extends RouteSpec> = Args<CallInput<S>>;

/** A successful answer's body. */
export type ResponseOf<S extends RouteSpec> = z.output<NonNullable<S["response"]>>;

/** A route table (routes.ts's, or a part of it) as the client reads it: each of its keys names a route. */
export type Table<T> = { [K in keyof T]: RouteSpec };

/** The routes that answer JSON (not a WebSocket or a download of another type). */
export type JsonRoute<T extends Table<T>> = {
  [K in keyof T]: T[K]["response"] extends z.ZodType ? K : never;
}[keyof T] &
  string;

/** Codes of failures no error body names: no answer at all, an answer its schema rejects, or a bare status. */
export type ClientErrorCode = "network" | "bad_response" | "http";

type ErrorDetails = NonNullable<ErrorBody["error"]["details"]>;

/** A call that failed: the API's error (status, code, message and details), or the client's own. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  /** On a compile_error: where the code went wrong. */
  readonly diagnostics: Diagnostic[];
  /** On a 409 conflict of a save: the version that is live now. */
  readonly liveVersion: number | null;
  /** On a Data view edit's sql_error: the column SQLite's message names. */
  readonly column: string | undefined;
  /** On a bad_request: every problem the request's validation found. */
  readonly issues: { path: string; message: string }[];

  constructor(
    status: number,
    code: ErrorCode | ClientErrorCode,
    message: string,
    details: ErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.diagnostics = details.diagnostics ?? [];
    this.liveVersion = details.liveVersion ?? null;
    this.column = details.column;
    this.issues = details.issues ?? [];
  }
}

/** The error an unsuccessful answer carries; without an error body, the code error-codes.ts gives its status. */
export async function errorOf(response: Response): Promise<ApiError> {
  const parsed = ErrorBody.safeParse(jsonOf(await response.text()));
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiError(response.status, code, message, details);
  }
  const message = `${response.status} ${response.statusText}`.trim();
  return new ApiError(response.status, codeOfStatus(response.status) ?? "http", message);
}

const jsonOf = (text: string): unknown => {
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** What `pathOf` reads of its input, whichever route it is for. */
interface AnyPathInput {
  params?: Record<string, string | number>;
  query?: Record<string, Scalar | undefined>;
}

/** What `send` reads of its input, whichever route it is for. */
interface AnyCallInput extends AnyPathInput {
  body?: unknown;
  credential?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * The route's path with its parameters (each percent-encoded) and its query string, e.g.
 * `pathOf(routes.getVersion, { params: { id: "demo", version: 3 } })` is `/api/projects/demo/versions/3`.
 */
export function pathOf<S extends RouteSpec>(spec: S, ...[input]: Args<PathInput<S>>): string {
  return buildPath(spec, input ?? {});
}

function buildPath(spec: RouteSpec, { params = {}, query = {} }: AnyPathInput): string {
  const path = spec.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`${spec.path} needs its ${name}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, String(value));
  const text = search.toString();
  return text === "" ? path : `${path}?${text}`;
}

/** Anything that sends a request the way `fetch` does: the browser's, Node's, a worker binding's. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface ClientOptions {
  fetch: FetchLike;
  /** Prefixed to every path: "" for the page's own origin, or e.g. `http://127.0.0.1:5173`. */
  baseUrl?: string;
  /** Sent with every call. */
  headers?: Record<string, string>;
}

/** A client of the routes of a table (the route table, or a part of it), each named by its key. */
export interface ApiClient<T extends Table<T>> {
  /** Calls a JSON route: its answer parsed with the route's response schema, or an `ApiError`. */
  call<N extends JsonRoute<T>>(name: N, ...input: Args<CallInput<T[N]>>): Promise<ResponseOf<T[N]>>;
  /** Sends a call; its answer as it came, whatever its status (a download, or a test of a refusal). */
  send<N extends keyof T & string>(name: N, ...input: Args<CallInput<T[N]>>): Promise<Response>;
  /** The route's path with its parameters and query, under the origin. */
  path<N extends keyof T & string>(name: N, ...input: Args<PathInput<T[N]>>): string;
  /** The route's whole URL (the base URL and its path), e.g. for a WebSocket. */
  url<N extends keyof T & string>(name: N, ...input: Args<PathInput<T[N]>>): string;
}

/** A client of the routes of `table` (the route table, or a part of it). */
export function apiClient<T extends Table<T>>(table: T, options: ClientOptions): ApiClient<T> {
  const baseUrl = options.baseUrl ?? "";

  async function send<N extends keyof T & string>(name: N, ...[input]: Args<CallInput<T[N]>>): Promise<Response> {
    const spec: RouteSpec = table[name];
    const { credential, headers: extra, signal, body, ...where }: AnyCallInput = input ?? {};
    const headers: Record<string, string> = { ...options.headers, ...extra };
    if (credential) headers.authorization = `Bearer ${credential}`;
    // A route that takes a body gets one: an optional one left out is `{}`, which is what it stands for.
    const json = spec.body ? JSON.stringify(body ?? {}) : undefined;
    if (json !== undefined) headers["content-type"] = "application/json";
    const url = baseUrl + buildPath(spec, where);
    try {
      return await options.fetch(url, { method: spec.method.toUpperCase(), headers, body: json, signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError(0, "network", "The IDE server cannot be reached", {}, { cause: error });
    }
  }

  async function call<N extends JsonRoute<T>>(name: N, ...input: Args<CallInput<T[N]>>): Promise<ResponseOf<T[N]>> {
    const schema = table[name].response;
    if (schema === null) throw new TypeError(`${name} does not answer JSON`);
    const response = await send(name, ...input);
    if (!response.ok) throw await errorOf(response);
    return parseAnswer<NonNullable<T[N]["response"]>>(schema, name, response.status, jsonOf(await response.text()));
  }

  return {
    call,
    send,
    path: (name, ...[input]) => buildPath(table[name], input ?? {}),
    url: (name, ...[input]) => baseUrl + buildPath(table[name], input ?? {}),
  };
}

function parseAnswer<R extends z.ZodType>(schema: R, name: string, status: number, json: unknown): z.output<R> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new ApiError(status, "bad_response", `Unexpected answer from ${name}: ${parsed.error.message}`);
}
