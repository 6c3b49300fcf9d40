/**
 * The meter's patches of the key-value APIs (meter.ts patches SQL and WebSockets): `get`, `put`,
 * `delete` and `list` of `ctx.storage.kv` and of the async `ctx.storage` API, one row per key, as
 * Cloudflare bills them. Past the database size limit, a put throws (kv) or rejects (async API) with
 * `DatabaseSizeLimitError`; deletes and reads still run.
 *
 * Patched once per isolate, with the first instance's ctx (before the app's constructor gets it); the
 * runtime's own methods are kept here, and the built-ins below were kept when this module evaluated,
 * before the app's.
 */

import { defineValue, originals as O, uncurry } from "../originals";
import { afterSuccess, limitError, type Meter, meterOf, refreshSize, touch, wrote } from "./meter-counts";

type Method = (this: unknown, ...args: unknown[]) => unknown;

const apply = O.apply;
const getPrototypeOf = O.getPrototypeOf;
const isArray = O.isArray;
const objectKeys = O.keys;
const promiseReject = Promise.reject.bind(Promise);
const mapSize: (map: Map<unknown, unknown>) => number = uncurry(
  (O.getOwnPropertyDescriptor(Map.prototype, "size") as { get: (this: Map<unknown, unknown>) => number }).get,
);
const weakGet: <K extends object, V>(map: WeakMap<K, V>, key: K) => V | undefined = uncurry(WeakMap.prototype.get);
const weakSet: <K extends object, V>(map: WeakMap<K, V>, key: K, value: V) => WeakMap<K, V> = uncurry(
  WeakMap.prototype.set,
);
/** A kv listing's iterator -> the meter its rows count for. */
const listOwner: WeakMap<object, Meter> = new O.WeakMap();

const define = defineValue;

/** `proto[name]`: the runtime's own method (read before the app could reach `proto`). */
function runtimeMethod(proto: object, name: string): Method {
  return (proto as { readonly [name: string]: Method })[name] as Method;
}

/** Keys a call names: an array's length, else one. */
function keysIn(first: unknown): number {
  return isArray(first) ? first.length : 1;
}

/** Meters `kv`'s and `storage`'s prototypes (every instance's, once). */
export function patchKv(storage: DurableObjectStorage, kv: SyncKvStorage): void {
  const kvProto: object = getPrototypeOf(kv);
  const storageProto: object = getPrototypeOf(storage);
  const kvGet = runtimeMethod(kvProto, "get");
  const kvPut = runtimeMethod(kvProto, "put");
  const kvDelete = runtimeMethod(kvProto, "delete");
  const kvList = runtimeMethod(kvProto, "list");
  let listNext: Method | null = null;
  const storageGet = runtimeMethod(storageProto, "get");
  const storagePut = runtimeMethod(storageProto, "put");
  const storageDelete = runtimeMethod(storageProto, "delete");
  const storageList = runtimeMethod(storageProto, "list");

  define(kvProto, "get", function get(this: unknown, ...args: unknown[]) {
    const value = apply(kvGet, this, args);
    const meter = meterOf(this);
    if (meter !== undefined) {
      meter.rowsRead += keysIn(args[0]);
      touch(meter);
    }
    return value;
  });
  define(kvProto, "put", function put(this: unknown, ...args: unknown[]) {
    const meter = meterOf(this);
    if (meter?.overCap) {
      meter.writesRefused++;
      touch(meter);
      throw limitError(meter);
    }
    const result = apply(kvPut, this, args);
    if (meter !== undefined) {
      meter.rowsWritten++;
      wrote(meter, 1);
      touch(meter);
    }
    return result;
  });
  define(kvProto, "delete", function del(this: unknown, ...args: unknown[]) {
    const result = apply(kvDelete, this, args);
    const meter = meterOf(this);
    if (meter !== undefined) {
      meter.rowsWritten += keysIn(args[0]);
      if (meter.overCap) refreshSize(meter);
      touch(meter);
    }
    return result;
  });
  define(kvProto, "list", function list(this: unknown, ...args: unknown[]) {
    const iterator = apply(kvList, this, args);
    const meter = meterOf(this);
    if (meter !== undefined && iterator !== null && typeof iterator === "object") {
      if (listNext === null) {
        const iteratorProto: object = getPrototypeOf(iterator);
        listNext = runtimeMethod(iteratorProto, "next");
        define(iteratorProto, "next", function next(this: unknown, ...args: unknown[]) {
          const result = apply(listNext as Method, this, args);
          const owner = this !== null && typeof this === "object" ? weakGet(listOwner, this) : undefined;
          if (
            owner !== undefined &&
            result !== null &&
            typeof result === "object" &&
            (result as { done?: unknown }).done === false
          ) {
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

  define(storageProto, "get", function get(this: unknown, ...args: unknown[]) {
    const meter = meterOf(this);
    if (meter !== undefined) {
      meter.rowsRead += keysIn(args[0]);
      touch(meter);
    }
    return apply(storageGet, this, args);
  });
  define(storageProto, "put", function put(this: unknown, ...args: unknown[]) {
    const meter = meterOf(this);
    if (meter !== undefined) {
      if (meter.overCap) {
        meter.writesRefused++;
        touch(meter);
        return promiseReject(limitError(meter));
      }
      const keyOrEntries = args[0];
      const rows =
        typeof keyOrEntries === "string"
          ? 1
          : keyOrEntries !== null && typeof keyOrEntries === "object"
            ? objectKeys(keyOrEntries).length
            : 1;
      meter.rowsWritten += rows;
      const result = apply(storagePut, this, args) as Promise<unknown>;
      afterSuccess(result, () => wrote(meter, rows));
      touch(meter);
      return result;
    }
    return apply(storagePut, this, args);
  });
  define(storageProto, "delete", function del(this: unknown, ...args: unknown[]) {
    const meter = meterOf(this);
    const result = apply(storageDelete, this, args);
    if (meter !== undefined) {
      meter.rowsWritten += keysIn(args[0]);
      if (meter.overCap) afterSuccess(result as Promise<unknown>, () => refreshSize(meter));
      touch(meter);
    }
    return result;
  });
  define(storageProto, "list", function list(this: unknown, ...args: unknown[]) {
    const result = apply(storageList, this, args);
    const meter = meterOf(this);
    if (meter !== undefined) {
      afterSuccess(result as Promise<Map<unknown, unknown>>, (map) => {
        meter.rowsRead += mapSize(map);
        touch(meter);
      });
    }
    return result;
  });
}
