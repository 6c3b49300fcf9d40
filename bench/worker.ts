/**
 * The bench's worker: the real server, plus the two baselines in the same runtime.
 *
 * - `runner.bench.localhost`: the minimal AppRunner from Cloudflare's announcement (store code under
 *   a random ID, load it into the facet "app"; no transpiling, validation or versions). Adapted only
 *   so a benchmark can drive it: setCode arrives as `POST /__bench/code`, and it aborts the facet so
 *   the next request loads the new code (without that, the old code keeps running).
 * - `static.bench.localhost`: the same App class (bench/app.js) as an ordinary Durable Object.
 * - `objects-runner.bench.localhost`: the floor of a Worker project whose objects are facets (the
 *   objects scenario): the AppRunner grown to objects, nothing added. Its code (POST /__bench/code, a
 *   JSON object of modules) is a Worker whose namespace calls `ObjectsRunnerBridge`, which calls the
 *   runner, which serves each object as a facet of itself.
 * - `objects-static.bench.localhost` and `counter-static.bench.localhost`: the objects scenario's
 *   Worker and App as an ordinary Worker and ordinary Durable Objects (bench/counters.ts).
 * - everything else: the real server (server/index.ts), unchanged; with `x-bench-metering: off` it
 *   runs on UnmeteredSupervisor, the same supervisor with METERING "off", so the bench compares the
 *   meter's cost in one runtime (projects must be created, saved and requested with the header).
 *
 * Neither host can be a project: a project host is a single DNS label before `.localhost`.
 * `x-bench-instance` picks the Durable Object name (default "bench").
 */
import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
import server from "../server/index";
import { ProjectSupervisor } from "../server/supervisor/ProjectSupervisor";
import { App } from "./app.js";
import { counterName, StaticCounter, StaticCounterApp } from "./counters";

// Every class and entrypoint the server exports (ProjectSupervisor, LogBridge, ...): the supervisor
// finds its entrypoints through ctx.exports, i.e. this module's exports.
export * from "../server/index";
export { StaticCounter, StaticCounterApp };

type BenchEnv = Env & {
  RUNNER: DurableObjectNamespace<AppRunner>;
  STATIC_APP: DurableObjectNamespace<StaticApp>;
  SUPERVISOR_UNMETERED: DurableObjectNamespace<UnmeteredSupervisor>;
  OBJECTS_RUNNER: DurableObjectNamespace<ObjectsRunner>;
  STATIC_COUNTER: DurableObjectNamespace<StaticCounter>;
  STATIC_COUNTER_APP: DurableObjectNamespace<StaticCounterApp>;
};

const RUNNER_HOST = "runner.bench.localhost";
const STATIC_HOST = "static.bench.localhost";
const OBJECTS_RUNNER_HOST = "objects-runner.bench.localhost";
const OBJECTS_STATIC_HOST = "objects-static.bench.localhost";
const COUNTER_STATIC_HOST = "counter-static.bench.localhost";
const BASELINE_HOSTS = new Set([
  RUNNER_HOST,
  STATIC_HOST,
  OBJECTS_RUNNER_HOST,
  OBJECTS_STATIC_HOST,
  COUNTER_STATIC_HOST,
]);

/** The announcement's AppRunner, with `abort` added to setCode. */
export class AppRunner extends DurableObject<BenchEnv> {
  override async fetch(request: Request): Promise<Response> {
    const facet = this.ctx.facets.get("app", async () => {
      const worker = this.#loadDynamicWorker();
      return { class: worker.getDurableObjectClass("App") };
    });
    return await facet.fetch(request);
  }

  setCode(code: string): void {
    this.ctx.storage.kv.put("codeId", crypto.randomUUID());
    this.ctx.storage.kv.put("code", code);
    this.ctx.facets.abort("app", new Error("new code"));
  }

  #loadDynamicWorker(): WorkerStub {
    const codeId = this.ctx.storage.kv.get<string>("codeId") ?? "none";
    return this.env.LOADER.get(codeId, async () => {
      const code = this.ctx.storage.kv.get<string>("code") ?? "";
      return {
        compatibilityDate: "2026-04-01",
        mainModule: "worker.js",
        modules: { "worker.js": code },
        globalOutbound: null,
      };
    });
  }
}

/**
 * The AppRunner grown to a Worker with Durable Objects, as the facets announcement's prototype of
 * many objects does it: the loaded Worker serves every request (`getEntrypoint().fetch`), its
 * namespace reaches `ObjectsRunnerBridge`, and each object is the facet `obj:<name>` of the runner,
 * running the Worker's `Counter` class. setCode aborts the live objects so the next call loads anew.
 */
export class ObjectsRunner extends DurableObject<BenchEnv> {
  override async fetch(request: Request): Promise<Response> {
    return await this.#loadDynamicWorker().getEntrypoint().fetch(request);
  }

  /** The objects that ran since this instance started (the facets API lists none): setCode stops them. */
  #running = new Set<string>();

  async objectCall(name: string, method: string, args: unknown[]): Promise<unknown> {
    this.#running.add(name);
    const facet = this.ctx.facets.get(`obj:${name}`, async () => ({
      class: this.#loadDynamicWorker().getDurableObjectClass("Counter"),
      id: name,
    }));
    // The stub has every method of the class; the bench's Worker calls only `hit`.
    const callable = facet as unknown as Record<string, (...values: unknown[]) => Promise<unknown>>;
    return await callable[method]?.(...args);
  }

  setCode(instance: string, modules: Record<string, string>): void {
    this.ctx.storage.kv.put("codeId", crypto.randomUUID());
    this.ctx.storage.kv.put("modules", modules);
    this.ctx.storage.kv.put("instance", instance);
    for (const name of this.#running) this.ctx.facets.abort(`obj:${name}`, new Error("new code"));
    this.#running.clear();
  }

  #loadDynamicWorker(): WorkerStub {
    const codeId = this.ctx.storage.kv.get<string>("codeId") ?? "none";
    return this.env.LOADER.get(codeId, async () => {
      const instance = this.ctx.storage.kv.get<string>("instance") ?? "bench";
      return {
        compatibilityDate: "2026-04-01",
        mainModule: "main.js",
        modules: this.ctx.storage.kv.get<Record<string, string>>("modules") ?? {},
        env: { BRIDGE: (this.ctx.exports as unknown as BenchExports).ObjectsRunnerBridge({ props: { instance } }) },
        globalOutbound: null,
      };
    });
  }
}

/** This module's exports as the runtime gives them (the generated Env types know the server's only). */
interface BenchExports {
  ObjectsRunnerBridge(options: { props: { instance: string } }): Fetcher;
}

/** The namespace's way back from the loaded Worker into its runner. */
export class ObjectsRunnerBridge extends WorkerEntrypoint<BenchEnv, { instance: string }> {
  async call(name: string, method: string, args: unknown[]): Promise<unknown> {
    return await this.env.OBJECTS_RUNNER.getByName(this.ctx.props.instance).objectCall(name, method, args);
  }
}

/** The same class, deployed the ordinary way. */
export class StaticApp extends App {}

/**
 * The real supervisor with the meter and limits off, for the bench's metering row. Its apps' bridges
 * call back the metered namespace (they find their supervisor through env.SUPERVISOR), so an app
 * measured here must not log outside a request or set alarms; the bench's GET does neither.
 */
export class UnmeteredSupervisor extends ProjectSupervisor {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, { ...env, METERING: "off" as unknown as Env["METERING"] });
  }
}

/** The server's entry serves the IDE from ASSETS; the bench has no IDE build, so answer 404. */
const noAssets = { fetch: async () => new Response("The bench serves no IDE assets.\n", { status: 404 }) };
/** The env handed to the server, built once per env object, so the wrapper adds no per-request work. */
const serverEnvs = new WeakMap<object, { metered: Env; unmetered: Env }>();
function serverEnv(env: BenchEnv, metered: boolean): Env {
  let wrapped = serverEnvs.get(env);
  if (!wrapped) {
    const base = { ...env, ASSETS: noAssets as unknown as Fetcher };
    const unmetered = env.SUPERVISOR_UNMETERED as unknown as Env["SUPERVISOR"];
    wrapped = { metered: base, unmetered: { ...base, SUPERVISOR: unmetered } };
    serverEnvs.set(env, wrapped);
  }
  return metered ? wrapped.metered : wrapped.unmetered;
}

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const url = new URL(request.url);
    if (!BASELINE_HOSTS.has(url.hostname)) {
      const metered = request.headers.get("x-bench-metering") !== "off";
      return server.fetch(request, serverEnv(env, metered), ctx);
    }
    const name = request.headers.get("x-bench-instance") ?? "bench";
    if (url.hostname === OBJECTS_STATIC_HOST) {
      const counter = counterName(request.url);
      return new Response(`0 ${counter} ${await env.STATIC_COUNTER.getByName(counter).hit(counter)}`);
    }
    if (url.hostname === COUNTER_STATIC_HOST) return env.STATIC_COUNTER_APP.getByName(name).fetch(request);
    if (url.hostname === OBJECTS_RUNNER_HOST) {
      const runner = env.OBJECTS_RUNNER.getByName(name);
      if (request.method === "POST" && url.pathname === "/__bench/code") {
        await runner.setCode(name, (await request.json()) as Record<string, string>);
        return new Response("ok\n");
      }
      return runner.fetch(request);
    }
    if (url.hostname === RUNNER_HOST) {
      const runner = env.RUNNER.getByName(name);
      if (request.method === "POST" && url.pathname === "/__bench/code") {
        await runner.setCode(await request.text());
        return new Response("ok\n");
      }
      return runner.fetch(request);
    }
    return env.STATIC_APP.getByName(name).fetch(request);
  },
} satisfies ExportedHandler<BenchEnv>;
