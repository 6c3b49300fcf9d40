/**
 * Names that travel on the internal hops (worker -> supervisor -> the app's wrapper) and are no
 * client's business: hosts of internal requests, and headers the supervisor reads or strips.
 */

/** Host of the internal request the worker sends a supervisor to open a terminal socket. */
export const TERMINAL_HOST = "terminal.supervisor.internal";
/** Carries the caller's credential on that request (its kind and SHA-256), for the supervisor to check. */
export const CREDENTIAL_HEADER = "x-facet-ide-credential";
/**
 * The names on the hops between the supervisor and the app's isolate are declared by their protocol
 * (app-runtime/protocol.ts: PROBE_HOST, EXCEPTION_HEADER, LOGS_HEADER, ...). OBJECT_HOST, the host of
 * an app's requests to its objects, is re-exported for the supervisor's routing and the ObjectBridge.
 */
export { OBJECT_HOST } from "./app-runtime/protocol";
/** Set by the ObjectBridge on an object request from the draft's code (never by the app). */
export const DRAFT_CALL_HEADER = "x-facet-ide-draft";
