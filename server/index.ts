/**
 * Worker entry. Requests for `<project>.<PREVIEW_DOMAIN>` go to that project's app; `/api/...` to
 * the API; `/mcp` to the MCP server; everything else is the IDE's static assets. What is refused
 * before any of them answers is decided in shared/http/ide-requests.ts: TRACE and friends on every
 * origin, requests from other sites on the IDE's own, and locally any Host that is not this machine's.
 */
import {
  IDE_RESPONSE_HEADERS,
  ideRequestRefusal,
  localHostRefusal,
  methodRefusal,
  refusalResponse,
} from "../shared/http/ide-requests";
import { api } from "./api/routes";
import { noteIdeHost } from "./bridges/ide-origins";
import { settleVerdicts } from "./launcher";
import { MCP_PATH, mcpRefusal, serveMcp } from "./mcp/server";
import { noSuchProject, previewProjectOf } from "./preview";
import { existingSupervisor } from "./supervisor-stub";
import { warmTypeChecker } from "./type-check/warm-up";

export { AlarmBridge } from "./bridges/alarm-bridge";
export { LogBridge } from "./bridges/log-bridge";
export { MeterBridge } from "./bridges/meter-bridge";
export { Gateway } from "./bridges/network-gateway";
export { ObjectBridge } from "./bridges/object-bridge";
export { KeyRegistry } from "./keys/KeyRegistry";
export { PackageCache } from "./packages/PackageCache";
export { ProjectSupervisor } from "./supervisor/ProjectSupervisor";

export default {
  async fetch(request, env, ctx): Promise<Response> {
    // Under the launcher, verdicts on code that froze the last runtime are recorded first (server/launcher.ts).
    const settling = settleVerdicts(env);
    if (settling) await settling;
    const warming = warmTypeChecker(env);
    if (warming) await warming;
    const url = new URL(request.url);
    const foreignHost = env.ENVIRONMENT === "development" ? localHostRefusal(url.hostname, env.PREVIEW_DOMAIN) : null;
    if (foreignHost) return refusalResponse(foreignHost);
    noteIdeHost(url.host);
    const projectId = previewProjectOf(request, env);
    if (projectId) {
      const refused = methodRefusal(request.method);
      if (refused) return refusalResponse(refused);
      // The app's 3xx goes back to the browser as it is (a Request made here would follow it).
      const manual = request.redirect === "manual" ? request : new Request(request, { redirect: "manual" });
      // A project that does not exist is answered here: reaching its supervisor would make its storage.
      const supervisor = await existingSupervisor(env, projectId);
      return supervisor ? supervisor.fetch(manual) : noSuchProject(url.hostname);
    }
    const refused = ideRequestRefusal({
      method: request.method,
      origin: url.origin,
      header: (name) => request.headers.get(name),
    });
    if (url.pathname === MCP_PATH) return refused ? mcpRefusal(refused) : serveMcp(request, env, ctx);
    if (refused) return refusalResponse(refused, IDE_RESPONSE_HEADERS);
    const isApi = url.pathname === "/api" || url.pathname.startsWith("/api/");
    const response = isApi ? await api.fetch(request, env, ctx) : await env.ASSETS.fetch(request);
    return withIdeHeaders(response);
  },
} satisfies ExportedHandler<Env>;

function withIdeHeaders(response: Response): Response {
  // WebSocket upgrades keep their response as it is (its headers are the handshake's).
  if (response.webSocket) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(IDE_RESPONSE_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
