/**
 * Results that cross the RPC boundary between the worker and a supervisor. RPC keeps only the
 * message of a thrown Error, so expected failures travel as values and become HTTP errors at the edge.
 */
import { type ErrorBody, type ErrorCode, statusOf } from "../shared/http/error-codes";

export type Failure = { ok: false; status: number; error: ErrorBody["error"] };
export type Outcome<T> = { ok: true; value: T } | Failure;

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });

/** An expected failure; its status is the one shared/http/error-codes.ts gives `code`. */
export function failure(code: ErrorCode, message: string, details?: ErrorBody["error"]["details"]): Failure {
  const status = statusOf(code);
  return { ok: false, status, error: details ? { code, message, details } : { code, message } };
}

export function errorResponse(f: Failure): Response {
  return Response.json({ error: f.error } satisfies ErrorBody, { status: f.status });
}
