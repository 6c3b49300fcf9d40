/**
 * Names that travel on the internal hops (worker -> supervisor -> the app's wrapper) and never
 * reach a client: hosts of internal requests and headers the supervisor sets or strips.
 */

/** Host of the internal request the worker sends a supervisor to open a terminal socket. */
export const TERMINAL_HOST = "terminal.supervisor.internal";
/** Carries the SHA-256 of the caller's token on that request, for the supervisor to check. */
export const TOKEN_HASH_HEADER = "x-facet-ide-token-hash";
