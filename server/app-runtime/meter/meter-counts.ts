/**
 * The meter's counts for one app instance (meter.ts installs one per `ctx`): rows read and written,
 * WebSocket messages, the database's size against its limit, and the report the supervisor gets.
 *
 * Runs after the app's code, so it calls only functions kept before the app ran: the runtime's own
 * (`Native`, kept when the prototypes were patched), and the built-ins below, kept when this module
 * evaluated. What it reports is deltas, so a report the app forges can only add.
 */
import { originals as O, uncurry } from "../originals";
import { METER_REPORT_AFTER_MS, type MeterReport } from "../protocol";

export type Cursor = SqlStorageCursor<Record<string, SqlStorageValue>>;

/** The runtime's own functions, kept when the prototypes were patched (meter.ts). */
export interface Native {
  readonly __proto__?: null;
  exec: (this: SqlStorage, ...args: unknown[]) => Cursor;
  /** Null without the runtime's own getter: then every cursor is kept (a patched one could hide rows). */
  columnNames: ((cursor: Cursor) => string[]) | null;
  rowsRead: (cursor: Cursor) => number;
  rowsWritten: (cursor: Cursor) => number;
  databaseSize: (sql: SqlStorage) => number;
}

/** The meter bridge (server/bridges/meter-bridge.ts). */
export interface MeterBridge {
  report(report: MeterReport): Promise<unknown>;
}

/** What a kept cursor had counted when the meter last looked. */
interface Seen {
  readonly __proto__?: null;
  read: number;
  written: number;
  idle: boolean;
}

/** One app instance's meter. */
export interface Meter {
  readonly __proto__?: null;
  /** Null for the draft: it enforces the limit and reports nothing. */
  bridge: MeterBridge | null;
  native: Native;
  sql: SqlStorage;
  cap: number;
  size: number;
  grownSinceSize: number;
  overCap: boolean;
  reportedSize: number | null;
  rowsRead: number;
  rowsWritten: number;
  wsIn: number;
  wsOut: number;
  writesRefused: number;
  cursors: Map<Cursor, Seen>;
  /** The pending report's timer; undefined when none is due. */
  timer: unknown;
  /** A Worker project's object (its ID), which its reports name; null for the App. */
  object: string | null;
}

const NativeError = O.Error;
const mapGet: <K, V>(map: Map<K, V>, key: K) => V | undefined = uncurry(Map.prototype.get);
const mapSet: <K, V>(map: Map<K, V>, key: K, value: V) => Map<K, V> = uncurry(Map.prototype.set);
const mapDelete: <K, V>(map: Map<K, V>, key: K) => boolean = uncurry(Map.prototype.delete);
const mapForEach: <K, V>(map: Map<K, V>, each: (value: V, key: K) => void) => void = uncurry(Map.prototype.forEach);
const promiseThen: <T>(
  promise: Promise<T>,
  fulfilled: ((value: T) => unknown) | undefined,
  rejected: (error: unknown) => unknown,
) => Promise<unknown> = uncurry(Promise.prototype.then);
const toFixed: (n: number, digits: number) => string = uncurry(Number.prototype.toFixed);
const defineProperty = O.defineProperty;
// The guard's, from before any app code ran (its own setTimeout reports the app's timers to the launcher).
const schedule = O.setTimeout;

/** What one row written can add to the database at most: a row (2 MB) and its page overhead. */
const GROWTH_PER_ROW_BOUND = 4 * 1024 * 1024;

export class DatabaseSizeLimitError extends NativeError {}
defineProperty(DatabaseSizeLimitError.prototype, "name", {
  value: "DatabaseSizeLimitError",
  configurable: true,
  writable: true,
});

/** Storage objects (ctx, ctx.storage, its sql and kv) -> the meter of the app instance they belong to. */
const meters: Map<object, Meter> = new O.Map();

/** The meter of the instance `target` (its ctx, storage, sql or kv) belongs to. */
export function meterOf(target: unknown): Meter | undefined {
  return target !== null && typeof target === "object" ? mapGet(meters, target) : undefined;
}

/** Makes `meter` the meter of everything in `targets`. */
export function meterFor(targets: object[], meter: Meter): void {
  for (let i = 0; i < targets.length; i++) mapSet(meters, targets[i] as object, meter);
}

/** Runs `then` once `promise` settles well (ignoring a rejection), through the `then` kept before the app ran. */
export function afterSuccess<T>(promise: Promise<T>, then: (value: T) => unknown): void {
  promiseThen(promise, then, () => {});
}

/** A new meter for an instance whose database is `sql`, held to `cap` bytes. */
export function newMeter(
  native: Native,
  sql: SqlStorage,
  cap: number,
  bridge: MeterBridge | null,
  object: string | null,
): Meter {
  return {
    __proto__: null,
    bridge,
    native,
    sql,
    cap,
    size: 0,
    grownSinceSize: 0,
    overCap: false,
    reportedSize: null,
    rowsRead: 0,
    rowsWritten: 0,
    wsIn: 0,
    wsOut: 0,
    writesRefused: 0,
    cursors: new O.Map(),
    timer: undefined,
    object,
  };
}

function mib(bytes: number): string {
  return `${toFixed(bytes / 1048576, 1)} MiB`;
}

/** Something was counted: report it METER_REPORT_AFTER_MS from the first uncounted activity. */
export function touch(meter: Meter): void {
  if (meter.timer !== undefined || !meter.bridge) return;
  const bridge = meter.bridge;
  meter.timer = schedule(() => {
    meter.timer = undefined;
    const report = take(meter);
    if (report === null) return;
    try {
      afterSuccess(bridge.report(report), () => {});
    } catch {}
  }, METER_REPORT_AFTER_MS);
}

/** Reads the database's size again (through the runtime's getter). */
export function refreshSize(meter: Meter): void {
  try {
    meter.size = meter.native.databaseSize(meter.sql);
  } catch {
    return;
  }
  meter.grownSinceSize = 0;
  meter.overCap = meter.size >= meter.cap;
}

/** After rows were written: re-read the size when the writes since the last reading could reach the limit. */
export function wrote(meter: Meter, rows: number): void {
  if (rows <= 0) return;
  meter.grownSinceSize += rows;
  if (meter.overCap || meter.size + meter.grownSinceSize * GROWTH_PER_ROW_BOUND >= meter.cap) refreshSize(meter);
}

/** The error a write past the limit throws. */
export function limitError(meter: Meter): DatabaseSizeLimitError {
  return new DatabaseSizeLimitError(
    `The app's database is at its size limit: ${mib(meter.size)} of ${mib(meter.cap)} (databaseBytes). Writes are refused until rows are deleted or the limit is raised (the IDE's Metrics view, or PUT /api/projects/:id/limits); reads and deletes still work, and nothing stored was lost.`,
  );
}

/** Throws (and counts the refusal) when the database is over its limit and `kind` writes. */
export function refuseIfWrite(meter: Meter, kind: "read" | "delete" | "write"): void {
  if (!meter.overCap || kind !== "write") return;
  meter.writesRefused++;
  touch(meter);
  throw limitError(meter);
}

/**
 * Counts a cursor the app gets. One without result columns (an INSERT, UPDATE or DELETE without
 * RETURNING, DDL) ran to its end inside exec(), so its counts are final now. One with columns is read
 * as the app iterates it, so it is kept and looked at again when the meter reports.
 */
export function keep(meter: Meter, cursor: Cursor, written: number): void {
  if (!meter.bridge) return;
  touch(meter);
  const { native } = meter;
  if (native.columnNames !== null && native.columnNames(cursor).length === 0) {
    meter.rowsRead += native.rowsRead(cursor);
    meter.rowsWritten += written;
    return;
  }
  mapSet(meter.cursors, cursor, { __proto__: null, read: 0, written: 0, idle: false });
}

/**
 * Adds what the kept cursors read and wrote since the last look (every report, so each cursor costs a
 * few getter calls in all); forgets a cursor once two looks in a row found it unchanged.
 */
export function sweep(meter: Meter): void {
  const { native } = meter;
  mapForEach(meter.cursors, (seen, cursor) => {
    const read = native.rowsRead(cursor);
    const written = native.rowsWritten(cursor);
    if (read === seen.read && written === seen.written) {
      if (seen.idle) mapDelete(meter.cursors, cursor);
      else seen.idle = true;
      return;
    }
    meter.rowsRead += read - seen.read;
    meter.rowsWritten += written - seen.written;
    seen.read = read;
    seen.written = written;
    seen.idle = false;
  });
}

/** The counts since the last report and the size now, and starts counting afresh; null when nothing changed. */
export function take(meter: Meter): MeterReport | null {
  sweep(meter);
  refreshSize(meter);
  const size = meter.size;
  if (
    meter.rowsRead === 0 &&
    meter.rowsWritten === 0 &&
    meter.wsIn === 0 &&
    meter.wsOut === 0 &&
    meter.writesRefused === 0 &&
    size === meter.reportedSize
  ) {
    return null;
  }
  const report: MeterReport = {
    rowsRead: meter.rowsRead,
    rowsWritten: meter.rowsWritten,
    wsIn: meter.wsIn,
    wsOut: meter.wsOut,
    writesRefused: meter.writesRefused,
    databaseBytes: size,
  };
  if (meter.object !== null) report.object = meter.object;
  meter.rowsRead = 0;
  meter.rowsWritten = 0;
  meter.wsIn = 0;
  meter.wsOut = 0;
  meter.writesRefused = 0;
  meter.reportedSize = size;
  return report;
}
