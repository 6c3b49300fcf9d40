// Turns the scenarios' results into the headline rows (figure, ours, baseline, ratio, target, pass)
// and prints them as a table.
import { round } from "./stats.mjs";

/**
 * @typedef {{ figure: string, ours: string, baseline: string, ratio: number | null,
 *   target: string, pass: boolean | null }} Row
 */

const ms = (s) => `${s.median} ms (p95 ${s.p95})`;
const ratioOf = (a, b) => (b ? round(a / b, 2) : null);

/** @returns {Row[]} */
export function headlineRows(r) {
  /** @type {Row[]} */
  const rows = [];
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
      target: "<= 1.0x",
      pass: ratio !== null && ratio <= 1.0,
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
  if (r.requestCost) {
    const { start: s, dev: d, static: st, runner: b } = r.requestCost;
    const rps = (x) => `${round(x.rps.median, 0)} req/s`;
    const vsStatic = ratioOf(s.rps.median, st.rps.median);
    const vsRunner = ratioOf(s.rps.median, b.rps.median);
    rows.push({
      figure: "2. Throughput, GET with SQL, npm start",
      ours: rps(s),
      baseline: `${rps(st)} static DO`,
      ratio: vsStatic,
      target: ">= 0.9x",
      pass: vsStatic !== null && vsStatic >= 0.9,
    });
    const { metered: on, unmetered: off } = r.requestCost;
    if (on && off) {
      const metered = ratioOf(on.rps.median, off.rps.median);
      rows.push({
        figure: "   metering on / off (bench runtime)",
        ours: `${round(on.rps.median, 0)} req/s, ${on.cpuMsPerRequest.median} ms CPU`,
        baseline: `${round(off.rps.median, 0)} req/s, ${off.cpuMsPerRequest.median} ms CPU off`,
        ratio: metered,
        target: ">= 0.95x",
        pass: metered !== null && metered >= 0.95,
      });
    }
    const { unrecorded } = r.requestCost;
    if (on && unrecorded) {
      const cpu = ratioOf(on.cpuMsPerRequest.median, unrecorded.cpuMsPerRequest.median);
      rows.push({
        figure: "   request recording on / off, CPU per request",
        ours: `${on.cpuMsPerRequest.median} ms CPU, ${round(on.rps.median, 0)} req/s`,
        baseline: `${unrecorded.cpuMsPerRequest.median} ms CPU, ${round(unrecorded.rps.median, 0)} req/s off`,
        ratio: cpu,
        target: "<= 1.05x",
        pass: cpu !== null && cpu <= 1.05,
      });
    }
    rows.push({
      figure: "   vs minimal AppRunner",
      ours: rps(s),
      baseline: `${rps(b)} AppRunner`,
      ratio: vsRunner,
      target: ">= 1.0x",
      pass: vsRunner !== null && vsRunner >= 1.0,
    });
    if (d) {
      rows.push({
        figure: "   npm run dev",
        ours: rps(d),
        baseline: `${rps(b)} AppRunner`,
        ratio: ratioOf(d.rps.median, b.rps.median),
        target: "report",
        pass: null,
      });
    }
    rows.push({
      figure: "   CPU per request (process tree)",
      ours: `${s.cpuMsPerRequest.median} ms${d ? `; dev ${d.cpuMsPerRequest.median} ms` : ""}`,
      baseline: `${st.cpuMsPerRequest.median} ms static, ${b.cpuMsPerRequest.median} ms AppRunner`,
      ratio: ratioOf(s.cpuMsPerRequest.median, b.cpuMsPerRequest.median),
      target: "",
      pass: null,
    });
    const { deployed } = r.requestCost;
    if (deployed) {
      rows.push({
        figure: "   CPU per request, deployed settings",
        ours: `${deployed.cpuMsPerRequest.median} ms, ${round(deployed.rps.median, 0)} req/s`,
        baseline: `${s.cpuMsPerRequest.median} ms npm start`,
        ratio: ratioOf(deployed.cpuMsPerRequest.median, s.cpuMsPerRequest.median),
        target: "report",
        pass: null,
      });
    }
    rows.push({
      figure: "   latency",
      ours: ms(s.latencyMs),
      baseline: `${ms(b.latencyMs)} AppRunner`,
      ratio: ratioOf(s.latencyMs.median, b.latencyMs.median),
      target: "",
      pass: null,
    });
  }
  if (r.logLatency) {
    const l = r.logLatency;
    rows.push({
      figure: "3. Log: console.log -> WebSocket",
      ours: ms(l.logToSocketMs),
      baseline: `${ms(l.logToResponseMs)} to HTTP response`,
      ratio: ratioOf(l.logToSocketMs.median, l.logToResponseMs.median),
      target: "report",
      pass: l.missing === 0 ? null : false,
    });
  }
  if (r.sqlConsole) {
    const q = r.sqlConsole;
    rows.push({
      figure: "4. SQL point query, HTTP",
      ours: ms(q.httpPoint),
      baseline: `${ms(q.staticPoint)} static DO route`,
      ratio: ratioOf(q.httpPoint.median, q.staticPoint.median),
      target: "report",
      pass: q.wrongAnswers === 0 ? null : false,
    });
    rows.push({
      figure: "   point query, WebSocket",
      ours: ms(q.wsPoint),
      baseline: `${ms(q.staticPoint)} static DO route`,
      ratio: ratioOf(q.wsPoint.median, q.staticPoint.median),
      target: "report",
      pass: null,
    });
    rows.push({
      figure: "   10,000-row select, HTTP",
      ours: ms(q.httpBig),
      baseline: `${ms(q.staticBig)} static DO route`,
      ratio: ratioOf(q.httpBig.median, q.staticBig.median),
      target: "report",
      pass: null,
    });
    rows.push({
      figure: "   10,000-row select, WebSocket",
      ours: ms(q.wsBig),
      baseline: `${ms(q.staticBig)} static DO route`,
      ratio: ratioOf(q.wsBig.median, q.staticBig.median),
      target: "report",
      pass: null,
    });
  }
  if (r.swapUnderLoad) {
    const { supervisor: s, supervisorSteady: steady, runner: b } = r.swapUnderLoad;
    rows.push({
      figure: `5. Failures under swaps (${s.saves} saves)`,
      ours: `${s.failures} of ${s.total}`,
      baseline: `${b.failures} of ${b.total} AppRunner (${b.saves} saves)`,
      ratio: null,
      target: "0",
      pass: s.failures === 0 && s.saveErrors === 0,
    });
    rows.push({
      figure: "   request rate held",
      ours: `${s.rps} req/s (p95 ${s.latencyMs.p95} ms)`,
      baseline: `${steady.rps} req/s without saves`,
      ratio: ratioOf(s.rps, steady.rps),
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
    rows.push({
      figure: "   growth per distinct save",
      ours: `${s.perSaveKiB} KiB (from ${s.atStartMiB} MiB)`,
      baseline: `${b.perSaveKiB} KiB (from ${b.atStartMiB} MiB)`,
      ratio: ratioOf(s.perSaveKiB, b.perSaveKiB),
      target: "report",
      pass: null,
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
  return rows;
}

/** @param {Row[]} rows */
export function formatTable(rows) {
  const head = ["figure", "ours", "baseline", "ratio", "target", "result"];
  const cells = rows.map((r) => [
    r.figure,
    r.ours,
    r.baseline,
    r.ratio === null ? "" : `${r.ratio}x`,
    r.target,
    r.pass === null ? "" : r.pass ? "PASS" : "FAIL",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) =>
    c
      .map((x, i) => x.padEnd(widths[i]))
      .join(" | ")
      .trimEnd();
  return [line(head), widths.map((w) => "-".repeat(w)).join("-|-"), ...cells.map(line)].join("\n");
}
