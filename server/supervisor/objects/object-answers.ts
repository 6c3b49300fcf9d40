/**
 * What passes between a Worker project's objects and the app's stubs besides the object's own
 * answer: the wrapper's outcome of an RPC call (checked, from the app's isolate), the error types
 * that survive an RPC call, and the fetch answers that make a stub throw (object-runtime.ts reads
 * OBJECT_ERROR_HEADER). Used by object-host.ts.
 */
import { z } from "zod";
import { OBJECT_ERROR_HEADER } from "../../app-runtime/object-runtime";
import { clipped } from "../app-host/app-channel";

/**
 * What the wrapper's call method answers (wrapper.ts), from the app's isolate: checked and cut to
 * size (its lines are checked where they are logged); the value passes as it is, to the app's own code.
 */
export const CallOutcome = z.union([
  z.object({ ok: z.literal(true), value: z.unknown(), lines: z.unknown() }),
  z.object({
    ok: z.literal(false),
    name: clipped(200),
    message: clipped(8_000),
    stack: clipped(8_000),
    lines: z.unknown(),
  }),
]);

/** Errors whose type survives an RPC call on Cloudflare; any other arrives as an Error. */
export const ERROR_TYPES: Record<string, ErrorConstructor> = {
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * The object's own answer, less the header that makes the stub throw: set by the object's code, it
 * would turn its answer into an error the supervisor never raised.
 */
export function withoutErrorHeader(response: Response): Response {
  if (!response.headers.has(OBJECT_ERROR_HEADER)) return response;
  const headers = new Headers(response.headers);
  headers.delete(OBJECT_ERROR_HEADER);
  return new Response(response.status === 101 ? null : response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
    webSocket: response.webSocket,
  });
}

/** The answer that makes the app's stub.fetch() throw `message` (object-runtime.ts). */
export function objectError(message: string): Response {
  return new Response(message, {
    status: 500,
    headers: { [OBJECT_ERROR_HEADER]: encodeURIComponent(message.slice(0, 2_000)) },
  });
}
