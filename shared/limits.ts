/**
 * The API's size and count limits, in one place: the server enforces them, the client and the agent
 * guide quote them, and the schemas (request-bodies.ts) cap fields with them.
 */
export const LIMITS = {
  /** Largest JSON body the API accepts, in bytes. */
  maxBodyBytes: 1_048_576,
  /** Largest single source file, in bytes. */
  maxFileBytes: 512 * 1024,
  /** Most files in a project. */
  maxFiles: 64,
  /** Longest project id (a DNS label must fit in 63; we keep room for prefixes). */
  maxIdLength: 40,
  /** SQL console: rows returned before the result is cut. */
  sqlMaxRows: 500,
  /** Environment variables and secrets per project. */
  maxEnvVars: 50,
  /** Lines of log history the supervisor keeps per project. */
  logRingSize: 500,
  /** Largest WebSocket message a client may send, in bytes. */
  maxSocketMessageBytes: 64 * 1024,
  /**
   * Largest project bundle `POST /api/projects/import` accepts, and about the largest database a
   * dump carries (fork, export): a dump crosses the runtime's RPC, whose messages are limited to 32 MiB.
   */
  maxBundleBytes: 32 * 1024 * 1024,
  /** Log lines one read of the ring returns at most. */
  maxLogsRead: 500,
  /** An app response's body, as `request_app` returns it, is cut here. */
  appResponseBodyBytes: 64 * 1024,
  /** How long `request_app` reads a response body that is still streaming. */
  appResponseBodyWaitMs: 10_000,
} as const;
