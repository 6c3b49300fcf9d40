// The bench table's rows for save to live (1, 1b), the upload (1c), saves with packages (10) and snapshots' cost (7).

import { round } from "../stats.mjs";
import { ms, ratioOf } from "./format.mjs";

/**
 * @param r the run's results (bench/results.json)
 * @param {import("./format.mjs").Row[]} rows added to
 */
export function savesRows(r, rows) {
  if (r.typeCheck) {
    const { on, off } = r.typeCheck;
    rows.push({
      figure: `1b. Save to live, type check on / off (n=${on.totalMs.n})`,
      ours: ms(on.totalMs),
      baseline: `${ms(off.totalMs)} off`,
      ratio: ratioOf(on.totalMs.median, off.totalMs.median),
      target: "report",
      pass: null,
    });
  }
  if (r.upload) {
    rows.push({
      figure: "1c. IDE worker upload (wrangler --dry-run)",
      ours: `${r.upload.kib} KiB (gzip ${r.upload.gzipKib} KiB)`,
      baseline: "10240 KiB gzip paid, 3072 free",
      ratio: ratioOf(r.upload.gzipKib, 3072),
      target: "< 3072 KiB gzip",
      pass: r.upload.gzipKib < 3072,
    });
  }
  if (r.saveToLive) {
    const { start: s, dev: d, runner: b } = r.saveToLive;
    const ratio = ratioOf(s.totalMs.median, b.totalMs.median);
    rows.push({
      figure: `1. Save to live, npm start (n=${s.totalMs.n})`,
      ours: ms(s.totalMs),
      baseline: `${ms(b.totalMs)} AppRunner`,
      ratio,
      // The code is still checked before it goes live (compiled, probed): AppRunner checks nothing.
      target: "<= 1.25x",
      pass: ratio !== null && ratio <= 1.25,
    });
    const { metered: on, unmetered: off } = r.saveToLive;
    if (on && off) {
      rows.push({
        figure: "   metering on / off (bench runtime)",
        ours: ms(on.totalMs),
        baseline: `${ms(off.totalMs)} off`,
        ratio: ratioOf(on.totalMs.median, off.totalMs.median),
        target: "report",
        pass: null,
      });
    }
    rows.push({
      figure: "   of which save call / first GET",
      ours: `${s.saveMs.median} / ${s.firstServeMs.median} ms`,
      baseline: `${b.saveMs.median} / ${b.firstServeMs.median} ms`,
      ratio: null,
      target: "",
      pass: null,
    });
    if (d) {
      rows.push({
        figure: "   npm run dev",
        ours: ms(d.totalMs),
        baseline: `${ms(b.totalMs)} AppRunner`,
        ratio: ratioOf(d.totalMs.median, b.totalMs.median),
        target: "report",
        pass: null,
      });
    }
  }
  if (r.packageSaves) {
    const { packages: p, plain, coldFirstSaveMs } = r.packageSaves;
    const ratio = ratioOf(p.totalMs.median, plain.totalMs.median);
    rows.push({
      figure: `10. Save to live, 3 cached packages (n=${p.totalMs.n})`,
      ours: ms(p.totalMs),
      baseline: `${ms(plain.totalMs)} no packages`,
      ratio,
      target: "<= 1.3x",
      pass: ratio !== null && ratio <= 1.3,
    });
    rows.push({
      figure: "   first save, cold package cache",
      ours: `${coldFirstSaveMs} ms`,
      baseline: "",
      ratio: null,
      target: "report",
      pass: null,
    });
  }
  if (r.snapshotCost) {
    for (const [size, c] of Object.entries(r.snapshotCost)) {
      const added = round(c.on.totalMs.median - c.off.totalMs.median, 2);
      const small = size === "1MiB";
      rows.push({
        figure: `7. Save to live, ${size} db, snapshot`,
        ours: `${ms(c.on.totalMs)} (+${added} ms)`,
        baseline: `${ms(c.off.totalMs)} snapshots off`,
        ratio: ratioOf(c.on.totalMs.median, c.off.totalMs.median),
        target: small ? "<= +2 ms" : "report",
        pass: small ? added <= 2 : null,
      });
    }
  }
}
