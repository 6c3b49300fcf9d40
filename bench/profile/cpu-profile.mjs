// Profiling aid, not part of `npm run bench`: a V8 CPU profile of the worker's isolate (supervisor,
// LogBridge, entry) while autocannon sends requests to one target, printed as the top functions by
// self and inclusive time and saved as a .cpuprofile (open it in Chrome DevTools).
// Usage (Node >= 22): node bench/profile/cpu-profile.mjs [supervisor|static|runner|save|objects|worker] [config]
// (config `build`: npm start's own build in dist/, supervisor, save and objects only).
// `save` profiles 100 distinct saves of the supervisor, each followed by one GET; `objects` 10 saves
// of a Worker project with 100 live objects (scenario 9), each followed by one GET of every object;
// `worker` requests of that Worker project spread over its 100 objects (scenario 9's load).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { appSource, Project, RUNNER_HOST, Runner, STATIC_HOST } from "../client.mjs";
import { startRuntime } from "../runtime.mjs";
import { cannon } from "../scenarios/load.mjs";
import { workerCounter } from "../scenarios/objects.mjs";

const which = process.argv[2] ?? "supervisor";
const config = process.argv[3] ?? "bench/wrangler.bench.jsonc";
const REQUESTS = 2000;

const rt = await startRuntime({ config });
try {
  const { origin } = rt;
  const project = await Project.create(origin, "profile");
  const ofWorker = which === "objects" || which === "worker";
  await project.save(ofWorker ? workerCounter(1) : appSource(1));
  const objectPaths = Array.from({ length: 100 }, (_, i) => `/o/${i}`);
  if (ofWorker) for (const path of objectPaths) await project.get(path);
  if (config !== "build") await new Runner(origin, "profile").setCode(appSource(1));
  const headers = { "x-bench-instance": "profile" };
  const target = {
    supervisor: { origin, host: project.host },
    static: { origin, host: STATIC_HOST, headers },
    runner: { origin, host: RUNNER_HOST, headers },
    save: { origin, host: project.host },
    objects: { origin, host: project.host, paths: objectPaths },
    worker: { origin, host: project.host, paths: objectPaths },
  }[which];
  await cannon(target, { connections: 8, amount: 300 });

  // workerd's own inspector lists one target per worker; the bench's is named after its config.
  const targets = await (await fetch(`http://127.0.0.1:${rt.inspectorPort}/json/list`)).json();
  const worker = targets.find((t) => /:facet-ide(-bench)?$/.test(String(t.id))) ?? targets[0];
  const ws = new WebSocket(worker.webSocketDebuggerUrl.replace("localhost", "127.0.0.1"));
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error("inspector socket failed"));
  });
  let id = 0;
  const pending = new Map();
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data));
    pending.get(m.id)?.(m);
    pending.delete(m.id);
  };
  const call = (method, params = {}) =>
    new Promise((resolve) => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  // workerd answers inspector messages when the isolate next runs: send them all, then make traffic.
  const ready = Promise.all([call("Runtime.enable"), call("Profiler.enable"), call("Profiler.start")]);
  await cannon(target, { connections: 1, amount: 5 });
  await ready;
  let rev = 10;
  if (which === "save") {
    for (let i = 0; i < 100; i++) {
      await project.save(appSource(rev++));
      await project.get("/");
    }
  } else if (which === "objects") {
    for (let i = 0; i < 10; i++) {
      await project.save(workerCounter(rev++));
      await Promise.all(objectPaths.map((path) => project.get(path)));
    }
  } else await cannon(target, { connections: 8, amount: REQUESTS });
  const stopped = call("Profiler.stop");
  await cannon(target, { connections: 1, amount: 5 });
  const { profile } = (await stopped).result;
  ws.close();

  const file = join(rt.dir, "..", `facet-ide-bench-${which}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) =>
    `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber + 1}`;
  const bySelf = new Map();
  const byIncl = new Map();
  for (const n of profile.nodes) {
    const t = self.get(n.id) ?? 0;
    bySelf.set(name(n), (bySelf.get(name(n)) ?? 0) + t);
    const seen = new Set();
    for (let cur = n.id; cur !== undefined; cur = parent.get(cur)) {
      const k = name(nodes.get(cur));
      if (!seen.has(k)) byIncl.set(k, (byIncl.get(k) ?? 0) + t);
      seen.add(k);
    }
  }
  const count = which === "save" ? 100 : which === "objects" ? 10 : REQUESTS;
  const busy = [...bySelf].filter(([k]) => !k.startsWith("(idle)")).reduce((a, [, v]) => a + v, 0);
  console.log(
    `${which}: ${count} operations, ${busy.toFixed(0)} ms on the isolate's CPU (${(busy / count).toFixed(3)} ms each)`,
  );
  const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log("self ms   function (bundle line)");
  for (const [k, v] of top(bySelf, 20)) console.log(v.toFixed(0).padStart(7), " ", k);
  console.log("inclusive ms");
  for (const [k, v] of top(byIncl, 25)) console.log(v.toFixed(0).padStart(7), " ", k);
  console.log(`profile: ${file}; bundle: ${join(rt.dir, "bundle")} (kept with BENCH_KEEP_STATE=1)`);
} finally {
  rt.stop();
}
