// Turns the scenarios' results into the headline rows (figure, ours, baseline, ratio, target, pass)
// and prints them as a table; each group of figures has its rows in report/.
import { objectsRows } from "./report/objects.mjs";
import { requestsRows } from "./report/requests.mjs";
import { runtimeRows } from "./report/runtime.mjs";
import { savesRows } from "./report/saves.mjs";

/** @typedef {import("./report/format.mjs").Row} Row */

/** @returns {Row[]} */
export function headlineRows(r) {
  /** @type {Row[]} */
  const rows = [];
  savesRows(r, rows);
  requestsRows(r, rows);
  objectsRows(r, rows);
  runtimeRows(r, rows);
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
