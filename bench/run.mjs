// `npm run bench [-- --quick]`: starts the runtime itself (bench/wrangler.bench.jsonc: the real
// server plus the AppRunner and StaticApp baselines), runs the six scenarios, prints a table and
// writes bench/results.json. Memory is measured on fresh runtimes, one per side.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { appSource, Project, Runner, StaticTarget } from "./client.mjs";
import { formatTable, headlineRows } from "./report.mjs";
import { startRuntime } from "./runtime.mjs";
import { logLatency, sqlConsole } from "./scenarios/console.mjs";
import { requestCost, swapsUnderLoad } from "./scenarios/load.mjs";
import { memoryAfterSaves, runnerSaver, saveToLive, supervisorSaver } from "./scenarios/saves.mjs";
import { snapshotCost } from "./scenarios/snapshots.mjs";
import { now, round } from "./stats.mjs";

const quick = process.argv.includes("--quick");
const only = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");
const P = quick
  ? {
      saves: { count: 15, warmup: 2 },
      cost: { rounds: 2, amount: 300, connections: 8, warmup: 100 },
      logs: { count: 20, gapMs: 10 },
      sql: { pointCount: 20, bigCount: 5, rows: 10_000 },
      swap: { duration: 3, connections: 8, periodMs: 100 },
      memory: [25, 100],
      snapshots: { sizesMiB: [1, 100], count: 6, warmup: 1 },
    }
  : {
      saves: { count: 60, warmup: 5 },
      cost: { rounds: 5, amount: 1000, connections: 8, warmup: 200 },
      logs: { count: 100, gapMs: 10 },
      sql: { pointCount: 100, bigCount: 30, rows: 10_000 },
      swap: { duration: 10, connections: 8, periodMs: 100 },
      memory: [100, 500],
      snapshots: { sizesMiB: [1, 100], count: 20, warmup: 2 },
    };
const wanted = (name) => !only || only.includes(name);

const [major] = process.versions.node.split(".").map(Number);
if (major < 22) {
  console.error(`wrangler needs Node >= 22 and this is ${process.version}: run the bench with \`npm run bench\`.`);
  process.exit(1);
}

const log = (msg) => process.stderr.write(`[bench ${round((now() - t0) / 1000, 1)}s] ${msg}\n`);
const t0 = now();
const loadavgBefore = loadavg();
/** @type {Record<string, unknown>} */
const results = {};

async function withRuntime(what, fn) {
  log(`starting runtime (${what})`);
  const rt = await startRuntime();
  try {
    return await fn(rt);
  } finally {
    rt.stop();
  }
}

async function main() {
  await withRuntime("scenarios 1-5", async (rt) => {
    const { origin } = rt;
    if (wanted("save")) {
      log("1. save to live");
      const project = await Project.create(origin, "bench-save");
      // The same supervisor with METERING off: what the meter adds to a save (a report taken before the swap).
      const unmetered = await Project.create(origin, "bench-save-unmetered", { metering: false });
      const savers = {
        supervisor: supervisorSaver(project),
        unmetered: supervisorSaver(unmetered),
        runner: runnerSaver(new Runner(origin, "save")),
      };
      results.saveToLive = (await saveToLive(savers, { ...P.saves, firstRev: 1 })).results;
    }
    if (wanted("cost")) {
      log("2. request cost");
      const project = await Project.create(origin, "bench-load");
      await project.save(appSource(1));
      // The same supervisor with METERING off (bench/worker.ts), for the meter's cost.
      const unmetered = await Project.create(origin, "bench-load-unmetered", { metering: false });
      await unmetered.save(appSource(1));
      const runner = new Runner(origin, "load");
      await runner.setCode(appSource(1));
      const targets = {
        supervisor: { origin, host: project.host },
        unmetered: { origin, host: unmetered.host, headers: unmetered.headers },
        static: { origin, host: "static.bench.localhost", headers: { "x-bench-instance": "load" } },
        runner: { origin, host: runner.host, headers: { "x-bench-instance": "load" } },
      };
      results.requestCost = await requestCost(targets, { runtime: rt.workerdPid(), proxy: rt.proxyPid() }, P.cost);
    }
    if (wanted("logs")) {
      log("3. log latency");
      const project = await Project.create(origin, "bench-logs");
      await project.save(appSource(1));
      results.logLatency = await logLatency(project, P.logs);
    }
    if (wanted("sql")) {
      log("4. SQL console");
      const project = await Project.create(origin, "bench-sql");
      await project.save(appSource(1));
      results.sqlConsole = await sqlConsole(project, new StaticTarget(origin, "sql"), P.sql);
    }
    if (wanted("swap")) {
      log("5. swaps under load");
      const project = await Project.create(origin, "bench-swap");
      const ours = supervisorSaver(project);
      await ours.save(1);
      const target = { origin, host: project.host };
      const opts = { ...P.swap, versionHeader: "x-app-version" };
      // The same load without saves, half before and half after, so drift on a shared machine evens out.
      const steady = () =>
        swapsUnderLoad(target, ours.save, { ...opts, duration: opts.duration / 2, periodMs: 0, firstRev: 2 });
      const before = await steady();
      const supervisor = await swapsUnderLoad(target, ours.save, { ...opts, firstRev: 1000 });
      const after = await steady();
      const supervisorSteady = {
        rps: Math.round((before.total + after.total) / (before.total / before.rps + after.total / after.rps)),
        total: before.total + after.total,
        failures: before.failures + after.failures,
        rpsBeforeAfter: [before.rps, after.rps],
      };
      const runner = new Runner(origin, "swap");
      await runner.setCode(appSource(1));
      const runnerTarget = { origin, host: runner.host, headers: { "x-bench-instance": "swap" } };
      const runnerRun = await swapsUnderLoad(runnerTarget, runnerSaver(runner).save, {
        ...opts,
        versionHeader: "x-app-rev",
        firstRev: 2,
      });
      results.swapUnderLoad = { supervisor, supervisorSteady, runner: runnerRun };
    }
    if (wanted("snapshots")) {
      log(`7. snapshot cost at ${P.snapshots.sizesMiB.join(" and ")} MiB`);
      results.snapshotCost = await snapshotCost((name) => Project.create(origin, name), {
        ...P.snapshots,
        firstRev: 5000,
      });
    }
  });
  if (wanted("memory")) {
    log(`6. memory after ${P.memory.join(" and ")} saves (fresh runtime per side)`);
    const supervisor = await withRuntime("memory, supervisor", async (rt) => {
      const project = await Project.create(rt.origin, "bench-memory");
      return memoryAfterSaves(supervisorSaver(project), rt.workerdPid, P.memory, 0);
    });
    const runner = await withRuntime("memory, AppRunner", (rt) =>
      memoryAfterSaves(runnerSaver(new Runner(rt.origin, "memory")), rt.workerdPid, P.memory, 0),
    );
    results.memory = { supervisor, runner };
  }
}

/** The commit the bench ran, and the server files that differed from it (the runtime bundles the tree). */
function codeVersion() {
  try {
    const git = (...args) => execFileSync("git", args, { encoding: "utf8" }).trim();
    const dirty = git("status", "--porcelain", "--", "server", "shared").split("\n").filter(Boolean);
    return { commit: git("rev-parse", "--short", "HEAD"), uncommitted: dirty.map((l) => l.slice(3)) };
  } catch {
    return null;
  }
}

try {
  await main();
} catch (error) {
  log(`failed: ${error instanceof Error ? error.stack : error}`);
  process.exitCode = 1;
}
const rows = headlineRows(results);
const output = {
  quick,
  date: new Date().toISOString(),
  seconds: round((now() - t0) / 1000, 1),
  code: codeVersion(),
  machine: {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    node: process.version,
    loadavgBefore,
    loadavgAfter: loadavg(),
  },
  params: P,
  headline: rows,
  results,
};
writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(output, null, 2)}\n`);
const dirty = output.code?.uncommitted.length ? ` + ${output.code.uncommitted.length} uncommitted server files` : "";
console.log(
  `\nfacet-ide bench${quick ? " (quick)" : ""}: ${output.seconds} s, ${output.machine.cpus} CPUs, load ${loadavgBefore[0].toFixed(1)} -> ${output.machine.loadavgAfter[0].toFixed(1)}, code ${output.code?.commit}${dirty}\n`,
);
console.log(formatTable(rows));
console.log("\nDetails: bench/results.json");
