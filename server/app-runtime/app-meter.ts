/**
 * The meter inside the app's isolate: SQLite rows read and written (SQL, the KV APIs), WebSocket
 * messages in and out, the database's size, and the database size limit. Loaded by the wrapper
 * before the app's modules (so it evaluates first) and installed for each app instance before the
 * app's constructor runs.
 *
 * What it counts and where, as close to the platform as the app's isolate allows:
 * - SQL: `SqlStorage.prototype.exec` is replaced by one that calls the original and keeps the cursor;
 *   the cursor's own `rowsRead`/`rowsWritten` (read through the runtime's getters, kept before the
 *   app ran) are added up as the app iterates it. A call with several statements is run as its
 *   statements one by one (sql-statements.ts), since workerd's cursor counts only the last.
 * - KV: `get`/`put`/`delete`/`list` of `ctx.storage.kv` and of the async `ctx.storage` API, one row
 *   per key, as Cloudflare bills them.
 * - WebSockets: `send` counts out; `accept()`ed sockets' messages and the hibernation handler (the
 *   wrapper calls `countWebSocketIn`) count in. Auto-responses never reach the app and are free.
 * - Size: `databaseSize` through the runtime's getter.
 * What the app sees does not change: the same cursors, results and errors, in the same order.
 *
 * Why the app cannot hide cost: the prototypes are only reachable through `ctx`, which the app gets
 * after they are patched; the originals live in this module's closure; every built-in this module
 * calls was kept before the app's modules evaluated; and what it reports is deltas, so a report the
 * app forges (it would need the bridge) can only add. The supervisor validates each report
 * (`AppMeterReport`). The database size limit is enforced here, before a write runs: past it, a
 * statement that writes throws `DatabaseSizeLimitError` naming the limit, reads and deletes run, and
 * nothing stored is touched. A write that starts under the limit completes, so the database can pass
 * the limit by what one statement adds.
 *
 * Reports go to the supervisor through the MeterBridge (server/bridges/meter-bridge.ts) two seconds after the
 * first uncounted activity, and whenever the supervisor asks (`METER_METHOD`, before a swap and for
 * the metrics API).
 */
import { z } from "zod";
import { MAX_DATABASE_BYTES } from "../../shared/metrics";
import { GUARD_MODULE } from "./guard-runtime";
import { sqlStatementsSource } from "./sql-statements";

export const METER_MODULE = "__facet_ide_meter.js";
/** The env key carrying the meter bridge; the wrapper removes it before the app's class sees env. */
export const METER_BINDING = "__FACET_IDE_METER";
/** The env key carrying the limits the app's isolate enforces ({ databaseBytes }). */
export const METER_LIMITS_BINDING = "__FACET_IDE_METER_LIMITS";
/** The wrapper's method the supervisor calls to take the counts now. */
export const METER_METHOD = "__facetIdeMeter";
/** How long after the first uncounted activity the meter reports. */
export const REPORT_AFTER_MS = 2_000;

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** What the app's isolate reports: counts since its last report, and the database's size now. */
export const AppMeterReport = z.strictObject({
  rowsRead: count,
  rowsWritten: count,
  wsIn: count,
  wsOut: count,
  writesRefused: count,
  databaseBytes: z
    .number()
    .int()
    .min(0)
    .max(MAX_DATABASE_BYTES * 2)
    .nullable(),
  /** A Worker project's object the counts are of (its ID); absent for the App. */
  object: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
export type AppMeterReport = z.infer<typeof AppMeterReport>;

export interface AppMeterLimits {
  databaseBytes: number;
}

export const appMeterModuleSource = `import { env as workerEnv } from "cloudflare:workers";
import { originals } from "./${GUARD_MODULE}";

// The bridge and the limits, taken out of the env that \`import { env } from "cloudflare:workers"\`
// hands the app's modules before any of them runs: the app could otherwise replace the bridge with
// one that swallows reports, or raise its own limit.
const meterBridge = workerEnv ? workerEnv.${METER_BINDING} : undefined;
const meterLimits = workerEnv ? workerEnv.${METER_LIMITS_BINDING} : undefined;
const databaseLimit = meterLimits ? Number(meterLimits.databaseBytes) : Number.NaN;
try {
  delete workerEnv.${METER_BINDING};
  delete workerEnv.${METER_LIMITS_BINDING};
} catch {}

// Built-ins kept before the app's modules evaluate (this module is imported first).
const apply = Reflect.apply;
const uncurry = (fn) => apply(Function.prototype.bind, Function.prototype.call, [fn]);
const defineProperty = Object.defineProperty;
const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const getPrototypeOf = Object.getPrototypeOf;
const isArray = Array.isArray;
const objectKeys = Object.keys;
const NativeError = Error;
const NativeString = String;
const NativeMap = Map;
const NativeWeakMap = WeakMap;
const mapGet = uncurry(Map.prototype.get);
const mapSet = uncurry(Map.prototype.set);
const mapDelete = uncurry(Map.prototype.delete);
const mapForEach = uncurry(Map.prototype.forEach);
const mapSize = uncurry(getOwnPropertyDescriptor(Map.prototype, "size").get);
const weakGet = uncurry(WeakMap.prototype.get);
const weakSet = uncurry(WeakMap.prototype.set);
const promiseThen = uncurry(Promise.prototype.then);
const promiseReject = Promise.reject.bind(Promise);
const toFixed = uncurry(Number.prototype.toFixed);
const now = Date.now;
// The guard's, from before any app code ran (its own setTimeout reports the app's timers to the launcher).
const schedule = originals.setTimeout;
const addEventListener = uncurry(EventTarget.prototype.addEventListener);
const wsSend = WebSocket.prototype.send;
const wsAccept = WebSocket.prototype.accept;

${sqlStatementsSource}

/** What one row written can add to the database at most: a row (2 MB) and its page overhead. */
const GROWTH_PER_ROW_BOUND = 4 * 1024 * 1024;
const REPORT_AFTER_MS = ${REPORT_AFTER_MS};

class DatabaseSizeLimitError extends NativeError {}
defineProperty(DatabaseSizeLimitError.prototype, "name", { value: "DatabaseSizeLimitError", configurable: true, writable: true });

/** Storage objects (ctx, ctx.storage, its sql and kv) -> the meter of the app instance they belong to. */
const meterOf = new NativeMap();
const socketOwner = new NativeWeakMap();
const listOwner = new NativeWeakMap();
/** The meter installed last: sockets accepted outside a handler are counted for it. */
let lastMeter;
/** The runtime's own functions, kept when the prototypes are patched (once per isolate). */
let native = null;

function define(target, name, value) {
  defineProperty(target, name, { value, configurable: true, writable: true, enumerable: false });
}

function mib(bytes) {
  return toFixed(bytes / 1048576, 1) + " MiB";
}

function touch(meter) {
  if (meter.timer !== undefined || !meter.bridge) return;
  meter.timer = schedule(() => {
    meter.timer = undefined;
    const report = take(meter);
    if (report === null) return;
    try {
      promiseThen(meter.bridge.report(report), undefined, () => {});
    } catch {}
  }, REPORT_AFTER_MS);
}

function refreshSize(meter) {
  try {
    meter.size = native.databaseSize(meter.sql);
  } catch {
    return;
  }
  meter.grownSinceSize = 0;
  meter.overCap = meter.size >= meter.cap;
}

/** After rows were written: re-read the size when the writes since the last reading could reach the limit. */
function wrote(meter, rows) {
  if (rows <= 0) return;
  meter.grownSinceSize += rows;
  if (meter.overCap || meter.size + meter.grownSinceSize * GROWTH_PER_ROW_BOUND >= meter.cap) refreshSize(meter);
}

function limitError(meter) {
  return new DatabaseSizeLimitError(
    "The app's database is at its size limit: " + mib(meter.size) + " of " + mib(meter.cap) +
      " (databaseBytes). Writes are refused until rows are deleted or the limit is raised (the IDE's Metrics view, or PUT /api/projects/:id/limits); reads and deletes still work, and nothing stored was lost.",
  );
}

function refuseIfWrite(meter, piece) {
  if (!meter.overCap || piece.kind !== "write") return;
  meter.writesRefused++;
  touch(meter);
  throw limitError(meter);
}

/**
 * Counts a cursor the app gets. One without result columns (an INSERT, UPDATE or DELETE without
 * RETURNING, DDL) ran to its end inside exec(), so its counts are final now. One with columns is read
 * as the app iterates it, so it is kept and looked at again when the meter reports.
 */
function keep(meter, cursor, written) {
  if (!meter.bridge) return;
  touch(meter);
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
function sweep(meter) {
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

function take(meter) {
  sweep(meter);
  refreshSize(meter);
  const size = meter.size;
  if (
    meter.rowsRead === 0 && meter.rowsWritten === 0 && meter.wsIn === 0 && meter.wsOut === 0 &&
    meter.writesRefused === 0 && size === meter.reportedSize
  ) {
    return null;
  }
  const report = {
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

/** The call's arguments with the SQL text replaced. */
function withText(args, text) {
  const out = { __proto__: null, length: args.length };
  out[0] = text;
  for (let i = 1; i < args.length; i++) out[i] = args[i];
  return out;
}

function meteredExec(query) {
  const meter = mapGet(meterOf, this);
  if (meter === undefined) return apply(native.exec, this, arguments);
  const text = typeof query === "string" ? query : NativeString(query);
  if (sqlIndexOf(text, ";", 0) < 0 && !meter.overCap) {
    const cursor = apply(native.exec, this, text === query ? arguments : withText(arguments, text));
    const written = native.rowsWritten(cursor);
    wrote(meter, written);
    keep(meter, cursor, written);
    return cursor;
  }
  const pieces = splitSqlStatements(text);
  const last = pieces.length - 1;
  for (let k = 0; k < last; k++) {
    const piece = pieces[k];
    if (piece.empty) continue;
    if (arguments.length > 1 && piece.hasParams) {
      throw new NativeError("When executing multiple SQL statements in a single call, only the last statement can have parameters.");
    }
    refuseIfWrite(meter, piece);
    // As workerd runs a statement that is not the last: stepped once, its rows discarded.
    const cursor = apply(native.exec, this, [piece.text]);
    const written = native.rowsWritten(cursor);
    meter.rowsRead += native.rowsRead(cursor);
    meter.rowsWritten += written;
    wrote(meter, written);
    touch(meter);
  }
  const piece = pieces[last];
  if (!piece.empty) refuseIfWrite(meter, piece);
  const cursor = apply(native.exec, this, withText(arguments, piece.text));
  const written = native.rowsWritten(cursor);
  wrote(meter, written);
  keep(meter, cursor, written);
  return cursor;
}

function keysIn(first) {
  return isArray(first) ? first.length : 1;
}

function patchStorage(storage, sql, kv) {
  const sqlProto = getPrototypeOf(sql);
  const cursorProto = sql.Cursor.prototype;
  const kvProto = getPrototypeOf(kv);
  const storageProto = getPrototypeOf(storage);
  const columnNames = getOwnPropertyDescriptor(cursorProto, "columnNames")?.get;
  native = {
    exec: sqlProto.exec,
    // Without the runtime's own getter, every cursor is kept (a patched one could hide rows).
    columnNames: typeof columnNames === "function" ? uncurry(columnNames) : null,
    rowsRead: uncurry(getOwnPropertyDescriptor(cursorProto, "rowsRead").get),
    rowsWritten: uncurry(getOwnPropertyDescriptor(cursorProto, "rowsWritten").get),
    databaseSize: uncurry(getOwnPropertyDescriptor(sqlProto, "databaseSize").get),
    kvGet: kvProto.get,
    kvPut: kvProto.put,
    kvDelete: kvProto.delete,
    kvList: kvProto.list,
    listNext: null,
    get: storageProto.get,
    put: storageProto.put,
    delete: storageProto.delete,
    list: storageProto.list,
  };
  define(sqlProto, "exec", meteredExec);

  define(kvProto, "get", function get(key) {
    const value = apply(native.kvGet, this, arguments);
    const meter = mapGet(meterOf, this);
    if (meter !== undefined) {
      meter.rowsRead += keysIn(key);
      touch(meter);
    }
    return value;
  });
  define(kvProto, "put", function put() {
    const meter = mapGet(meterOf, this);
    if (meter !== undefined && meter.overCap) {
      meter.writesRefused++;
      touch(meter);
      throw limitError(meter);
    }
    const result = apply(native.kvPut, this, arguments);
    if (meter !== undefined) {
      meter.rowsWritten++;
      wrote(meter, 1);
      touch(meter);
    }
    return result;
  });
  define(kvProto, "delete", function del(key) {
    const result = apply(native.kvDelete, this, arguments);
    const meter = mapGet(meterOf, this);
    if (meter !== undefined) {
      meter.rowsWritten += keysIn(key);
      if (meter.overCap) refreshSize(meter);
      touch(meter);
    }
    return result;
  });
  define(kvProto, "list", function list() {
    const iterator = apply(native.kvList, this, arguments);
    const meter = mapGet(meterOf, this);
    if (meter !== undefined && iterator !== null && typeof iterator === "object") {
      if (native.listNext === null) {
        const iteratorProto = getPrototypeOf(iterator);
        native.listNext = iteratorProto.next;
        define(iteratorProto, "next", function next() {
          const result = apply(native.listNext, this, arguments);
          const owner = weakGet(listOwner, this);
          if (owner !== undefined && result !== null && typeof result === "object" && result.done === false) {
            owner.rowsRead++;
            touch(owner);
          }
          return result;
        });
      }
      weakSet(listOwner, iterator, meter);
    }
    return iterator;
  });

  define(storageProto, "get", function get(keys) {
    const meter = mapGet(meterOf, this);
    if (meter !== undefined) {
      meter.rowsRead += keysIn(keys);
      touch(meter);
    }
    return apply(native.get, this, arguments);
  });
  define(storageProto, "put", function put(keyOrEntries) {
    const meter = mapGet(meterOf, this);
    if (meter !== undefined) {
      if (meter.overCap) {
        meter.writesRefused++;
        touch(meter);
        return promiseReject(limitError(meter));
      }
      const rows = typeof keyOrEntries === "string" ? 1 : keyOrEntries !== null && typeof keyOrEntries === "object" ? objectKeys(keyOrEntries).length : 1;
      meter.rowsWritten += rows;
      const result = apply(native.put, this, arguments);
      promiseThen(result, () => wrote(meter, rows), () => {});
      touch(meter);
      return result;
    }
    return apply(native.put, this, arguments);
  });
  define(storageProto, "delete", function del(keys) {
    const meter = mapGet(meterOf, this);
    const result = apply(native.delete, this, arguments);
    if (meter !== undefined) {
      meter.rowsWritten += keysIn(keys);
      if (meter.overCap) promiseThen(result, () => refreshSize(meter), () => {});
      touch(meter);
    }
    return result;
  });
  define(storageProto, "list", function list() {
    const result = apply(native.list, this, arguments);
    const meter = mapGet(meterOf, this);
    if (meter !== undefined) {
      promiseThen(
        result,
        (map) => {
          meter.rowsRead += mapSize(map);
          touch(meter);
        },
        () => {},
      );
    }
    return result;
  });
}

function socketMeter(socket) {
  return weakGet(socketOwner, socket) ?? lastMeter;
}

define(WebSocket.prototype, "send", function send() {
  const result = apply(wsSend, this, arguments);
  const meter = socketMeter(this);
  if (meter !== undefined) {
    meter.wsOut++;
    touch(meter);
  }
  return result;
});

define(WebSocket.prototype, "accept", function accept() {
  const result = apply(wsAccept, this, arguments);
  const socket = this;
  if (lastMeter !== undefined) weakSet(socketOwner, socket, lastMeter);
  addEventListener(socket, "message", () => {
    const meter = socketMeter(socket);
    if (meter === undefined) return;
    meter.wsIn++;
    touch(meter);
  });
  return result;
});

/**
 * Meters the app instance that gets this ctx and holds it to the database size limit (object: a
 * Worker project's object's ID, which its reports carry). Called by the wrapper's constructor before
 * the app's own. Without limits (metering off) it does nothing at all;
 * without a bridge (the draft) it enforces the limit and reports nothing.
 */
export function installMeter(ctx, object = null) {
  if (!(databaseLimit >= 0)) return;
  const bridge = meterBridge ?? null;
  const storage = ctx.storage;
  const sql = storage.sql;
  const kv = storage.kv;
  if (native === null) patchStorage(storage, sql, kv);
  const meter = {
    __proto__: null,
    bridge,
    sql,
    cap: databaseLimit,
    size: 0,
    grownSinceSize: 0,
    overCap: false,
    reportedSize: null,
    rowsRead: 0,
    rowsWritten: 0,
    wsIn: 0,
    wsOut: 0,
    writesRefused: 0,
    cursors: new NativeMap(),
    timer: undefined,
    object: typeof object === "string" ? object : null,
  };
  mapSet(meterOf, ctx, meter);
  mapSet(meterOf, storage, meter);
  mapSet(meterOf, sql, meter);
  mapSet(meterOf, kv, meter);
  lastMeter = meter;
  refreshSize(meter);
  touch(meter);
}

/** An incoming message for a hibernatable socket, counted by the wrapper's webSocketMessage. */
export function countWebSocketIn(ctx, socket) {
  const meter = mapGet(meterOf, ctx);
  if (meter === undefined) return;
  if (socket !== null && typeof socket === "object") weakSet(socketOwner, socket, meter);
  meter.wsIn++;
  touch(meter);
}

/** The counts since the last report, for the supervisor's call (null: nothing new). */
export function takeReport(ctx) {
  const meter = mapGet(meterOf, ctx);
  return meter === undefined ? null : take(meter);
}
`;
