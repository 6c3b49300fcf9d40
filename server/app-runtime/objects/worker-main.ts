/**
 * The Worker of a Worker project (one with a wrangler.jsonc, see shared/project-config.ts): the
 * default export of its main module. The supervisor sends every request of the app's origin to it
 * (`getEntrypoint().fetch`), and it runs the default export of the project's main module with the
 * project's env (variables and Durable Object namespaces, objects.ts), catching what it throws and
 * carrying its console lines back as the App's wrapper does (responses.ts). It also answers the
 * save's probe. The main module re-exports it with each wrapped class (object-class.ts).
 *
 * Per load (placeholders): the channel secret (a constant of this module only, as in wrapper.ts) and
 * the app's main module's specifier.
 */
// The IDE's modules, in the order they evaluate (as in wrapper.ts).
import "../guard";
import "../logs/logs";
import "../meter/meter";
import "./objects";
import "../responses";
import "../shapes";
import { WorkerEntrypoint } from "cloudflare:workers";
import * as userModule from "facet-ide:user-main";
import { enter, MARKING } from "../guard";
import { connectBridge, takePending, withRequestLogs } from "../logs/logs";
import { originals as O } from "../originals";
import { PROBE_HOST, pathOf } from "../protocol";
import { answered, exceptionResponse } from "../responses";
import { shapesOf } from "../shapes";
import * as objects from "./objects";

const CHANNEL: string = __FACET_IDE_CHANNEL__;

const worker = userModule.default;

let exportsOfWorker: Record<string, unknown> | null = null;

/**
 * The ctx the app's Worker gets: the runtime's, with `exports` as on Cloudflare (a namespace for
 * every exported Durable Object class, objects.ts) in place of the loader's.
 */
function workerCtx(ctx: ExecutionContext): ExecutionContext {
  if (exportsOfWorker === null) {
    const given: unknown = (ctx as { exports?: unknown }).exports;
    // biome-ignore lint/performance/noDynamicNamespaceImportAccess: which classes main exports, by name
    exportsOfWorker = objects.workerExports(given, (name) => typeof userModule[name] === "function");
  }
  const exports = exportsOfWorker;
  return {
    waitUntil: (promise: Promise<unknown>) => ctx.waitUntil(promise),
    passThroughOnException: () => ctx.passThroughOnException(),
    get props() {
      return ctx.props;
    },
    exports,
  } as unknown as ExecutionContext;
}

type Handler = { fetch?(request: Request, env: unknown, ctx: ExecutionContext): unknown };
type EntrypointClass = new (ctx: ExecutionContext, env: unknown) => { fetch?(request: Request): unknown };

function runWorker(request: Request, env: unknown, ctx: ExecutionContext): unknown {
  if (typeof worker === "function" && worker.prototype instanceof WorkerEntrypoint) {
    const entrypoint = new (worker as EntrypointClass)(ctx, env);
    if (typeof entrypoint.fetch !== "function") {
      throw new O.Error("The Worker in the default export has no fetch(request) method");
    }
    return entrypoint.fetch(request);
  }
  if (worker !== null && typeof worker === "object" && typeof (worker as Handler).fetch === "function") {
    return (worker as Handler).fetch?.(request, env, ctx);
  }
  throw new O.Error(
    "The main module's default export has no fetch(request, env, ctx): export default { async fetch(request, env, ctx) { ... } }",
  );
}

export default class extends WorkerEntrypoint {
  override async fetch(incoming: Request): Promise<Response> {
    if (new URL(incoming.url).hostname === PROBE_HOST) {
      const report = { isDurableObject: true, shapes: shapesOf(userModule), logs: takePending() };
      return O.apply(O.responseJson, O.Response, [report]);
    }
    connectBridge();
    const env = objects.appEnv(this.env);
    const { request, call } = objects.takeCall(incoming);
    if (MARKING) enter("request", `${request.method} ${pathOf(request.url)}`);
    const run = await objects.withCall(call, () => withRequestLogs(() => runWorker(request, env, workerCtx(this.ctx))));
    if (!run.ok) return exceptionResponse(CHANNEL, run.error, run.lines);
    const response = run.value;
    // Not a Response: handed on as it is, for the runtime to refuse as it would the Worker's own answer.
    if (!(response instanceof O.Response)) return response as Response;
    return answered(CHANNEL, response, run.lines);
  }
}
