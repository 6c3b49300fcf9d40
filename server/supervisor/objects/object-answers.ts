/**
 * What passes between a Worker project's objects and the app's stubs besides the object's own
 * answer: the error types that survive an RPC call (the wrapper's outcome of one is checked by
 * protocol.ts's checkCallOutcome), and the fetch answers that make a stub throw (app-runtime/objects/objects.ts reads
 * OBJECT_ERROR_HEADER). Used by object-host.ts.
 */
import { OBJECT_ERROR_HEADER, OBJECT_ERROR_TYPE_HEADER } from "../../app-runtime/protocol";

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
  if (!response.headers.has(OBJECT_ERROR_HEADER) && !response.headers.has(OBJECT_ERROR_TYPE_HEADER)) return response;
  const headers = new Headers(response.headers);
  headers.delete(OBJECT_ERROR_HEADER);
  headers.delete(OBJECT_ERROR_TYPE_HEADER);
  return new Response(response.status === 101 ? null : response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
    webSocket: response.webSocket,
  });
}

/**
 * The answer that makes the app's stub.fetch() throw `message` (app-runtime/objects/objects.ts), as a
 * `type` when it is one of ERROR_TYPES (what the object threw), else as an Error.
 */
export function objectError(message: string, type = "Error"): Response {
  const headers: Record<string, string> = { [OBJECT_ERROR_HEADER]: encodeURIComponent(message.slice(0, 2_000)) };
  if (Object.hasOwn(ERROR_TYPES, type)) headers[OBJECT_ERROR_TYPE_HEADER] = type;
  return new Response(message, { status: 500, headers });
}
