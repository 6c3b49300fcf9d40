// Scenarios made of saves: save to live (1) and the runtime's memory as distinct saves pile up (6).
import { appSource } from "../client.mjs";
import { rssMiB } from "../processes.mjs";
import { now, round, summarize } from "../stats.mjs";

/**
 * @typedef {{ save: (rev: number) => Promise<number>, get: () => Promise<import("../client.mjs").HttpResponse>,
 *   versionHeader: string }} Saver
 * `save` stores appSource(rev) and resolves to the version to wait for; `get` fetches the app's GET /.
 */

/** Our supervisor: PUT returns the version number, the preview answers with `x-app-version`. */
export const supervisorSaver = (project) => ({
  save: async (rev) => (await project.save(appSource(rev))).version,
  get: () => project.get("/"),
  versionHeader: "x-app-version",
});

/** The minimal AppRunner: setCode returns nothing, the app itself answers with `x-app-rev`. */
export const runnerSaver = (runner) => ({
  save: async (rev) => {
    await runner.setCode(appSource(rev));
    return rev;
  },
  get: () => runner.get("/"),
  versionHeader: "x-app-rev",
});

/** One save, timed from sending it to the first response served by the new version. */
export async function oneSave(saver, rev) {
  const t0 = now();
  const version = await saver.save(rev);
  const t1 = now();
  let polls = 0;
  for (;;) {
    const res = await saver.get();
    polls++;
    if (res.status === 200 && Number(res.headers[saver.versionHeader]) === version) break;
    if (now() - t0 > 30_000) throw new Error(`v${version} not live after 30 s (last: HTTP ${res.status})`);
  }
  const t2 = now();
  return { totalMs: t2 - t0, saveMs: t1 - t0, firstServeMs: t2 - t1, polls };
}

/**
 * 1. Save to live, ours against the minimal AppRunner, `count` distinct saves each, interleaved
 * (ours, runner, ours, ...) after `warmup` saves each.
 * @param {Record<string, Saver>} savers
 */
export async function saveToLive(savers, { count, warmup, firstRev }) {
  const names = Object.keys(savers);
  let rev = firstRev;
  for (let i = 0; i < warmup; i++) for (const n of names) await oneSave(savers[n], rev++);
  /** @type {Record<string, Awaited<ReturnType<typeof oneSave>>[]>} */
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < count; i++) {
    for (const n of i % 2 ? [...names].reverse() : names) samples[n].push(await oneSave(savers[n], rev++));
  }
  return {
    nextRev: rev,
    results: Object.fromEntries(
      names.map((n) => [
        n,
        {
          totalMs: summarize(samples[n].map((s) => s.totalMs)),
          saveMs: summarize(samples[n].map((s) => s.saveMs)),
          firstServeMs: summarize(samples[n].map((s) => s.firstServeMs)),
          maxPolls: Math.max(...samples[n].map((s) => s.polls)),
        },
      ]),
    ),
  };
}

/**
 * 6. Resident memory of workerd after distinct saves. Each save is followed by one GET, as a preview
 * would do, so the new code is loaded and its facet started. Run on a fresh runtime.
 * @param {Saver} saver
 * @param {() => number | null} workerdPid
 * @param {number[]} checkpoints e.g. [100, 500]
 */
export async function memoryAfterSaves(saver, workerdPid, checkpoints, firstRev) {
  const pid = workerdPid();
  if (!pid) throw new Error("no workerd process found under the runtime");
  const atStart = rssMiB(pid);
  /** @type {Record<string, number | null>} */
  const rss = {};
  const last = Math.max(...checkpoints);
  const started = now();
  for (let i = 1; i <= last; i++) {
    const version = await saver.save(firstRev + i);
    const res = await saver.get();
    if (Number(res.headers[saver.versionHeader]) !== version) throw new Error(`save ${i} was not live at once`);
    if (checkpoints.includes(i)) rss[i] = round(rssMiB(pid) ?? Number.NaN, 1);
  }
  const perSaveKiB = round((((rss[last] ?? 0) - (atStart ?? 0)) * 1024) / last, 0);
  return {
    atStartMiB: round(atStart ?? Number.NaN, 1),
    rssMiB: rss,
    perSaveKiB,
    seconds: round((now() - started) / 1000, 1),
  };
}
