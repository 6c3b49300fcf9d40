/**
 * The Data view's window on `ctx.storage.kv`. Its pairs live in the runtime's `_cf_KV` table, which
 * SQL may not read, so the wrapper's App class gets this method (wrapper.ts) and the pairs are read
 * and written with the kv API itself, inside the facet, on the running instance.
 */

/** The wrapper's kv method; the prefix keeps it clear of the app's own names. */
export const KV_METHOD = "__facetIdeKv";

/** How much of a value's JSON a listing carries. */
export const KV_PREVIEW_CHARS = 1_000;

export type KvCall =
  | { op: "list"; prefix?: string; startAfter?: string; limit: number }
  | { op: "put"; key: string; value: unknown }
  | { op: "delete"; keys: string[] };

/**
 * The method's source. A listing describes each value: its type, a JSON preview, and whether that
 * JSON is the whole value (plain objects, arrays, strings, finite numbers, booleans and null, not
 * cut), which is what the view lets a person edit.
 */
export const kvMethodSource = `${KV_METHOD}(call) {
    const kv = this.ctx.storage.kv;
    if (call.op === "put") {
      kv.put(call.key, call.value);
      return null;
    }
    if (call.op === "delete") {
      let deleted = 0;
      for (const key of call.keys) if (kv.delete(key)) deleted++;
      return deleted;
    }
    const isPlain = (value, depth) => {
      if (value === null || typeof value === "string" || typeof value === "boolean") return true;
      if (typeof value === "number") return Number.isFinite(value);
      if (depth > 64 || typeof value !== "object") return false;
      if (Array.isArray(value)) return value.every((item) => isPlain(item, depth + 1));
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      return Object.values(value).every((item) => isPlain(item, depth + 1));
    };
    const typeOf = (value) => {
      if (value === null) return "null";
      if (Array.isArray(value)) return "array";
      if (typeof value !== "object") return typeof value;
      const name = Object.getPrototypeOf(value)?.constructor?.name;
      return name && name !== "Object" ? name : "object";
    };
    const describe = (value) => {
      if (value === undefined) return "undefined";
      if (typeof value === "bigint") return value.toString() + "n";
      if (value instanceof Date) return value.toISOString();
      if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
        const bytes = new Uint8Array(value instanceof ArrayBuffer ? value : value.buffer, value.byteOffset ?? 0, value.byteLength);
        const hex = Array.from(bytes.subarray(0, 32), (b) => b.toString(16).padStart(2, "0")).join("");
        return bytes.length + " bytes: " + hex + (bytes.length > 32 ? "…" : "");
      }
      if (value instanceof Map) return "Map(" + value.size + ") " + JSON.stringify([...value.entries()]);
      if (value instanceof Set) return "Set(" + value.size + ") " + JSON.stringify([...value.values()]);
      try {
        return JSON.stringify(value) ?? String(value);
      } catch (error) {
        return String(value);
      }
    };
    const options = { limit: call.limit + 1 };
    if (call.prefix) options.prefix = call.prefix;
    if (call.startAfter !== undefined) options.startAfter = call.startAfter;
    const entries = [];
    for (const [key, value] of kv.list(options)) {
      const text = describe(value);
      const cut = text.length > ${KV_PREVIEW_CHARS};
      entries.push({
        key,
        type: typeOf(value),
        preview: cut ? text.slice(0, ${KV_PREVIEW_CHARS}) : text,
        json: !cut && isPlain(value, 0),
      });
    }
    return { entries: entries.slice(0, call.limit), more: entries.length > call.limit };
  }`;
