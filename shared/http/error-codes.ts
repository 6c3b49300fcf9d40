/**
 * The API's errors: every code an error body may carry, with the HTTP status it is always answered
 * with. This table is the one place a code meets its status: the server's `failure(code, ...)` looks
 * the status up here (server/outcome.ts), and a client reads a status without a JSON body as the
 * code this table gives it first.
 */
import { z } from "zod";
import { Diagnostic } from "../diagnostics";

export const ERROR_STATUS = {
  /** The request is malformed, or names something it may not. */
  bad_request: 400,
  /** SQLite refused a statement (the SQL console, a Data view edit). */
  sql_error: 400,
  /** No credential, or one that is not known here. */
  unauthorized: 401,
  /** A credential that does not open what the request is for. */
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  /** Something exists already, or changed meanwhile. */
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** The code does not compile or start. */
  compile_error: 422,
  /**
   * The code's npm packages could not be installed or bundled (not found, registry unreachable and
   * not cached, integrity, limits, a Node built-in without nodejs_compat): the message names the package.
   */
  package_error: 422,
  /** A WebSocket route called without the upgrade. */
  upgrade_required: 426,
  /** Refused for a while after this project froze the runtime (the message says until when). */
  cooling_down: 429,
  internal: 500,
  /** Off on this platform (the message says why). */
  not_implemented: 501,
  /** Something the route needs is not set up by the operator (the message says how). */
  unavailable: 503,
  /** Locally: the change would take the data folder past the operator's ceiling (the message says which). */
  insufficient_storage: 507,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

// Object.keys types its answer as string[]; ERROR_STATUS is a literal, so its keys are the codes.
const codes = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];
export const ErrorCode = z.enum(codes);

/** The status `code` is answered with. */
export const statusOf = (code: ErrorCode): ErrorStatus => ERROR_STATUS[code];

/** The code a status stands for when an answer carries none (the first with it above); null for none. */
export function codeOfStatus(status: number): ErrorCode | null {
  return codes.find((code) => ERROR_STATUS[code] === status) ?? null;
}

const ErrorDetails = z.object({
  /** 422 compile_error: where the code went wrong. */
  diagnostics: z.array(Diagnostic).optional(),
  /** 409 conflict on a save: the version that is live now. */
  liveVersion: z.number().nullable().optional(),
  /** 400 bad_request: every problem the request's validation found. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** 400 sql_error from a Data view edit: the column SQLite's message names (a constraint, a type). */
  column: z.string().optional(),
});

/** Every error's body. */
export const ErrorBody = z.object({
  error: z.object({ code: ErrorCode, message: z.string(), details: ErrorDetails.optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
