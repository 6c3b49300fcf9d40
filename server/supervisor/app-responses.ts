/** Responses the app host makes or reshapes on the way out of the facet. */
import { LOGS_HEADER } from "./app-logs";

/**
 * A swap must not cut a body the app is still writing, so the request counts as in flight until its
 * body has passed through (up to the swap's deadline). WebSocket upgrades are released at once: a
 * swap does not wait for sockets the app holds, it closes them with 1012 and the reason.
 */
export function releasedWhenStreamed(response: Response, release: () => void): Response {
  if (!response.body || response.webSocket || response.headers.has("content-length")) {
    release();
    return response;
  }
  // The runtime's native byte pipe: the standard JS TransformStream ran per chunk in JavaScript and
  // was about a tenth of the supervisor's CPU per request (bench/profile/cpu-profile.mjs).
  const { readable, writable } = new IdentityTransformStream();
  response.body.pipeTo(writable).then(release, release);
  return new Response(readable, response);
}

/** Sets `x-app-version`, and drops the header the wrapper passes the request's console lines in. */
export function withVersion(response: Response, version: number): Response {
  const headers = new Headers(response.headers);
  headers.set("x-app-version", String(version));
  headers.delete(LOGS_HEADER);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
    webSocket: response.webSocket,
  });
}

export function hungResponse(detail: string, version: number): Response {
  return new Response(
    `v${version} of this app froze the runtime (${detail}), so it will not run again. Save a new version to continue.\n`,
    {
      status: 503,
      headers: { "content-type": "text/plain; charset=utf-8", "x-app-version": String(version), "retry-after": "3600" },
    },
  );
}

export function noCodeResponse(projectId: string): Response {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${projectId}: no code yet</title>
<style>body{font:16px/1.5 system-ui,sans-serif;display:grid;place-items:center;height:90vh;color:#444;background:#fafafa}</style></head>
<body><div><h1>No code yet</h1><p>Project <b>${projectId}</b> has no saved version. Save an <code>App</code> class to see it here.</p></div></body></html>`;
  return new Response(html, {
    status: 404,
    headers: { "content-type": "text/html; charset=utf-8", "x-app-version": "none" },
  });
}
