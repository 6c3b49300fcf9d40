/**
 * The supervisor's checks of what comes back from the app's isolate (protocol.ts declares the
 * shapes). Everything that comes back may have been written by the app's code (it runs in the same
 * isolate, and can call the bridges or replace what the wrapper answers with), so each check takes
 * `unknown`, bounds every size and cuts every string, and answers null for what it cannot read.
 * Host code only: the isolate never loads this module.
 */
import {
  type AlarmOutcome,
  type CallOutcome,
  CONSOLE_LEVELS,
  type Described,
  EXPORT_SHAPES,
  type ExportShape,
  LINE_MAX_CHARS,
  LOG_BATCH_MAX,
  type LogLine,
  type MeterReport,
  type ProbeReport,
  type ThrownReport,
} from "./protocol";

const isObject = (value: unknown): value is { readonly [key: string]: unknown } =>
  value !== null && typeof value === "object" && !Array.isArray(value);
const isCount = (value: unknown, max = Number.MAX_SAFE_INTEGER): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= max;
const isFiniteNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
/** `value` cut to `max` characters (with an ellipsis), or null when it is not a string. */
const clip = (value: unknown, max: number): string | null =>
  typeof value !== "string" ? null : value.length > max ? `${value.slice(0, max)}…` : value;

/** One line as the isolate sends it, cut to size; null if malformed. */
export function checkLogLine(value: unknown): LogLine | null {
  if (!isObject(value) || !isFiniteNumber(value.at)) return null;
  const message = clip(value.message, LINE_MAX_CHARS);
  if (message === null) return null;
  if (value.kind === "console") {
    const level = CONSOLE_LEVELS.find((l) => l === value.level);
    return level === undefined ? null : { kind: "console", level, message, at: value.at };
  }
  if (value.kind !== "exception") return null;
  const name = clip(value.name, 200);
  const stack = clip(value.stack, LINE_MAX_CHARS);
  return name === null || stack === null ? null : { kind: "exception", name, message, stack, at: value.at };
}

/** Lines the isolate sent (through the bridge, on a response, in an answer); null if any is malformed or there are too many. */
export function checkLogLines(value: unknown, maxLines = LOG_BATCH_MAX): LogLine[] | null {
  if (!Array.isArray(value) || value.length > Math.min(maxLines, LOG_BATCH_MAX)) return null;
  const lines: LogLine[] = [];
  for (const item of value) {
    const line = checkLogLine(item);
    if (line === null) return null;
    lines.push(line);
  }
  return lines;
}

/** An exception report; null if malformed. */
export function checkThrownReport(value: unknown): ThrownReport | null {
  if (!isObject(value)) return null;
  const name = clip(value.name, 200);
  const message = clip(value.message, 8_000);
  if (name === null || message === null) return null;
  const report: ThrownReport = { name, message };
  if (value.stack !== undefined) {
    const stack = clip(value.stack, 8_000);
    if (stack === null) return null;
    report.stack = stack;
  }
  if (value.logs !== undefined) report.logs = value.logs;
  return report;
}

/** An error's description in an answer (name, message, stack), cut to size; null if malformed. */
function checkDescribed(value: { readonly [key: string]: unknown }): Described | null {
  const name = clip(value.name, 200);
  const message = clip(value.message, 8_000);
  const stack = clip(value.stack, 8_000);
  return name === null || message === null || stack === null ? null : { name, message, stack };
}

/** An alarm's outcome; null if malformed. */
export function checkAlarmOutcome(value: unknown): AlarmOutcome | null {
  if (!isObject(value)) return null;
  if (value.ok === true) return value.lines === undefined ? { ok: true } : { ok: true, lines: value.lines };
  if (value.ok !== false) return null;
  if (value.missing === true) return { ok: false, missing: true };
  const described = checkDescribed(value);
  if (described === null) return null;
  return value.lines === undefined ? { ok: false, ...described } : { ok: false, ...described, lines: value.lines };
}

/** An RPC call's outcome (the value passes as it is, to the app's own code); null if malformed. */
export function checkCallOutcome(value: unknown): CallOutcome | null {
  if (!isObject(value)) return null;
  if (value.ok === true) return { ok: true, value: value.value, lines: value.lines };
  if (value.ok !== false) return null;
  const described = checkDescribed(value);
  return described === null ? null : { ok: false, ...described, lines: value.lines };
}

/** The probe's answer; null if malformed. */
export function checkProbeReport(value: unknown): ProbeReport | null {
  if (!isObject(value) || typeof value.isDurableObject !== "boolean" || !isObject(value.shapes)) return null;
  const given = value.shapes;
  const shapes: Record<string, ExportShape> = {};
  for (const name of Object.keys(given)) {
    const shape = EXPORT_SHAPES.find((s) => s === given[name]);
    if (name.length > 200 || shape === undefined) return null;
    shapes[name] = shape;
  }
  return { isDurableObject: value.isDurableObject, shapes, logs: value.logs };
}

const METER_REPORT_KEYS = new Set([
  "rowsRead",
  "rowsWritten",
  "wsIn",
  "wsOut",
  "writesRefused",
  "databaseBytes",
  "object",
]);

/** A meter report (no other keys); null if malformed. `maxDatabaseBytes`: the largest size believed. */
export function checkMeterReport(value: unknown, maxDatabaseBytes: number): MeterReport | null {
  if (!isObject(value) || Object.keys(value).some((key) => !METER_REPORT_KEYS.has(key))) return null;
  const { rowsRead, rowsWritten, wsIn, wsOut, writesRefused, databaseBytes, object } = value;
  if (!isCount(rowsRead) || !isCount(rowsWritten) || !isCount(wsIn) || !isCount(wsOut) || !isCount(writesRefused)) {
    return null;
  }
  if (databaseBytes !== null && !isCount(databaseBytes, maxDatabaseBytes)) return null;
  if (object !== undefined && (typeof object !== "string" || !/^[0-9a-f]{64}$/.test(object))) return null;
  const report: MeterReport = { rowsRead, rowsWritten, wsIn, wsOut, writesRefused, databaseBytes };
  if (object !== undefined) report.object = object;
  return report;
}
