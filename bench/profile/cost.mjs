// Profiling aid, not part of `npm run bench`: request cost (scenario 2) on a given runtime config,
// e.g. `node bench/profile/cost.mjs bench/wrangler.notail.jsonc` (run with Node >= 22).
import { appSource, Project, Runner } from "../client.mjs";
import { startRuntime } from "../runtime.mjs";
import { requestCost } from "../scenarios/load.mjs";

const config = process.argv[2] ?? "bench/wrangler.bench.jsonc";
const rt = await startRuntime({ config, onDisk: process.argv.includes("--disk") });
try {
  const { origin } = rt;
  const project = await Project.create(origin, "profile");
  await project.save(appSource(1));
  const runner = new Runner(origin, "profile");
  await runner.setCode(appSource(1));
  const headers = { "x-bench-instance": "profile" };
  const targets = {
    supervisor: { origin, host: project.host, cpuMs: rt.cpuMs },
    static: { origin, host: "static.bench.localhost", headers, cpuMs: rt.cpuMs },
    runner: { origin, host: runner.host, headers, cpuMs: rt.cpuMs },
  };
  const result = await requestCost(targets, { rounds: 4, amount: 1000, connections: 8, warmup: 200 });
  for (const [name, r] of Object.entries(result)) {
    console.log(
      name.padEnd(10),
      `rps median ${r.rps.median}`,
      `rounds ${r.rpsRounds.join(" ")}`,
      `lat p50 ${r.latencyMs.median} p95 ${r.latencyMs.p95}`,
      `cpu ms/req ${r.cpuMsPerRequest.median}`,
      `fail ${r.non2xx}/${r.errors}/${r.timeouts}`,
    );
  }
} finally {
  rt.stop();
}
