// 9. Many Durable Objects as facets of one supervisor (a Worker project, issue 19): what routing each
// request by name to one of 1, 10 or 100 objects costs under load, against the same work done by
// one App keyed by name; and what a save costs with 1 or 100 objects live (a swap stops every live
// object, and the snapshot copies each object's database).
import { readFileSync } from "node:fs";
import { transform } from "sucrase";
import {
  COUNTER_STATIC_HOST,
  http,
  OBJECTS_RUNNER_HOST,
  OBJECTS_STATIC_HOST,
  RUNNER_HOST,
  Runner,
} from "../client.mjs";
import { now, round, summarize } from "../stats.mjs";
import { requestCost } from "./load.mjs";

// The same counter either way: one upsert that returns the new count, per request.
const COUNT_SQL = "INSERT INTO counts (name, n) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET n = n + 1 RETURNING n";

/** An App project: one object, the name a row key. */
export const appCounter = (rev) => `import { DurableObject } from "cloudflare:workers";
const REV = ${rev};
export class App extends DurableObject {
  async fetch(request: Request) {
    const name = new URL(request.url).pathname.split("/")[2] ?? "";
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS counts (name TEXT PRIMARY KEY, n INTEGER)");
    const { n } = this.ctx.storage.sql.exec<{ n: number }>(${JSON.stringify(COUNT_SQL)}, name).one();
    return new Response(REV + " " + name + " " + n);
  }
}
`;

/** A Worker project: an object per name, reached by RPC. */
export const workerCounter = (rev) => ({
  "wrangler.jsonc": `{ "main": "src/index.ts", "durable_objects": { "bindings": [{ "name": "COUNTERS", "class_name": "Counter" }] } }`,
  "src/index.ts": `import { DurableObject } from "cloudflare:workers";
const REV = ${rev};
export class Counter extends DurableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS counts (name TEXT PRIMARY KEY, n INTEGER)");
  }
  hit(name: string) {
    return this.ctx.storage.sql.exec<{ n: number }>(${JSON.stringify(COUNT_SQL)}, name).one().n;
  }
}
export default {
  async fetch(request: Request, env: { COUNTERS: DurableObjectNamespace<Counter> }) {
    const name = new URL(request.url).pathname.split("/")[2] ?? "";
    const n = await env.COUNTERS.getByName(name).hit(name);
    return new Response(REV + " " + name + " " + n);
  },
};
`,
});

/** TypeScript to the JavaScript the baselines load verbatim (as AppRunner is given its code). */
const withoutTypes = (source) => transform(source, { transforms: ["typescript"] }).code;
const runnerModule = (name) => readFileSync(new URL(`../objects-runner/${name}`, import.meta.url), "utf8");

/**
 * The floors the Worker's figures are read against, in the baselines' runtime (bench/worker.ts): the
 * scenario's App on AppRunner and its Worker on the ObjectsRunner (the announcement's runner grown to
 * objects: the loaded Worker's namespace calls a bridge, which calls the runner, which calls the
 * object's facet; nothing checked, metered or logged), and both as an ordinary Durable Object and an
 * ordinary Worker calling ordinary objects. All over 100 names, every object made before the load.
 * @param {{ origin: string, cpuMs: () => number }} runtime
 */
async function floors(runtime) {
  const paths = pathsFor(100);
  const instance = "objects";
  const headers = { "x-bench-instance": instance };
  await new Runner(runtime.origin, instance).setCode(withoutTypes(appCounter(1)));
  await new Runner(runtime.origin, instance, OBJECTS_RUNNER_HOST).setCode({
    "main.js": runnerModule("main.js"),
    "namespace.js": runnerModule("namespace.js"),
    "user.js": withoutTypes(workerCounter(1)["src/index.ts"]),
  });
  const at = (host) => ({ origin: runtime.origin, host, headers, cpuMs: runtime.cpuMs, paths });
  const targets = {
    runnerApp: at(RUNNER_HOST),
    runnerWorker: at(OBJECTS_RUNNER_HOST),
    staticApp: at(COUNTER_STATIC_HOST),
    staticWorker: at(OBJECTS_STATIC_HOST),
  };
  for (const target of Object.values(targets)) {
    for (const path of paths) {
      const res = await http(target.origin, { path, host: target.host, headers });
      if (res.status !== 200) throw new Error(`${target.host}${path}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
    }
  }
  return targets;
}

const pathsFor = (count) => Array.from({ length: count }, (_, i) => `/o/${i}`);

/**
 * @param {(name: string) => Promise<import("../client.mjs").Project>} create makes a project on npm start
 * @param {{ origin: string, cpuMs: () => number }} ide
 * @param {{ origin: string, cpuMs: () => number } | null} runtime the baselines' runtime, for the floors
 */
export async function manyObjects(create, ide, { cost, saves }, runtime) {
  const target = async (name, source, objects) => {
    const project = await create(name);
    await project.save(source);
    const paths = pathsFor(objects);
    // Every object exists (and is running) before the load starts.
    for (const path of paths) await project.get(path);
    return { project, target: { origin: ide.origin, host: project.host, cpuMs: ide.cpuMs, paths } };
  };
  const app = await target("bench-objects-app", appCounter(1), 100);
  const one = await target("bench-objects-1", workerCounter(1), 1);
  const ten = await target("bench-objects-10", workerCounter(1), 10);
  const hundred = await target("bench-objects-100", workerCounter(1), 100);
  const load = await requestCost(
    {
      app: app.target,
      objects1: one.target,
      objects10: ten.target,
      objects100: hundred.target,
      ...(runtime ? await floors(runtime) : {}),
    },
    cost,
  );

  // Save to live (PUT until it returned, then the first GET on each live object) with 1 and 100
  // objects live, interleaved; each save's snapshot copies every object's database. Before each save,
  // the same GETs without one, so the table can tell the save's cost from the requests'.
  const timings = { objects1: [], objects100: [] };
  const sides = { objects1: one, objects100: hundred };
  let rev = 2;
  for (let i = 0; i < saves.count + saves.warmup; i++) {
    for (const name of i % 2 ? ["objects100", "objects1"] : ["objects1", "objects100"]) {
      const side = sides[name];
      // The same GETs without a save: what serving every object takes anyway, one after another.
      const steady = now();
      for (const path of side.target.paths) await side.project.get(path);
      const steadyMs = now() - steady;
      const started = now();
      await side.project.save(workerCounter(rev++));
      const saved = now() - started;
      for (const path of side.target.paths) await side.project.get(path);
      if (i >= saves.warmup) timings[name].push({ saveMs: saved, allServedMs: now() - started, steadyMs });
    }
  }
  const summary = (list) => ({
    saveMs: summarize(list.map((t) => t.saveMs)),
    allServedMs: summarize(list.map((t) => t.allServedMs)),
    steadyMs: summarize(list.map((t) => t.steadyMs)),
  });
  return {
    load,
    saveToLive: { objects1: summary(timings.objects1), objects100: summary(timings.objects100) },
    objectsPerSecond100: round((100 * 1000) / summarize(timings.objects100.map((t) => t.allServedMs)).median, 0),
  };
}
