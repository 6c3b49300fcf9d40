// The bench table's rows for request cost (2), log latency (3), the SQL console (4) and swaps under load (5).

import { round } from "../stats.mjs";
import { ms, ratioOf } from "./format.mjs";

/**
 * @param r the run's results (bench/results.json)
 * @param {import("./format.mjs").Row[]} rows added to
 */
export function requestsRows(r, rows) {
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
    const cpuRatio = ratioOf(s.cpuMsPerRequest.median, b.cpuMsPerRequest.median);
    rows.push({
      figure: "   CPU per request (process tree)",
      ours: `${s.cpuMsPerRequest.median} ms${d ? `; dev ${d.cpuMsPerRequest.median} ms` : ""}`,
      baseline: `${st.cpuMsPerRequest.median} ms static, ${b.cpuMsPerRequest.median} ms AppRunner`,
      ratio: cpuRatio,
      target: "<= 1.0x",
      pass: cpuRatio !== null && cpuRatio <= 1.0,
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
}
