// `npm run bench [-- --quick] [-- --only=save,cost,...]`: runs the IDE as users run it (`npm start`)
// and as contributors do (`npm run dev`), beside the bench's own runtime with the AppRunner and
// StaticApp baselines (bench/wrangler.bench.jsonc, served the way npm start serves the build), runs
// the scenarios with every side interleaved, prints a table and writes bench/results.json.
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { hashSources, readManifest, whyRebuild } from "../scripts/build-manifest.mjs";
import { startRegistryServer } from "../tests/fixtures/registry/server.ts";
import { appSource, Project, Runner, STATIC_HOST, StaticTarget } from "./client.mjs";
import { DEPLOYED, startIde } from "./ide.mjs";
import { formatTable, headlineRows } from "./report.mjs";
import { startRuntime } from "./runtime.mjs";
import { logLatency, sqlConsole } from "./scenarios/console.mjs";
import { requestCost, settled, swapsUnderLoad } from "./scenarios/load.mjs";
import { manyObjects } from "./scenarios/objects.mjs";
import { packageSaves } from "./scenarios/packages.mjs";
import { memoryAfterSaves, runnerSaver, saveToLive, supervisorSaver } from "./scenarios/saves.mjs";
import { snapshotCost } from "./scenarios/snapshots.mjs";
import { haveChromium, startup } from "./scenarios/startup.mjs";
import { ROOT } from "./serve.mjs";
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
      startup: { clicks: 3 },
      objects: { cost: { rounds: 2, amount: 400, connections: 8, warmup: 100 }, saves: { count: 4, warmup: 1 } },
    }
  : {
      saves: { count: 60, warmup: 5 },
      cost: { rounds: 5, amount: 1000, connections: 8, warmup: 200 },
      logs: { count: 100, gapMs: 10 },
      sql: { pointCount: 100, bigCount: 30, rows: 10_000 },
      swap: { duration: 10, connections: 8, periodMs: 100 },
      memory: [100, 500],
      snapshots: { sizesMiB: [1, 100], count: 20, warmup: 2 },
      startup: { clicks: 6 },
      objects: { cost: { rounds: 5, amount: 1000, connections: 8, warmup: 200 }, saves: { count: 10, warmup: 2 } },
    };
const wanted = (name) => !only || only.includes(name);

/** The IDE worker's Total Upload as `wrangler deploy --dry-run` reports it for the build in dist/. */
function uploadSize() {
  const out = execFileSync("npx", ["wrangler", "deploy", "--dry-run"], { cwd: ROOT, encoding: "utf8" });
  const match = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(out);
  if (!match) throw new Error(`no Total Upload in wrangler's output:\n${out}`);
  return { kib: Number(match[1]), gzipKib: Number(match[2]) };
}
/**
 * The request limit of the projects the load scenarios drive on npm start, as bench/wrangler.bench.jsonc
 * gives the baselines' runtime: at the default 6000 a minute, most of their requests were 429s
 * (cheap answers that inflated the request rate, and failures under swaps). The check still runs.
 */
const LOAD_LIMITS = { requestsPerMinute: 1_000_000 };

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

/** npm start serves dist/: build it first when it is not current, as npm start itself would. */
function ensureBuild() {
  const reason = whyRebuild(readManifest(), hashSources());
  if (!reason) return;
  log(`building the IDE (${reason})`);
  const started = now();
  const build = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, stdio: "ignore" });
  if (build.status !== 0) throw new Error("npm run build failed");
  results.build = { seconds: round((now() - started) / 1000, 1), reason };
}

async function main() {
  ensureBuild();
  const needsDev = wanted("save") || wanted("cost");
  const needsBaseline = ["save", "cost", "sql", "swap", "objects"].some(wanted);
  log(`starting ${needsBaseline ? "the baselines' runtime, " : ""}npm start${needsDev ? " and npm run dev" : ""}`);
  const baseline = needsBaseline ? await startRuntime() : null;
  // Scenario 10 installs from the fixture registry, which npm start is given as the shell's registry.
  const registry = wanted("packages") ? await startRegistryServer() : null;
  if (registry) process.env.NPM_CONFIG_REGISTRY = registry.url;
  const start = await startIde("start");
  let dev = needsDev ? await startIde("dev") : null;
  // The build as deployed (no launcher, so no activity markers), for its CPU per request beside npm start's.
  let deployed = wanted("cost") ? await startIde("production") : null;
  try {
    if (wanted("save")) {
      log("1. save to live");
      const savers = {
        start: supervisorSaver(await Project.create(start.origin, "bench-save")),
        runner: runnerSaver(new Runner(baseline.origin, "save")),
        // The meter's cost to a save: the same supervisor in the baselines' runtime, metered and with
        // METERING off (bench/worker.ts), so both sides share one process.
        metered: supervisorSaver(await Project.create(baseline.origin, "bench-save-metered")),
        unmetered: supervisorSaver(await Project.create(baseline.origin, "bench-save-unmetered", { metering: false })),
      };
      if (dev) savers.dev = supervisorSaver(await Project.create(dev.origin, "bench-save"));
      results.saveToLive = (await saveToLive(savers, { ...P.saves, firstRev: 1 })).results;
    }
    if (wanted("typecheck")) {
      log("1b. save to live with TypeScript's check on and off (npm start twice)");
      const off = await startIde("start", { env: { FACET_IDE_TYPE_CHECK: "off" } });
      try {
        const savers = {
          on: supervisorSaver(await Project.create(start.origin, "bench-type-check-on")),
          off: supervisorSaver(await Project.create(off.origin, "bench-type-check-off")),
        };
        results.typeCheck = (await saveToLive(savers, { ...P.saves, firstRev: 1 })).results;
      } finally {
        off.stop();
      }
    }
    if (wanted("upload")) {
      log("1c. the IDE worker's upload size (wrangler deploy --dry-run)");
      results.upload = uploadSize();
    }
    if (wanted("cost")) {
      log("2. request cost");
      const ours = async (ide) => {
        const deployedAs = ide.mode === "production" ? { credential: DEPLOYED.accessSecret, ...DEPLOYED } : {};
        const project = await Project.create(ide.origin, "bench-load", deployedAs);
        await project.setLimits(LOAD_LIMITS);
        await project.save(appSource(1));
        await settled(ide.cpuMs);
        return { origin: ide.origin, host: project.host, cpuMs: ide.cpuMs };
      };
      const benchSupervisor = async (name, metering, recording = true) => {
        const project = await Project.create(baseline.origin, name, { metering });
        if (!recording) await project.setRequestSettings({ enabled: false });
        await project.save(appSource(1));
        return { origin: baseline.origin, host: project.host, headers: project.headers, cpuMs: baseline.cpuMs };
      };
      const runner = new Runner(baseline.origin, "load");
      await runner.setCode(appSource(1));
      const headers = { "x-bench-instance": "load" };
      const targets = {
        start: await ours(start),
        static: { origin: baseline.origin, host: STATIC_HOST, headers, cpuMs: baseline.cpuMs },
        runner: { origin: baseline.origin, host: runner.host, headers, cpuMs: baseline.cpuMs },
        // The meter's cost per request: the same supervisor in the baselines' runtime, metered and
        // with METERING off (bench/worker.ts).
        metered: await benchSupervisor("bench-load-metered", true),
        unmetered: await benchSupervisor("bench-load-unmetered", false),
        // Request recording's cost: "metered" records every request (the default); this one does not.
        unrecorded: await benchSupervisor("bench-load-unrecorded", true, false),
      };
      if (dev) targets.dev = await ours(dev);
      if (deployed) targets.deployed = await ours(deployed);
      results.requestCost = await requestCost(targets, P.cost);
    }
    deployed?.stop();
    deployed = null;
    // The rest is the user's path only; vite's Node process would only take CPU from it.
    dev?.stop();
    dev = null;
    if (wanted("logs")) {
      log("3. log latency");
      const project = await Project.create(start.origin, "bench-logs");
      await project.save(appSource(1));
      results.logLatency = await logLatency(project, P.logs);
    }
    if (wanted("sql")) {
      log("4. SQL console");
      const project = await Project.create(start.origin, "bench-sql");
      await project.save(appSource(1));
      results.sqlConsole = await sqlConsole(project, new StaticTarget(baseline.origin, "sql"), P.sql);
    }
    if (wanted("swap")) {
      log("5. swaps under load");
      results.swapUnderLoad = await swaps(start, baseline);
    }
    if (wanted("packages")) {
      log("10. saves with npm packages");
      results.packageSaves = await packageSaves((name) => Project.create(start.origin, name), P.saves);
    }
    if (wanted("objects")) {
      log("9. many Durable Objects: 1, 10 and 100 objects under load, and saves with 100 live");
      results.manyObjects = await manyObjects((name) => Project.create(start.origin, name), start, P.objects, baseline);
    }
    if (wanted("snapshots")) {
      log(`7. snapshot cost at ${P.snapshots.sizesMiB.join(" and ")} MiB`);
      results.snapshotCost = await snapshotCost((name) => Project.create(start.origin, name), {
        ...P.snapshots,
        firstRev: 5000,
      });
    }
  } finally {
    dev?.stop();
    deployed?.stop();
    start.stop();
    baseline?.stop();
    await registry?.close();
  }
  if (wanted("memory")) {
    log(`6. memory after ${P.memory.join(" and ")} saves (a fresh runtime per side)`);
    const ide = await startIde("start");
    let supervisor;
    try {
      const project = await Project.create(ide.origin, "bench-memory");
      supervisor = await memoryAfterSaves(supervisorSaver(project), ide.workerdPid, P.memory, 0);
    } finally {
      ide.stop();
    }
    const rt = await startRuntime();
    let runner;
    try {
      runner = await memoryAfterSaves(runnerSaver(new Runner(rt.origin, "memory")), rt.workerdPid, P.memory, 0);
    } finally {
      rt.stop();
    }
    results.memory = { supervisor, runner };
  }
  if (wanted("startup")) {
    if (!haveChromium()) {
      log("8. start-up: skipped, no /usr/bin/chromium (apt-get install chromium)");
    } else {
      log("8. start-up: npm start");
      const started = await startup("start", P.startup);
      log("8. start-up: npm run dev");
      const dev = await startup("dev", P.startup);
      results.startup = { start: started, dev };
    }
  }
}

/** 5. Swaps under load on npm start, against the same load without saves and the AppRunner's saves. */
async function swaps(start, baseline) {
  const project = await Project.create(start.origin, "bench-swap");
  await project.setLimits(LOAD_LIMITS);
  const ours = supervisorSaver(project);
  await ours.save(1);
  const target = { origin: start.origin, host: project.host };
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
  const runner = new Runner(baseline.origin, "swap");
  await runner.setCode(appSource(1));
  const runnerTarget = { origin: baseline.origin, host: runner.host, headers: { "x-bench-instance": "swap" } };
  const runnerRun = await swapsUnderLoad(runnerTarget, runnerSaver(runner).save, {
    ...opts,
    versionHeader: "x-app-rev",
    firstRev: 2,
  });
  return { supervisor, supervisorSteady, runner: runnerRun };
}

/** The commit the bench ran, and the files that differed from it (npm start serves the working tree). */
function codeVersion() {
  try {
    const git = (...args) => execFileSync("git", args, { encoding: "utf8" }).trim();
    const dirty = git("status", "--porcelain", "--", "server", "shared", "client", "scripts")
      .split("\n")
      .filter(Boolean);
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
const dirty = output.code?.uncommitted.length ? ` + ${output.code.uncommitted.length} uncommitted files` : "";
console.log(
  `\nfacet-ide bench${quick ? " (quick)" : ""}: ${output.seconds} s, ${output.machine.cpus} CPUs, load ${loadavgBefore[0].toFixed(1)} -> ${output.machine.loadavgAfter[0].toFixed(1)}, code ${output.code?.commit}${dirty}\n`,
);
console.log(formatTable(rows));
console.log("\nDetails: bench/results.json");
