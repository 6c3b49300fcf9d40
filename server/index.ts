/**
 * Worker entry. Requests for `<project>.<PREVIEW_DOMAIN>` go to that project's app; `/api/...` to
 * the API; everything else is the IDE's static assets.
 */
import { api } from "./api/routes";
import { previewProjectOf } from "./preview";
import { supervisorFor } from "./supervisor-stub";

export { AlarmBridge } from "./alarm-bridge";
export { LogBridge } from "./log-bridge";
export { MeterBridge } from "./meter-bridge";
export { ProjectSupervisor } from "./supervisor/ProjectSupervisor";

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const projectId = previewProjectOf(request, env);
    if (projectId) return supervisorFor(env, projectId).fetch(request);
    const { pathname } = new URL(request.url);
    if (pathname === "/api" || pathname.startsWith("/api/")) return api.fetch(request, env, ctx);
    return env.ASSETS.fetch(request);
  },
} satisfies ExportedHandler<Env>;
