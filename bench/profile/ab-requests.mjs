// Profiling aid, not part of `npm run bench`: an interleaved A/B of the user's path (`npm start`) on
// two checkouts, or on one checkout twice with a setting changed, for trying a change to the request
// path on the same machine load. Each side is `label=<checkout>[,norecord][,ENV=value...]`: its own
// `npm start` (its own dist/, built beforehand) on a fresh data directory, one project running
// bench/app.js with the bench's load limits (and request recording off with `norecord`).
// Rounds of autocannon rotate over the sides; each side's CPU per request is read from its process
// tree, split into workerd and the Node processes (npm, the launcher, Miniflare's).
// Usage: node bench/profile/ab-requests.mjs A=/tmp/a B=. [--rounds=6] [--amount=1000]
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { appSource, Project } from "../client.mjs";
import { startIde } from "../ide.mjs";
import { cpuMs, descendants } from "../processes.mjs";
import { cannon } from "../scenarios/load.mjs";
import { round, sleep, summarize } from "../stats.mjs";

const option = (name, fallback) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};
const rounds = option("rounds", 6);
const amount = option("amount", 1000);
const connections = option("connections", 8);

const sides = process.argv
  .slice(2)
  .filter((a) => !a.startsWith("--"))
  .map((arg) => {
    const at = arg.indexOf("=");
    const [label, rest] = at < 0 ? [arg, ""] : [arg.slice(0, at), arg.slice(at + 1)];
    const [root, ...flags] = rest.split(",");
    const env = Object.fromEntries(flags.filter((f) => f.includes("=")).map((f) => f.split("=", 2)));
    return { label, root: root || ".", record: !flags.includes("norecord"), env };
  });
if (sides.length < 2) {
  console.error(
    "usage: node bench/profile/ab-requests.mjs A=<checkout>[,norecord] B=<checkout> [--rounds=6] [--amount=1000]",
  );
  process.exit(2);
}

/** As run.mjs raises it for the load scenarios. */
const LOAD_LIMITS = { requestsPerMinute: 1_000_000 };

/** A process by what it runs: its command, or the script Node runs. */
const nameOf = (pid) => {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const script = args.find((a) => /\.(mjs|js)$/.test(a));
    return basename(script ?? args[0] ?? "?");
  } catch {
    return "?";
  }
};

/** CPU time so far of the tree under `pid`: workerd's, the other processes', and each process's by name. */
const split = (pid) => {
  const workerds = new Set(descendants(pid, "workerd"));
  let workerd = 0;
  let other = 0;
  const byName = {};
  for (const p of descendants(pid)) {
    const ms = cpuMs(p) || 0;
    const name = nameOf(p);
    byName[name] = (byName[name] ?? 0) + ms;
    if (workerds.has(p)) workerd += ms;
    else other += ms;
  }
  return { workerd, other, byName };
};

const running = [];
try {
  for (const side of sides) {
    const ide = await startIde("start", { root: side.root, env: side.env });
    running.push(ide);
    const project = await Project.create(ide.origin, `ab-${side.label.toLowerCase()}`);
    await project.setLimits(LOAD_LIMITS);
    if (!side.record) await project.setRequestSettings({ enabled: false });
    await project.save(appSource(1));
    side.ide = ide;
    side.target = { origin: ide.origin, host: project.host };
    side.acc = { rps: [], cpu: [], workerd: [], other: [], idle: [], byName: {} };
  }
  for (const side of sides) await cannon(side.target, { connections, amount: 300 });
  // What each tree spends with no requests (the launcher's probes and memory watch), per second.
  for (const side of sides) {
    const a = split(side.ide.pid);
    await sleep(3000);
    const b = split(side.ide.pid);
    side.acc.idle.push((b.workerd + b.other - a.workerd - a.other) / 3);
  }
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < sides.length; i++) {
      const side = sides[(r + i) % sides.length];
      const a = split(side.ide.pid);
      const run = await cannon(side.target, { connections, amount });
      const b = split(side.ide.pid);
      side.acc.rps.push(run.rps);
      side.acc.workerd.push((b.workerd - a.workerd) / run.total);
      side.acc.other.push((b.other - a.other) / run.total);
      side.acc.cpu.push((b.workerd + b.other - a.workerd - a.other) / run.total);
      for (const [name, ms] of Object.entries(b.byName)) {
        side.acc.byName[name] ??= [];
        side.acc.byName[name].push((ms - (a.byName[name] ?? 0)) / run.total);
      }
      if (run.non2xx || run.errors || run.timeouts)
        console.log(side.label, "failures", run.non2xx, run.errors, run.timeouts);
    }
  }
  const base = summarize(sides[0].acc.cpu).median;
  for (const side of sides) {
    const { acc } = side;
    const cpu = summarize(acc.cpu).median;
    console.log(
      side.label.padEnd(6),
      `cpu ms/req ${cpu} (workerd ${summarize(acc.workerd).median}, node ${summarize(acc.other).median})`,
      `x${round(cpu / base, 2)}`,
      `rps ${round(summarize(acc.rps).median, 0)}`,
      `rounds ${acc.cpu.map((c) => round(c, 2)).join(" ")}`,
      `idle ${round(acc.idle[0], 1)} ms/s`,
    );
    console.log(
      "       by process:",
      Object.entries(acc.byName)
        .map(([name, values]) => `${name} ${summarize(values).median}`)
        .join(", "),
    );
  }
} finally {
  for (const ide of running) ide.stop();
}
