// The bench table's rows for memory per distinct save (6) and start-up (8).

import { round } from "../stats.mjs";
import { ratioOf } from "./format.mjs";

/**
 * @param r the run's results (bench/results.json)
 * @param {import("./format.mjs").Row[]} rows added to
 */
export function runtimeRows(r, rows) {
  if (r.memory) {
    const { supervisor: s, runner: b } = r.memory;
    for (const n of Object.keys(s.rssMiB)) {
      rows.push({
        figure: `6. workerd RSS after ${n} saves`,
        ours: `${s.rssMiB[n]} MiB`,
        baseline: `${b.rssMiB[n]} MiB AppRunner`,
        ratio: ratioOf(s.rssMiB[n], b.rssMiB[n]),
        target: "report",
        pass: null,
      });
    }
    const memoryRatio = ratioOf(s.perSaveKiB, b.perSaveKiB);
    rows.push({
      figure: "   growth per distinct save",
      ours: `${s.perSaveKiB} KiB (from ${s.atStartMiB} MiB)`,
      baseline: `${b.perSaveKiB} KiB (from ${b.atStartMiB} MiB)`,
      ratio: memoryRatio,
      target: "<= 1.0x",
      pass: memoryRatio !== null && memoryRatio <= 1.0,
    });
  }
  if (r.startup) {
    const { start: s, dev: d } = r.startup;
    const seconds = (x) => `${round(x / 1000, 2)} s`;
    rows.push({
      figure: "8. Run command to /api/health",
      ours: `${seconds(s.readyMs)} npm start`,
      baseline: `${seconds(d.readyMs)} npm run dev`,
      ratio: ratioOf(s.readyMs, d.readyMs),
      target: "report",
      pass: null,
    });
    rows.push({
      figure: "   template click to editor, cold",
      ours: seconds(s.editorColdMs),
      baseline: `${seconds(d.editorColdMs)} npm run dev`,
      ratio: ratioOf(s.editorColdMs, d.editorColdMs),
      target: "report",
      pass: null,
    });
    rows.push({
      figure: `   template click to editor, warm (n=${s.editorWarmMs.n})`,
      ours: `${seconds(s.editorWarmMs.median)} (max ${seconds(s.editorWarmMs.max)})`,
      baseline: `${seconds(d.editorWarmMs.median)} npm run dev`,
      ratio: ratioOf(s.editorWarmMs.median, d.editorWarmMs.median),
      target: "< 2 s",
      pass: s.editorWarmMs.median < 2000,
    });
    rows.push({
      figure: "   RSS of the process tree, idle",
      ours: `${s.idleMiB} MiB`,
      baseline: `${d.idleMiB} MiB npm run dev`,
      ratio: ratioOf(s.idleMiB, d.idleMiB),
      target: "report",
      pass: null,
    });
    rows.push({
      figure: "   RSS, one project open",
      ours: `${s.openMiB} MiB`,
      baseline: `${d.openMiB} MiB npm run dev`,
      ratio: ratioOf(s.openMiB, d.openMiB),
      target: "report",
      pass: null,
    });
  }
}
