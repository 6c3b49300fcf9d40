// Profiling aid, not part of `npm run bench`: an interleaved A/B of two checkouts' builds on the user's
// path. Each checkout is run with `npm start` (its own launcher, a fresh data directory, built first
// when its dist/ is stale), beside the bench's runtime with AppRunner, and they take turns:
//   save      save to live (as scenario 1), A, B and AppRunner in rotation
//   objects   a Worker project with 100 live objects (as scenario 9): the save's PUT, then every
//             object's first GET, one after another and all at once; and the same GETs without a save
// Usage (Node >= 22): node bench/profile/ab-saves.mjs <checkout A> <checkout B> [--saves=N] [--only=save,objects]
// A checkout for A is e.g. `git worktree add /tmp/base <commit>` with node_modules linked into it.
import { resolve } from "node:path";
import { Project, Runner } from "../client.mjs";
import { startIde } from "../ide.mjs";
import { startRuntime } from "../runtime.mjs";
import { workerCounter } from "../scenarios/objects.mjs";
import { runnerSaver, saveToLive, supervisorSaver } from "../scenarios/saves.mjs";
import { now, summarize } from "../stats.mjs";

const [rootA, rootB] = process.argv.slice(2, 4).map((p) => resolve(p));
if (!rootA || !rootB) throw new Error("usage: node bench/profile/ab-saves.mjs <checkout A> <checkout B> [--saves=N]");
const arg = (name, fallback) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const saves = Number(arg("saves", 30));
const only = arg("only", "save,objects").split(",");

const rt = only.includes("save") ? await startRuntime() : null;
const a = await startIde("start", { root: rootA });
const b = await startIde("start", { root: rootB });
const median = (s) => `${s.median} ms (p95 ${s.p95})`;
try {
  if (rt) {
    const savers = {
      A: supervisorSaver(await Project.create(a.origin, "ab-save")),
      B: supervisorSaver(await Project.create(b.origin, "ab-save")),
      runner: runnerSaver(new Runner(rt.origin, "ab-save")),
    };
    await savers.runner.save(0);
    // Each side's process tree works only on its own saves (the others wait), so its CPU time over the
    // run, per save, is what a save costs it: steadier than wall time when others load the machine.
    const cpu0 = { A: a.cpuMs(), B: b.cpuMs() };
    const { results } = await saveToLive(savers, { count: saves, warmup: 5, firstRev: 1 });
    for (const [side, ide] of Object.entries({ A: a, B: b })) {
      console.log(`CPU per save ${side}: ${((ide.cpuMs() - cpu0[side]) / (saves + 5)).toFixed(2)} ms (process tree)`);
    }
    for (const [side, r] of Object.entries(results)) {
      console.log(
        `save to live ${side.padEnd(6)} ${median(r.totalMs)}; save call ${r.saveMs.median}, first GET ${r.firstServeMs.median}`,
      );
    }
    console.log(`  B / runner: ${(results.B.totalMs.median / results.runner.totalMs.median).toFixed(2)}x`);
    console.log(`  A / runner: ${(results.A.totalMs.median / results.runner.totalMs.median).toFixed(2)}x`);
  }
  if (only.includes("objects")) {
    const paths = Array.from({ length: 100 }, (_, i) => `/o/${i}`);
    const sides = {};
    for (const [name, ide] of Object.entries({ A: a, B: b })) {
      const project = await Project.create(ide.origin, "ab-objects");
      await project.save(workerCounter(1));
      for (const path of paths) await project.get(path);
      const one = await Project.create(ide.origin, "ab-object");
      await one.save(workerCounter(1));
      await one.get(paths[0]);
      sides[name] = { project, one };
    }
    const samples = { A: [], B: [] };
    let rev = 2;
    const count = Math.max(4, Math.round(saves / 3));
    for (let i = 0; i < count + 2; i++) {
      for (const name of i % 2 ? ["B", "A"] : ["A", "B"]) {
        const { project, one } = sides[name];
        const o0 = now();
        await one.save(workerCounter(rev++));
        await one.get(paths[0]);
        const oneObject = now() - o0;
        const steady0 = now();
        await Promise.all(paths.map((p) => project.get(p)));
        const steadyAll = now() - steady0;
        const t0 = now();
        await project.save(workerCounter(rev++));
        const saveMs = now() - t0;
        await Promise.all(paths.map((p) => project.get(p)));
        const allAtOnce = now() - t0;
        const t1 = now();
        await project.save(workerCounter(rev++));
        for (const path of paths) await project.get(path);
        const oneByOne = now() - t1;
        if (i >= 2) samples[name].push({ saveMs, allAtOnce, oneByOne, steadyAll, oneObject });
      }
    }
    for (const [name, list] of Object.entries(samples)) {
      const s = (k) => median(summarize(list.map((x) => x[k])));
      console.log(
        `100 objects ${name}: save returned ${s("saveMs")}; every object served, all at once ${s("allAtOnce")}, one by one ${s("oneByOne")}; the same 100 GETs at once without a save ${s("steadyAll")}; one object's save and GET ${s("oneObject")}`,
      );
    }
  }
} finally {
  a.stop();
  b.stop();
  rt?.stop();
}
