/**
 * Names that travel on the internal hops (worker -> supervisor -> the app's wrapper) and are no
 * client's business: hosts of internal requests, and headers the supervisor reads or strips.
 */

/** Host of the internal request the worker sends a supervisor to open a terminal socket. */
export const TERMINAL_HOST = "terminal.supervisor.internal";
/** Carries the caller's credential on that request (its kind and SHA-256), for the supervisor to check. */
export const CREDENTIAL_HEADER = "x-facet-ide-credential";
/** Host of the request the supervisor sends new code to check that it starts (the wrapper answers). */
export const PROBE_HOST = "facet-ide.probe";
/**
 * Marks a response the wrapper made from an exception the app's fetch threw (body: name, message,
 * stack); its value is the load's channel secret (supervisor/app-host/app-channel.ts).
 */
export const EXCEPTION_HEADER = "x-facet-ide-exception";
/** Carries a fetch call's console lines as `<channel secret>.<URI-encoded JSON>`; the supervisor logs and strips it. */
export const LOGS_HEADER = "x-facet-ide-logs";
/**
 * Host of the internal request an app's stub sends (through the ObjectBridge) to reach one of its
 * Durable Objects: the worker never routes a client's request to a supervisor with it.
 */
export const OBJECT_HOST = "objects.supervisor.internal";
/** Set by the ObjectBridge on an object request from the draft's code (never by the app). */
export const DRAFT_CALL_HEADER = "x-facet-ide-draft";
