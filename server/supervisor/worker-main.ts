/**
 * The generated main module of a Worker project (one with a wrangler.jsonc, see project-config.ts).
 * Its default export is the app's Worker: the supervisor sends every request of the app's origin to
 * it (`getEntrypoint().fetch`), and it runs the default export of the project's main module with the
 * project's env (variables and Durable Object namespaces, object-runtime.ts), catching what it throws
 * and carrying its console lines back as the App's wrapper does. Each class a binding names is
 * re-exported under its own name, wrapped by wrapper.ts as the App is, so every object has the SQL
 * console, dumps, alarms and the meter. The default export also answers the save's probe.
 */

import type { ProjectConfig } from "../../shared/project-config";
import { EXCEPTION_HEADER, LOGS_HEADER, PROBE_HOST } from "../internal";
import { LOG_BINDING, LOGS_MODULE } from "./app-logs";
import { METER_MODULE } from "./app-meter";
import { OBJECTS_MODULE } from "./object-runtime";
import { shapeOfSource } from "./wrapper";

/** The module each bound class is wrapped in. */
export const classModuleName = (className: string) => `__facet_ide_class_${className}.js`;

export function workerMainModule(mainSpecifier: string, config: ProjectConfig): string {
  const classes = [...new Set(config.bindings.map((b) => b.className))];
  const reexports = classes.map((name) => `export { App as ${name} } from "./${classModuleName(name)}";`).join("\n");
  return `import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
import "./${METER_MODULE}";
import { describe, takePending, useBridge, withRequestLogs } from "./${LOGS_MODULE}";
import * as objects from "./${OBJECTS_MODULE}";
${reexports}
import * as userModule from ${JSON.stringify(mainSpecifier)};

const HANDLERS = ["fetch", "alarm", "webSocketMessage", "webSocketClose", "webSocketError"];

${shapeOfSource}

const worker = userModule.default;

function runWorker(request, env, ctx) {
  if (typeof worker === "function" && worker.prototype instanceof WorkerEntrypoint) {
    const entrypoint = new worker(ctx, env);
    if (typeof entrypoint.fetch !== "function") throw new Error("The Worker in the default export has no fetch(request) method");
    return entrypoint.fetch(request);
  }
  if (worker !== null && typeof worker === "object" && typeof worker.fetch === "function") {
    return worker.fetch(request, env, ctx);
  }
  throw new Error("The main module's default export has no fetch(request, env, ctx): export default { async fetch(request, env, ctx) { ... } }");
}

export default class extends WorkerEntrypoint {
  async fetch(incoming) {
    if (new URL(incoming.url).hostname === ${JSON.stringify(PROBE_HOST)}) {
      return Response.json({
        isDurableObject: true,
        shapes: Object.fromEntries(Object.entries(userModule).map(([name, value]) => [name, shapeOf(value)])),
        logs: takePending(),
      });
    }
    useBridge(this.env.${LOG_BINDING});
    const env = objects.appEnv(this.env);
    const { request, call } = objects.takeCall(incoming);
    const run = await objects.withCall(call, () => withRequestLogs(() => runWorker(request, env, this.ctx)));
    if (!run.ok) {
      return Response.json(
        { ...describe(run.error), logs: run.lines },
        { status: 500, headers: { ${JSON.stringify(EXCEPTION_HEADER)}: "1" } },
      );
    }
    const response = run.value;
    if (run.lines.length === 0 || !(response instanceof Response)) return response;
    const headers = new Headers(response.headers);
    headers.set(${JSON.stringify(LOGS_HEADER)}, encodeURIComponent(JSON.stringify(run.lines)));
    return new Response(response.status === 101 ? null : response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
      webSocket: response.webSocket,
    });
  }
}
`;
}
