/**
 * Which requests are refused before anything answers them, and the headers the IDE's answers carry.
 * Used by the worker (every runtime: `npm start`, deployed) and by the dev server in front of it
 * (`npm run dev`, where Vite serves the IDE's modules itself), so both say the same thing.
 *
 * On every origin (the IDE's and every app's): methods no Request can carry (`methodRefusal`).
 *
 * On the IDE's origin (its pages, modules, `/api` and `/mcp`): requests a page on another origin
 * sends, an app's preview page above all (`<project>.localhost` is another site than `localhost`;
 * deployed, `<project>.example.com` is the same site as `example.com`, so only the same origin
 * counts). Fetch metadata (`Sec-Fetch-Site`, sent by every current browser) says where a request
 * comes from:
 * - writes (anything but GET/HEAD) must come from the IDE's own pages or from no browser page at all
 *   (curl, an agent): a cross-site `POST /api/projects` with `text/plain` needs no preflight;
 * - reads from other sites are refused too, except top-level navigations (a link to the IDE), so no
 *   page can include or fetch what the IDE serves (under the dev server: its source files, and in the
 *   past the data folder), whatever CORS says;
 * - requests without fetch metadata (older browsers) fall back to `Origin`, which browsers send on
 *   every cross-origin request and on every write; agents' HTTP clients send neither and pass;
 * - no CORS preflight succeeds (the IDE grants no other origin anything).
 *
 * Locally (`localHostRefusal`), a Host that is not the machine's own: a page on a name an attacker
 * controls that resolves to 127.0.0.1 (DNS rebinding) is "same-origin" with itself, so only the Host
 * tells it apart. Vite checks it under `npm run dev` (`server.allowedHosts`); the worker checks it
 * under `npm start`, where nothing else would.
 */
import { ERROR_STATUS, type ErrorBody } from "./error-codes";

export interface RequestFacts {
  method: string;
  /** The origin the request was sent to, e.g. `http://localhost:5173`. */
  origin: string;
  header(name: string): string | null | undefined;
}

type RefusalCode = "forbidden" | "not_found" | "method_not_allowed";

export interface Refusal {
  /** The status error-codes.ts gives the code. */
  status: (typeof ERROR_STATUS)[RefusalCode];
  code: RefusalCode;
  message: string;
}

const refusal = (code: RefusalCode, message: string): Refusal => ({ status: ERROR_STATUS[code], code, message });

/**
 * Methods the Fetch standard forbids (no Request can carry them): TRACE and TRACK echo a request back
 * (cross-site tracing), CONNECT asks for a tunnel. workerd would hand TRACE to an app, but Node's
 * fetch cannot forward it (under the dev server it fell into Vite's HTML error page). TRACK and
 * CONNECT never become a Request at all: under the dev server, Node's parser refuses TRACK and
 * CONNECT is a socket event, both answered from vite.config.ts; under `npm start` workerd answers
 * them itself before any worker runs (TRACK 501, CONNECT 500: see limits-and-safety.md).
 */
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
/** What a refused method's answer offers instead (apps answer PATCH and OPTIONS too). */
export const ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

/** The 405 for TRACE, TRACK and CONNECT on every origin; null for any other method. */
export function methodRefusal(method: string): Refusal | null {
  const upper = method.toUpperCase();
  if (!FORBIDDEN_METHODS.has(upper)) return null;
  return refusal("method_not_allowed", `${upper} requests are not accepted (use ${ALLOWED_METHODS})`);
}

/** Why a request to the IDE's origin (its pages, modules, API and MCP server) is refused, or null to serve it. */
export function ideRequestRefusal(request: RequestFacts): Refusal | null {
  const byMethod = methodRefusal(request.method);
  if (byMethod) return byMethod;
  const method = request.method.toUpperCase();
  const write = method !== "GET" && method !== "HEAD";
  const site = request.header("sec-fetch-site")?.toLowerCase();
  const origin = request.header("origin");
  if (method === "OPTIONS") {
    // A CORS preflight: the IDE answers no other origin, so no preflight ever succeeds.
    return forbidden("The IDE does not answer requests from other origins");
  }
  if (origin && origin !== request.origin) {
    // Browsers send Origin on every cross-origin request and on every write; `null` is an opaque
    // origin (a sandboxed frame, a file), never the IDE's own pages.
    return forbidden(
      origin === "null"
        ? "Requests from an opaque origin are refused"
        : `Requests from ${origin} to the IDE are refused`,
    );
  }
  if (site && site !== "same-origin" && site !== "none") {
    const navigation =
      request.header("sec-fetch-mode")?.toLowerCase() === "navigate" &&
      request.header("sec-fetch-dest")?.toLowerCase() === "document";
    if (navigation && !write) return null;
    return forbidden(
      write
        ? "Cross-site writes to the IDE are refused"
        : "The IDE's resources are not served to other sites (open the IDE itself instead)",
    );
  }
  return null;
}

/** Host names the local runtime answers besides its preview domain and that domain's subdomains. */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Whether a host name is this machine's own (the IDE's origin locally; apps have `<project>.localhost`). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/**
 * For the local runtime only: why a request whose Host is not this machine's (loopback, or the
 * preview domain and its subdomains) is refused, or null. Deployed, Cloudflare routes only the
 * worker's own host names to it.
 */
export function localHostRefusal(hostname: string, previewDomain: string): Refusal | null {
  const host = hostname.toLowerCase();
  const domain = previewDomain.toLowerCase();
  if (isLoopbackHost(host) || host === domain || host.endsWith(`.${domain}`)) return null;
  return forbidden(`This local server answers on localhost and *.${domain} only, not on ${host}`);
}

/** Headers for everything the IDE's origin serves: never framed, never read by another origin. */
export const IDE_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": "frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "cross-origin-resource-policy": "same-origin",
  "x-content-type-options": "nosniff",
};

/** The answer to a refused request: the API's JSON error body, on every origin and in both modes. */
export function refusalResponse(refusal: Refusal, headers: Readonly<Record<string, string>> = {}): Response {
  const { status, headers: all, body } = refusalParts(refusal, headers);
  return new Response(body, { status, headers: all });
}

/** A refusal's answer as its parts, for a socket that never became a request (the dev server's). */
export function refusalParts(
  refusal: Refusal,
  headers: Readonly<Record<string, string>> = {},
): { status: number; headers: Record<string, string>; body: string } {
  const body: ErrorBody = { error: { code: refusal.code, message: refusal.message } };
  return {
    status: refusal.status,
    headers: {
      ...headers,
      "content-type": "application/json",
      ...(refusal.status === 405 ? { allow: ALLOWED_METHODS } : {}),
    },
    body: JSON.stringify(body),
  };
}

function forbidden(message: string): Refusal {
  return refusal("forbidden", message);
}
