// Scenarios driven by autocannon: the request cost of the supervisor (2) and swaps under load (5).
import autocannon from "autocannon";
import { now, round, sleep, summarize } from "../stats.mjs";

/**
 * @typedef {{ origin: string, host: string, headers?: Record<string, string>, cpuMs?: () => number, paths?: string[] }} Target
 * `cpuMs` reads the CPU time used so far by the process tree serving the target; `paths` (default
 * ["/"]) are the paths its requests cycle through.
 * @typedef {{ at: number, sentAfter: number, status: number, version: number }} Seen
 */

const header = (headers, name) => {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  return undefined;
};

/**
 * Runs autocannon against GET / of a target, either `amount` requests or for `duration` seconds.
 * Records each response's latency and, when `versionHeader` is set, its version and the time its
 * request was sent.
 * @param {Target} target
 * @param {{ connections: number, amount?: number, duration?: number, versionHeader?: string }} opts
 */
export function cannon(target, { connections, amount, duration, versionHeader }) {
  const { port } = new URL(target.origin);
  /** @type {number[]} */
  const latencies = [];
  /** @type {Seen[]} */
  const seen = [];
  const started = now();
  // onResponse sees the headers, then (synchronously) the instance's "response" event sees the
  // latency: the request went out at arrival minus latency.
  /** @type {Seen | null} */
  let pending = null;
  const onResponse = (status, _body, _context, headers) => {
    const version = versionHeader ? Number(header(headers, versionHeader)) : Number.NaN;
    pending = { at: now(), sentAfter: Number.NaN, status, version };
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${target.origin}/`,
        headers: { host: `${target.host}:${port}`, ...target.headers },
        connections,
        ...(amount ? { amount } : { duration }),
        timeout: 10,
        // autocannon notices the end only on this tick; throughput is timed from our own stamps.
        sampleInt: 100,
        // A target with `paths` spreads its requests over them (each connection cycles through the list).
        requests: (target.paths ?? ["/"]).map((path) => ({ method: "GET", path, onResponse })),
      },
      (error, result) => {
        if (error) return reject(error);
        const last = seen.length ? seen[seen.length - 1].at : now();
        const elapsedS = (last - started) / 1000;
        resolve({
          rps: seen.length / elapsedS,
          total: seen.length,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          elapsedS,
          latencies,
          seen,
        });
      },
    );
    instance.on("response", (_client, _status, _bytes, ms) => {
      latencies.push(ms);
      if (!pending) return;
      pending.sentAfter = pending.at - ms;
      seen.push(pending);
      pending = null;
    });
  });
}

/**
 * Waits until the process tree behind `cpuMs` is about idle (under a tenth of a core for half a
 * second), at most `maxMs`: the type check of a save goes on after the save answered, and would be
 * counted as the first rounds' requests.
 * @param {() => number} cpuMs
 */
export async function settled(cpuMs, maxMs = 15_000) {
  const until = Date.now() + maxMs;
  while (Date.now() < until) {
    const before = cpuMs();
    await sleep(500);
    if (cpuMs() - before < 50) return;
  }
}

/**
 * 2. Throughput and latency of GET / (one upsert and one select) through each target: the supervisor
 * and facet under `npm start` and `npm run dev`, the same class as a static Durable Object, and the
 * minimal AppRunner. `rounds` rounds of `amount` requests at `connections`, targets in rotating order
 * so drift hits all alike. Also the CPU time the target's process tree (workerd, and vite's Node under
 * `npm run dev`) spent per request, which other work on a shared machine disturbs far less than
 * throughput; the other runtimes are idle meanwhile.
 * @param {Record<string, Target>} targets
 */
export async function requestCost(targets, { rounds, amount, connections, warmup }) {
  const names = Object.keys(targets);
  for (const name of names) await cannon(targets[name], { connections, amount: warmup });
  const acc = Object.fromEntries(
    names.map((n) => [n, { rps: [], latencies: [], cpu: [], non2xx: 0, errors: 0, timeouts: 0 }]),
  );
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(r + i) % names.length];
      const target = targets[name];
      const c0 = target.cpuMs?.() ?? Number.NaN;
      const run = await cannon(target, { connections, amount });
      const c1 = target.cpuMs?.() ?? Number.NaN;
      const a = acc[name];
      a.rps.push(run.rps);
      a.latencies.push(...run.latencies);
      a.cpu.push((c1 - c0) / run.total);
      a.non2xx += run.non2xx;
      a.errors += run.errors;
      a.timeouts += run.timeouts;
    }
  }
  return Object.fromEntries(
    names.map((n) => [
      n,
      {
        rps: summarize(acc[n].rps),
        rpsRounds: acc[n].rps.map((x) => round(x, 0)),
        latencyMs: summarize(acc[n].latencies),
        cpuMsPerRequest: summarize(acc[n].cpu),
        failures: acc[n].non2xx + acc[n].errors + acc[n].timeouts,
        non2xx: acc[n].non2xx,
        errors: acc[n].errors,
        timeouts: acc[n].timeouts,
      },
    ]),
  );
}

/**
 * 5. Holds a load on GET / for `duration` s while saving a new version every `periodMs` (the next
 * save starts 100 ms after the previous one started, or when it returns if it took longer).
 * Failures: non-2xx, errors and timeouts, and responses whose version is older than a save that had
 * returned before their request was sent. `periodMs: 0` runs the same load without saves.
 * @param {Target} target
 * @param {(rev: number) => Promise<number>} save stores `appSource(rev)`; resolves to the version it made live
 */
export async function swapsUnderLoad(target, save, { duration, connections, periodMs, versionHeader, firstRev }) {
  /** @type {{ at: number, version: number, ms: number }[]} */
  const saves = [];
  const saveErrors = [];
  let stop = false;
  let rev = firstRev;
  const saver = (async () => {
    if (!periodMs) return;
    await sleep(200); // let the load settle first
    while (!stop) {
      const t = now();
      try {
        const version = await save(rev++);
        saves.push({ at: now(), version, ms: now() - t });
      } catch (error) {
        saveErrors.push(String(error).slice(0, 200));
      }
      await sleep(Math.max(0, periodMs - (now() - t)));
    }
  })();
  const run = await cannon(target, { connections, duration, versionHeader });
  stop = true;
  await saver;

  // A response is stale when a save returned before its request went out and it shows an older version.
  let stale = 0;
  let j = 0;
  let live = Number.NEGATIVE_INFINITY;
  const ordered = [...run.seen].sort((a, b) => a.sentAfter - b.sentAfter);
  const examples = [];
  for (const s of ordered) {
    while (j < saves.length && saves[j].at < s.sentAfter) live = Math.max(live, saves[j++].version);
    if (s.status >= 200 && s.status < 300 && !(s.version >= live)) {
      stale++;
      if (examples.length < 3) examples.push({ version: s.version, liveBeforeSend: live });
    }
  }
  const failures = run.non2xx + run.errors + run.timeouts + stale;
  return {
    rps: round(run.rps, 0),
    total: run.total,
    failures,
    non2xx: run.non2xx,
    errors: run.errors,
    timeouts: run.timeouts,
    stale,
    staleExamples: examples,
    saves: saves.length,
    saveErrors: saveErrors.length,
    saveErrorExamples: saveErrors.slice(0, 3),
    saveMs: summarize(saves.map((s) => s.ms)),
    latencyMs: summarize(run.latencies),
  };
}
