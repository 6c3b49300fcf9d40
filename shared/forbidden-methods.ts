/**
 * Methods the Fetch standard forbids (no Request can carry them): TRACE and TRACK echo a request back
 * (cross-site tracing), CONNECT asks for a tunnel. workerd would hand TRACE to an app, but Node's
 * fetch cannot forward it, so under `npm run dev` it fell into Vite's HTML error page. The worker
 * refuses them on every origin and the dev server answers with this same response, so both modes
 * (and every app) behave alike.
 */
import type { ErrorBody } from "./api";

const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
const ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

/** The 405 for a forbidden method, or null for any other method. */
export function forbiddenMethodResponse(method: string): Response | null {
  const upper = method.toUpperCase();
  if (!FORBIDDEN_METHODS.has(upper)) return null;
  const body: ErrorBody = {
    error: { code: "method_not_allowed", message: `${upper} requests are not accepted (use ${ALLOWED_METHODS})` },
  };
  return Response.json(body, { status: 405, headers: { allow: ALLOWED_METHODS } });
}
