/**
 * The HTTP API's contract, gathered in one import: limits (limits.ts), the names it accepts
 * (identifiers.ts), and one zod schema per request and response body (http/request-bodies.ts,
 * http/response-bodies.ts). The server validates what comes in with them, the client parses what
 * comes back with them, and the route table (http/routes.ts) pairs them with routes, from which API
 * documents and tool schemas are generated. Every error body is `ErrorBody` (http/error-codes.ts).
 */
export { Diagnostic } from "./diagnostics";
export { ErrorBody, ErrorCode } from "./http/error-codes";
export * from "./http/request-bodies";
export * from "./http/response-bodies";
export * from "./identifiers";
export * from "./limits";
