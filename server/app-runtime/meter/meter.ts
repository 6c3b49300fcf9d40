/**
 * The meter inside the app's isolate (`__facet_ide_meter.js`): SQLite rows read and written (SQL, the
 * KV APIs), WebSocket messages in and out, the database's size, and the database size limit. Imported
 * before the app's modules (after the guard and logs modules, so its WebSocket `accept` wraps
 * theirs), and installed for each app instance before the app's constructor runs (`installMeter`).
 *
 * What it counts and where, as close to the platform as the app's isolate allows:
 * - SQL: `SqlStorage.prototype.exec` is replaced by one that calls the original and keeps the cursor;
 *   the cursor's own `rowsRead`/`rowsWritten` (read through the runtime's getters, kept before the
 *   app ran) are added up as the app iterates it (meter-counts.ts). A call with several statements is
 *   run as its statements one by one (sql-statements.ts), since workerd's cursor counts only the last.
 * - KV: `get`/`put`/`delete`/`list` of `ctx.storage.kv` and of the async `ctx.storage` API, one row
 *   per key, as Cloudflare bills them (meter-storage.ts).
 * - WebSockets: `send` counts out; `accept()`ed sockets' messages and the hibernation handler (the
 *   wrapper calls `countWebSocketIn`) count in. Auto-responses never reach the app and are free.
 * - Size: `databaseSize` through the runtime's getter.
 * What the app sees does not change: the same cursors, results and errors, in the same order.
 *
 * Why the app cannot hide cost: the prototypes are only reachable through `ctx`, which the app gets
 * after they are patched; the originals live in these modules' closures; every built-in they call
 * was kept before the app's modules evaluated; and what they report is deltas, so a report the app
 * forges (it would need the bridge) can only add. The supervisor checks each report
 * (protocol.ts, `checkMeterReport`). The database size limit is enforced here, before a write runs:
 * past it, a statement that writes throws `DatabaseSizeLimitError` naming the limit, reads and deletes
 * run, and nothing stored is touched. A write that starts under the limit completes, so the database
 * can pass the limit by what one statement adds.
 *
 * Reports go to the supervisor through the MeterBridge (server/bridges/meter-bridge.ts) two seconds
 * after the first uncounted activity, and whenever the supervisor asks (METER_METHOD, before a swap
 * and for the metrics API).
 */
import { env as workerEnv } from "cloudflare:workers";
import { splitSqlStatements, sqlIndexOf } from "../data/sql-statements";
import { defineValue, originals as O, uncurry } from "../originals";
import { METER_BINDING, METER_LIMITS_BINDING, type MeterLimits, type MeterReport } from "../protocol";
import {
  type Cursor,
  keep,
  type Meter,
  type MeterBridge,
  meterFor,
  meterOf,
  type Native,
  newMeter,
  refreshSize,
  refuseIfWrite,
  take,
  touch,
  wrote,
} from "./meter-counts";
import { patchKv } from "./meter-storage";
import { setSocketBounds } from "./socket-bounds";

// The bridge and the limits, taken out of the env that `import { env } from "cloudflare:workers"`
// hands the app's modules before any of them runs: the app could otherwise replace the bridge with
// one that swallows reports, or raise its own limit. (The loader's bindings, not the app's values.)
const env = workerEnv as unknown as Record<string, unknown> | undefined;
const meterBridge = (env ? env[METER_BINDING] : undefined) as MeterBridge | undefined;
const meterLimits = (env ? env[METER_LIMITS_BINDING] : undefined) as MeterLimits | undefined;
const databaseLimit = meterLimits ? Number(meterLimits.databaseBytes) : Number.NaN;
if (meterLimits) {
  setSocketBounds(Number(meterLimits.socketMessagesPerSecond), Number(meterLimits.projectSocketMessagesPerSecond));
}
try {
  delete env?.[METER_BINDING];
  delete env?.[METER_LIMITS_BINDING];
} catch {}

// Built-ins kept before the app's modules evaluate (this module is imported before them).
const apply = O.apply;
const getOwnPropertyDescriptor = O.getOwnPropertyDescriptor;
const getPrototypeOf = O.getPrototypeOf;
const NativeError = O.Error;
const NativeString = O.String;
const weakGet: <K extends object, V>(map: WeakMap<K, V>, key: K) => V | undefined = uncurry(WeakMap.prototype.get);
const weakSet: <K extends object, V>(map: WeakMap<K, V>, key: K, value: V) => WeakMap<K, V> = uncurry(
  WeakMap.prototype.set,
);
const addEventListener: (target: EventTarget, type: string, listener: () => void) => void = uncurry(
  EventTarget.prototype.addEventListener,
);
// As they are now: the logs module's accept (which tracks sockets for swaps) is the one wrapped.
const wsSend = WebSocket.prototype.send;
const wsAccept = WebSocket.prototype.accept;

const socketOwner: WeakMap<object, Meter> = new O.WeakMap();
/** The meter installed last: sockets accepted outside a handler are counted for it. */
let lastMeter: Meter | undefined;
/** The runtime's own functions, kept when the prototypes are patched (once per isolate). */
let native: Native | null = null;

const define = defineValue;

/** The runtime's own getter `name` of `proto`, as a function of the receiver. */
function getter<T, R>(proto: object, name: string): (self: T) => R {
  const get = getOwnPropertyDescriptor(proto, name)?.get;
  if (typeof get !== "function") throw new NativeError(`The runtime's ${name} is missing`);
  return uncurry(get as (this: T) => R);
}

/** A SQL call's arguments with the text replaced (an array-like no inherited setter can catch). */
function withText(args: readonly unknown[], text: string): ArrayLike<unknown> {
  const out: { readonly __proto__?: null; length: number; [index: number]: unknown } = {
    __proto__: null,
    length: args.length,
  };
  out[0] = text;
  for (let i = 1; i < args.length; i++) out[i] = args[i];
  return out;
}

function meteredExec(this: SqlStorage, ...args: unknown[]): Cursor {
  const meter = meterOf(this);
  if (meter === undefined) return apply((native as Native).exec, this, args);
  const { exec: run, rowsRead, rowsWritten } = meter.native;
  const query = args[0];
  const text = typeof query === "string" ? query : NativeString(query);
  if (sqlIndexOf(text, ";", 0) < 0 && !meter.overCap) {
    const cursor = apply(run, this, text === query ? args : withText(args, text));
    const written = rowsWritten(cursor);
    wrote(meter, written);
    keep(meter, cursor, written);
    return cursor;
  }
  const pieces = splitSqlStatements(text);
  const last = pieces.length - 1;
  for (let k = 0; k < last; k++) {
    const piece = pieces[k]!;
    if (piece.empty) continue;
    if (args.length > 1 && piece.hasParams) {
      throw new NativeError(
        "When executing multiple SQL statements in a single call, only the last statement can have parameters.",
      );
    }
    refuseIfWrite(meter, piece.kind);
    // As workerd runs a statement that is not the last: stepped once, its rows discarded.
    const cursor = apply(run, this, [piece.text]);
    const written = rowsWritten(cursor);
    meter.rowsRead += rowsRead(cursor);
    meter.rowsWritten += written;
    wrote(meter, written);
    touch(meter);
  }
  const piece = pieces[last]!;
  if (!piece.empty) refuseIfWrite(meter, piece.kind);
  const cursor = apply(run, this, withText(args, piece.text));
  const written = rowsWritten(cursor);
  wrote(meter, written);
  keep(meter, cursor, written);
  return cursor;
}

/** Replaces the prototypes' methods with metered ones (once per isolate, with the first ctx). */
function patchStorage(storage: DurableObjectStorage, sql: SqlStorage, kv: SyncKvStorage): void {
  const sqlProto: object = getPrototypeOf(sql);
  const cursorProto: object = (sql as unknown as { Cursor: { prototype: object } }).Cursor.prototype;
  const columnNames = getOwnPropertyDescriptor(cursorProto, "columnNames")?.get;
  native = {
    __proto__: null,
    exec: (sqlProto as { exec: Native["exec"] }).exec,
    columnNames: typeof columnNames === "function" ? uncurry(columnNames as (this: Cursor) => string[]) : null,
    rowsRead: getter(cursorProto, "rowsRead"),
    rowsWritten: getter(cursorProto, "rowsWritten"),
    databaseSize: getter(sqlProto, "databaseSize"),
  };
  define(sqlProto, "exec", meteredExec);
  patchKv(storage, kv);
}

function socketMeter(socket: object): Meter | undefined {
  return weakGet(socketOwner, socket) ?? lastMeter;
}

define(WebSocket.prototype, "send", function send(this: WebSocket, ...args: unknown[]) {
  const result = apply(wsSend, this, args);
  const meter = socketMeter(this);
  if (meter !== undefined) {
    meter.wsOut++;
    touch(meter);
  }
  return result;
});

define(WebSocket.prototype, "accept", function accept(this: WebSocket, ...args: unknown[]) {
  const result = apply(wsAccept, this, args);
  if (lastMeter !== undefined) weakSet(socketOwner, this, lastMeter);
  addEventListener(this, "message", () => {
    const meter = socketMeter(this);
    if (meter === undefined) return;
    meter.wsIn++;
    touch(meter);
  });
  return result;
});

/**
 * Meters the app instance that gets this ctx and holds it to the database size limit (object: a
 * Worker project's object's ID, which its reports carry). Called by the wrapper's constructor before
 * the app's own. Without limits (metering off) it does nothing at all; without a bridge (the draft)
 * it enforces the limit and reports nothing.
 */
export function installMeter(ctx: DurableObjectState, object: string | null = null): void {
  if (!(databaseLimit >= 0)) return;
  const storage = ctx.storage;
  const sql = storage.sql;
  const kv = storage.kv;
  if (native === null) patchStorage(storage, sql, kv);
  const meter = newMeter(
    native as Native,
    sql,
    databaseLimit,
    meterBridge ?? null,
    typeof object === "string" ? object : null,
  );
  meterFor([ctx, storage, sql, kv], meter);
  lastMeter = meter;
  refreshSize(meter);
  touch(meter);
}

/** An incoming message for a hibernatable socket, counted by the wrapper's webSocketMessage. */
export function countWebSocketIn(ctx: DurableObjectState, socket: unknown): void {
  const meter = meterOf(ctx);
  if (meter === undefined) return;
  if (socket !== null && typeof socket === "object") weakSet(socketOwner, socket, meter);
  meter.wsIn++;
  touch(meter);
}

/** The counts since the last report, for the supervisor's call (null: nothing new). */
export function takeReport(ctx: DurableObjectState): MeterReport | null {
  const meter = meterOf(ctx);
  return meter === undefined ? null : take(meter);
}
