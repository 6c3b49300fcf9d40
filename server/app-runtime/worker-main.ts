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
import { PROBE_HOST } from "../internal";
import { LOGS_MODULE } from "./app-logs";
import { METER_MODULE } from "./app-meter";
import { GUARD_MODULE } from "./guard-runtime";
import { OBJECTS_MODULE } from "./object-runtime";
import { channelResponsesSource, shapeOfSource } from "./wrapper";

/** The module each bound class is wrapped in. */
export const classModuleName = (className: string) => `__facet_ide_class_${className}.js`;

/**
 * `channel`: the load's secret, which marks what the Worker's fetch tells the supervisor, as the
 * App's wrapper marks it (app-channel.ts); the guard module evaluates first, as there.
 */
export function workerMainModule(mainSpecifier: string, config: ProjectConfig, channel: string): string {
  const classes = [...new Set(config.bindings.map((b) => b.className))];
  const reexports = classes.map((name) => `export { App as ${name} } from "./${classModuleName(name)}";`).join("\n");
  return `import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
import { originals as O, enter, MARKING } from "./${GUARD_MODULE}";
import { describe, takePending, useBridge, withRequestLogs } from "./${LOGS_MODULE}";
import "./${METER_MODULE}";
import * as objects from "./${OBJECTS_MODULE}";
${reexports}
import * as userModule from ${JSON.stringify(mainSpecifier)};

const CHANNEL = ${JSON.stringify(channel)};
const HANDLERS = ["fetch", "alarm", "webSocketMessage", "webSocketClose", "webSocketError"];

${shapeOfSource}

${channelResponsesSource}

const worker = userModule.default;

function runWorker(request, env, ctx) {
  if (typeof worker === "function" && worker.prototype instanceof WorkerEntrypoint) {
    const entrypoint = new worker(ctx, env);
    if (typeof entrypoint.fetch !== "function") throw new O.Error("The Worker in the default export has no fetch(request) method");
    return entrypoint.fetch(request);
  }
  if (worker !== null && typeof worker === "object" && typeof worker.fetch === "function") {
    return worker.fetch(request, env, ctx);
  }
  throw new O.Error("The main module's default export has no fetch(request, env, ctx): export default { async fetch(request, env, ctx) { ... } }");
}

export default class extends WorkerEntrypoint {
  async fetch(incoming) {
    if (new URL(incoming.url).hostname === ${JSON.stringify(PROBE_HOST)}) {
      let shapes = {};
      try {
        shapes = Object.fromEntries(O.keys(userModule).map((name) => [name, shapeOf(userModule[name])]));
      } catch {}
      return O.apply(O.responseJson, O.Response, [{ isDurableObject: true, shapes, logs: takePending() }]);
    }
    useBridge();
    const env = objects.appEnv(this.env);
    const { request, call } = objects.takeCall(incoming);
    if (MARKING) enter("request", request.method + " " + pathOf(request.url));
    const run = await objects.withCall(call, () => withRequestLogs(() => runWorker(request, env, this.ctx)));
    if (!run.ok) return exceptionResponse(run.error, run.lines);
    const response = run.value;
    if (run.lines.length === 0 || !(response instanceof O.Response)) return response;
    return withLines(response, run.lines);
  }
}
`;
}
