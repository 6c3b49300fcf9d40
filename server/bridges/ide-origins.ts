/**
 * The origins (`host:port`) this worker has been called on: the IDE's own, which the network gateway
 * refuses whatever a project's policy says (an app must not reach the IDE's API or another project's
 * preview through the network). The worker notes each request's host before it answers; the gateway
 * runs in the same isolate, and an app only runs because a request (or an alarm of a project a request
 * made) reached this worker.
 */
const MAX_ORIGINS = 64;
const seen = new Set<string>();

/** Notes the host (with its port) a request to the worker came on. */
export function noteIdeHost(host: string): void {
  const normalized = host.toLowerCase();
  // Bounded; the first are kept, as a host is only noted once the worker accepted it (locally, only
  // this machine's names; deployed, only the routes that reach the worker).
  if (seen.size < MAX_ORIGINS) seen.add(normalized);
}

export function ideHosts(): string[] {
  return [...seen];
}
