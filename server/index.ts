/**
 * Worker entry. Requests for `<project>.<PREVIEW_DOMAIN>` go to that project's app; `/api/...` to
 * the API; `/mcp` to the MCP server; everything else is the IDE's static assets.
 */
import { forbiddenMethodResponse } from "../shared/forbidden-methods";
import { api } from "./api/routes";
import { MCP_PATH, serveMcp } from "./mcp/server";
import { previewProjectOf } from "./preview";
import { supervisorFor } from "./supervisor-stub";

export { AlarmBridge } from "./alarm-bridge";
export { KeyRegistry } from "./keys/KeyRegistry";
export { LogBridge } from "./log-bridge";
export { MeterBridge } from "./meter-bridge";
export { ObjectBridge } from "./object-bridge";
export { ProjectSupervisor } from "./supervisor/ProjectSupervisor";

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const refused = forbiddenMethodResponse(request.method);
    if (refused) return refused;
    const projectId = previewProjectOf(request, env);
    if (projectId) return supervisorFor(env, projectId).fetch(request);
    const { pathname } = new URL(request.url);
    if (pathname === "/api" || pathname.startsWith("/api/")) return api.fetch(request, env, ctx);
    if (pathname === MCP_PATH) return serveMcp(request, env, ctx);
    return env.ASSETS.fetch(request);
  },
} satisfies ExportedHandler<Env>;
