// Profiling aid, not part of `npm run bench`: where a save's time goes, measured from outside by
// saves that stop at successive stages of the supervisor's pipeline (no server instrumentation):
//   same      identical content again: API, auth, RPC, content hash, then "nothing to do"
//   badImport transpiles, then fails import checking: + compile (sucrase, import rewriting)
//   noApp     compiles and loads, but exports no App: + probe (the new isolate is loaded)
//   full      a real save: + version row, swap (drain, abort), deploy log
// and, for the minimal AppRunner, setCode and its first GET (which loads the isolate).
// Usage (Node >= 22): node bench/profile/save-breakdown.mjs [count] [config]
import { appSource, Project, Runner } from "../client.mjs";
import { startRuntime } from "../runtime.mjs";
import { now, summarize } from "../stats.mjs";

const count = Number(process.argv[2] ?? 30);
const rt = await startRuntime({ config: process.argv[3] ?? "bench/wrangler.bench.jsonc" });
try {
  const project = await Project.create(rt.origin, "breakdown");
  const runner = new Runner(rt.origin, "breakdown");
  // The raw answer (a refused save is a stage here, not an error).
  const put = (source) => project.api.send("putCode", { ...project.on, body: { files: { "app.ts": source } } });
  let rev = 1;
  let live = rev;
  await project.save(appSource(rev));
  const stages = {
    same: () => put(appSource(live)),
    badImport: () => put(`import "left-pad";\n${appSource(++rev)}`),
    noApp: () => put(`export class NotAnApp {}\nconst REV = ${++rev};\n`),
    full: async () => {
      live = ++rev;
      const res = await put(appSource(live));
      await project.get("/"); // keep the facet running, as in save-to-live
      return res;
    },
    runnerSetCode: () => runner.setCode(appSource(++rev)),
    runnerFirstGet: () => runner.get("/"),
    runnerSteadyGet: () => runner.get("/"),
    steadyGet: () => project.get("/"),
  };
  const samples = Object.fromEntries(Object.keys(stages).map((k) => [k, []]));
  for (let i = 0; i < count + 3; i++) {
    for (const [name, stage] of Object.entries(stages)) {
      const t = now();
      const res = await stage();
      const ms = now() - t;
      if (name === "full" && res.status !== 200) throw new Error(`full save: HTTP ${res.status} ${await res.text()}`);
      if (i >= 3) samples[name].push(name === "full" ? ms - samples.steadyGet.at(-1) : ms);
    }
  }
  for (const [name, values] of Object.entries(samples)) {
    const s = summarize(values);
    console.log(name.padEnd(15), `median ${s.median} ms`, `p95 ${s.p95}`);
  }
  console.log("(full excludes its follow-up GET, estimated by the previous round's steadyGet)");
} finally {
  rt.stop();
}
