// The bench table's rows for many Durable Objects (9), with the floors a Worker calling objects is read against.

import { round } from "../stats.mjs";
import { ms, ratioOf } from "./format.mjs";

/**
 * @param r the run's results (bench/results.json)
 * @param {import("./format.mjs").Row[]} rows added to
 */
export function objectsRows(r, rows) {
  if (r.manyObjects) {
    const { load: l, saveToLive: sv } = r.manyObjects;
    const rps = (x) => `${round(x.rps.median, 0)} req/s, ${x.cpuMsPerRequest.median} ms CPU`;
    for (const n of [1, 10, 100]) {
      const side = l[`objects${n}`];
      const ratio = ratioOf(side.rps.median, l.app.rps.median);
      rows.push({
        figure: `9. Worker, requests over ${n} object${n === 1 ? "" : "s"}`,
        ours: rps(side),
        baseline: `${rps(l.app)} one App`,
        ratio,
        target: ">= 0.8x",
        pass: ratio !== null && ratio >= 0.8,
      });
    }
    // The floors (scenarios/objects.mjs): what a Worker calling objects costs against one App with
    // nothing of the IDE around it, so the table tells the architecture's share from the IDE's.
    const floors = [
      ["runnerWorker", "runnerApp", "   floor: AppRunner grown to objects", "on AppRunner"],
      ["staticWorker", "staticApp", "   floor: ordinary Worker and objects", "ordinary DO"],
    ];
    for (const [worker, app, figure, what] of floors) {
      if (!l[worker] || !l[app]) continue;
      rows.push({
        figure,
        ours: rps(l[worker]),
        baseline: `${rps(l[app])} ${what}`,
        ratio: ratioOf(l[worker].rps.median, l[app].rps.median),
        target: "report",
        pass: null,
      });
    }
    rows.push({
      figure: "   latency over 100 objects",
      ours: ms(l.objects100.latencyMs),
      baseline: `${ms(l.objects1.latencyMs)} 1 object`,
      ratio: ratioOf(l.objects100.latencyMs.median, l.objects1.latencyMs.median),
      target: "report",
      pass: null,
    });
    rows.push({
      figure: "   save returned, 100 objects live",
      ours: ms(sv.objects100.saveMs),
      baseline: `${ms(sv.objects1.saveMs)} 1 object`,
      ratio: ratioOf(sv.objects100.saveMs.median, sv.objects1.saveMs.median),
      target: "report",
      pass: null,
    });
    const served = ratioOf(sv.objects100.allServedMs.median, sv.objects1.allServedMs.median);
    rows.push({
      figure: "   save to every object served again",
      ours: ms(sv.objects100.allServedMs),
      baseline: `${ms(sv.objects1.allServedMs)} 1 object`,
      ratio: served,
      target: "<= 3x",
      pass: served !== null && served <= 3,
    });
    if (sv.objects100.steadyMs) {
      rows.push({
        figure: "   the same GETs without a save",
        ours: ms(sv.objects100.steadyMs),
        baseline: `${ms(sv.objects1.steadyMs)} 1 object`,
        ratio: ratioOf(sv.objects100.steadyMs.median, sv.objects1.steadyMs.median),
        target: "report",
        pass: null,
      });
    }
  }
}
