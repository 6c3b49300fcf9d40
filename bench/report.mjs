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
  if (r.saveToLive) {
    const { supervisor: s, runner: b } = r.saveToLive;
    const ratio = ratioOf(s.totalMs.median, b.totalMs.median);
    rows.push({
      figure: `1. Save to live (n=${s.totalMs.n})`,
      ours: ms(s.totalMs),
      baseline: `${ms(b.totalMs)} AppRunner`,
      ratio,
      target: "<= 1.25x",
      pass: ratio !== null && ratio <= 1.25,
    });
    const off = r.saveToLive.unmetered;
    if (off) {
      rows.push({
        figure: "   metering on / off",
        ours: ms(s.totalMs),
        baseline: `${ms(off.totalMs)} off`,
        ratio: ratioOf(s.totalMs.median, off.totalMs.median),
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
  }
  if (r.requestCost) {
    const { supervisor: s, static: st, runner: b } = r.requestCost;
    const ratio = ratioOf(s.rps.median, st.rps.median);
    rows.push({
      figure: "2. Throughput, GET with SQL",
      ours: `${round(s.rps.median, 0)} req/s`,
      baseline: `${round(st.rps.median, 0)} req/s static DO`,
      ratio,
      target: ">= 0.8x",
      pass: ratio !== null && ratio >= 0.8,
    });
    const off = r.requestCost.unmetered;
    if (off) {
      const metered = ratioOf(s.rps.median, off.rps.median);
      rows.push({
        figure: "   metering on / off",
        ours: `${round(s.rps.median, 0)} req/s, ${s.cpuMsPerRequest.median} ms CPU`,
        baseline: `${round(off.rps.median, 0)} req/s, ${off.cpuMsPerRequest.median} ms CPU off`,
        ratio: metered,
        target: ">= 0.95x",
        pass: metered !== null && metered >= 0.95,
      });
    }
    rows.push({
      figure: "   vs minimal AppRunner",
      ours: `${round(s.rps.median, 0)} req/s`,
      baseline: `${round(b.rps.median, 0)} req/s AppRunner`,
      ratio: ratioOf(s.rps.median, b.rps.median),
      target: "",
      pass: null,
    });
    rows.push({
      figure: "   workerd CPU per request",
      ours: `${s.cpuMsPerRequest.median} ms`,
      baseline: `${st.cpuMsPerRequest.median} ms static, ${b.cpuMsPerRequest.median} ms AppRunner`,
      ratio: ratioOf(s.cpuMsPerRequest.median, st.cpuMsPerRequest.median),
      target: "",
      pass: null,
    });
    rows.push({
      figure: "   latency",
      ours: ms(s.latencyMs),
      baseline: `${ms(st.latencyMs)} static`,
      ratio: ratioOf(s.latencyMs.median, st.latencyMs.median),
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
