/**
 * The internet as the worker tests see it: the IDE worker's own outbound fetches (the gateway's)
 * reach this handler, which runs in Node (miniflare's outboundService). Every host answers alike:
 * `/echo` with what it received (so a test sees the injected header arrive), `/redirect?to=` with a
 * 302, `/big` with a body past a small cap (`/big-stream` without a Content-Length), `/slow` late.
 * `registry.test` is the npm registry the package tests install from (tests/fixtures/registry/).
 */
import { fixtureRegistry } from "../../fixtures/registry/server.ts";

const registry = fixtureRegistry();
export const REGISTRY_URL = "http://registry.test/";

export async function standInApi(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.host === "registry.test") return registry.handle(request, REGISTRY_URL);
  switch (url.pathname) {
    case "/echo":
      return Response.json({
        method: request.method,
        host: url.host,
        path: url.pathname,
        headers: Object.fromEntries(request.headers),
        body: request.body ? await request.text() : null,
      });
    case "/redirect":
      return new Response(null, { status: 302, headers: { location: url.searchParams.get("to") ?? "/" } });
    case "/big":
      return new Response("x".repeat(5000));
    case "/big-stream": {
      const chunk = new TextEncoder().encode("y".repeat(1000));
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ >= 5) controller.close();
          else controller.enqueue(chunk);
        },
      });
      return new Response(body);
    }
    case "/slow":
      await new Promise((resolve) => setTimeout(resolve, 3000));
      return new Response("late");
    default:
      return new Response("not found", { status: 404 });
  }
}
