/** Responses the app host makes or reshapes on the way out of the facet. */

import type { GatePass } from "../versions/swap-gate";
import { withoutChannelHeaders } from "./app-channel";
import { pumpWithTap } from "./body-tap";
import type { RequestObserver } from "./request-calls";

/**
 * The app's response as the client gets it, built once: `x-app-version` set, the channel's headers
 * dropped (the wrapper's, or ones the app set itself), and the request released from the swap gate once the body has passed through. A swap must
 * not cut a body the app is still writing, so the request counts as in flight until then (up to the
 * swap's deadline); if a swap cuts it off, the client's body ends in that error, not in a clean end
 * of stream that would pass for a complete body. WebSocket upgrades are released at once: a swap does
 * not wait for sockets the app holds, it closes them with 1012 and the reason. With `tap` (the
 * request is being recorded), the body's first bytes are kept as it passes (body-tap.ts). `whole`: the
 * body, already read in one go (app-channel.ts's wholeBody), which nothing can cut any more.
 */
export function forClient(
  response: Response,
  version: string,
  pass: GatePass,
  recording?: Pick<RequestObserver, "body" | "socket">,
  whole: Uint8Array | null = null,
): Response {
  const headers = versionHeaders(response, version);
  const tap = recording?.body;
  let body: ReadableStream<Uint8Array> | Uint8Array | null = response.body;
  if (whole) {
    pass.release();
    tap?.whole(whole);
    body = whole;
  } else if (!body || response.webSocket || headers.has("content-length")) {
    pass.release();
  } else {
    // The runtime's native byte pipe: the standard JS TransformStream runs per chunk in JavaScript,
    // on every streamed response (bench/profile/cpu-profile.mjs shows its share).
    const { readable, writable } = new IdentityTransformStream();
    pass.stage = "response body still streaming";
    const stream = body;
    if (tap) pass.onCut = pumpWithTap(stream, writable, tap, pass.release);
    else {
      const cut = new AbortController();
      pass.onCut = (reason) => cut.abort(reason);
      stream.pipeTo(writable, { signal: cut.signal }).then(pass.release, pass.release);
    }
    body = readable;
  }
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers,
    webSocket: response.webSocket && recording?.socket ? recording.socket(response.webSocket) : response.webSocket,
  });
}

/** Sets `x-app-version` on a response the supervisor made. */
export function withVersion(response: Response, version: string): Response {
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: versionHeaders(response, version),
    webSocket: response.webSocket,
  });
}

function versionHeaders(response: Response, version: string): Headers {
  const headers = withoutChannelHeaders(new Headers(response.headers));
  headers.set("x-app-version", version);
  return headers;
}

/** The answer to a request a swap cut off before the app answered it. */
export function cutOffResponse(reason: Error): Response {
  return new Response(`${reason.message}\n`, {
    status: 503,
    headers: { "content-type": "text/plain; charset=utf-8", "retry-after": "1" },
  });
}

/** The answer of a version (`label`: "v7", "draft-2") that froze the runtime and is not run again. */
export function hungResponse(detail: string, label: string): Response {
  return new Response(
    `${label} of this app froze the runtime (${detail}), so it will not run again until code is saved (the same code too).\n`,
    {
      status: 503,
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "x-app-version": label.replace(/^v/, ""),
        "retry-after": "3600",
      },
    },
  );
}

/** The draft origin's answer while the project has no draft. */
export function noDraftResponse(projectId: string): Response {
  return new Response(
    `Project ${projectId} has no draft. "Try on a copy" in the IDE (or PUT /api/projects/${projectId}/draft/code) makes one.\n`,
    { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "x-app-version": "none" } },
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
