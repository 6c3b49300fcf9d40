/** SQL console output: results as a `sqlite3 -box` style table, fitted to the terminal's width. */
import type { SqlResult, SqlValue } from "../../shared/sql";
import { displayWidth, style, truncate } from "./ansi";

/** No column grows past this, so one long text value does not push the others off screen. */
const MAX_COLUMN_WIDTH = 60;
/** Columns are never squeezed below this while fitting the table to the terminal. */
const MIN_COLUMN_WIDTH = 6;
const BLOB_PREVIEW_BYTES = 16;

interface Cell {
  text: string;
  kind: "null" | "number" | "text" | "blob";
}

export function formatDuration(ms: number): string {
  if (ms < 1) return ms === 0 ? "0 ms" : "<1 ms";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function toCell(value: SqlValue): Cell {
  if (value === null) return { text: "NULL", kind: "null" };
  if (typeof value === "number") return { text: String(value), kind: "number" };
  if (typeof value === "string") {
    // Line breaks and tabs would tear the table apart; show them as visible marks instead.
    return { text: value.replace(/\r\n|\n|\r/g, "↵").replace(/\t/g, "⇥"), kind: "text" };
  }
  const shown = value.blob.slice(0, BLOB_PREVIEW_BYTES * 2);
  const more = value.blob.length > shown.length ? "…" : "";
  return { text: `x'${shown}${more}' (${formatBytes(value.bytes)})`, kind: "blob" };
}

function paint(cell: Cell, text: string): string {
  switch (cell.kind) {
    case "null":
      return style.gray(text);
    case "blob":
      return style.magenta(text);
    case "number":
      return style.cyan(text);
    default:
      return text;
  }
}

/** Shrinks the widest columns until the table fits in `cols` cells (or every column is at its minimum). */
function fitWidths(widths: number[], cols: number): number[] {
  const fitted = widths.map((w) => Math.min(w, MAX_COLUMN_WIDTH));
  const total = () => fitted.reduce((sum, w) => sum + w + 3, 1);
  while (total() > cols) {
    let widest = -1;
    for (let i = 0; i < fitted.length; i++) {
      if ((fitted[i] ?? 0) > MIN_COLUMN_WIDTH && (widest < 0 || (fitted[i] ?? 0) > (fitted[widest] ?? 0))) widest = i;
    }
    if (widest < 0) break;
    fitted[widest] = Math.max(MIN_COLUMN_WIDTH, (fitted[widest] ?? 0) - Math.max(1, total() - cols));
  }
  return fitted;
}

function pad(text: string, width: number, right: boolean): string {
  const gap = " ".repeat(Math.max(0, width - displayWidth(text)));
  return right ? gap + text : text + gap;
}

/** The result's table (when it has columns) and a summary line, as terminal lines without line ends. */
export function formatResult(result: SqlResult, cols: number): string[] {
  const lines: string[] = [];
  if (result.columns.length > 0) {
    const cells = result.rows.map((row) => result.columns.map((_, i) => toCell(row[i] ?? null)));
    const natural = result.columns.map((name, i) =>
      Math.max(displayWidth(name), ...cells.map((row) => displayWidth(row[i]?.text ?? ""))),
    );
    const widths = fitWidths(natural, cols);
    const border = (left: string, mid: string, right: string) =>
      style.gray(left + widths.map((w) => "─".repeat(w + 2)).join(mid) + right);
    const bar = style.gray("│");
    lines.push(border("┌", "┬", "┐"));
    lines.push(
      `${bar}${result.columns.map((name, i) => ` ${style.bold(pad(truncate(name, widths[i] ?? 0), widths[i] ?? 0, false))} `).join(bar)}${bar}`,
    );
    if (cells.length > 0) {
      lines.push(border("├", "┼", "┤"));
      for (const row of cells) {
        const parts = row.map((cell, i) => {
          const width = widths[i] ?? 0;
          return ` ${paint(cell, pad(truncate(cell.text, width), width, cell.kind === "number"))} `;
        });
        lines.push(`${bar}${parts.join(bar)}${bar}`);
      }
    }
    lines.push(border("└", "┴", "┘"));
  }
  lines.push(summary(result));
  if (result.truncated) {
    const more = result.totalRows - result.rows.length;
    lines.push(
      style.yellow(
        result.totalRowsExact
          ? `… ${more} more row${more === 1 ? "" : "s"} not shown (${result.totalRows} matched; the console shows the first ${result.rows.length}). Use LIMIT/OFFSET to page.`
          : `… more rows not shown (counting stopped after ${result.totalRows.toLocaleString("en-US")}; the console shows the first ${result.rows.length}). Use LIMIT/OFFSET to page, or SELECT count(*) to count.`,
      ),
    );
  }
  return lines;
}

function summary(result: SqlResult): string {
  const parts: string[] = [];
  if (result.columns.length > 0) {
    parts.push(`${result.totalRows} row${result.totalRows === 1 ? "" : "s"}`);
  } else {
    parts.push("OK");
  }
  if (result.rowsWritten > 0) parts.push(`${result.rowsWritten} written`);
  parts.push(formatDuration(result.durationMs));
  return style.gray(parts.join(" · "));
}
