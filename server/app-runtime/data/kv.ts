/**
 * The Data view's window on `ctx.storage.kv`, inside the app's isolate (the wrapper's KV_METHOD;
 * supervisor/data/data-browser.ts calls it and checks the answer). Its pairs live in the runtime's
 * `_cf_KV` table, which SQL may not read, so they are read and written with the kv API itself, on the
 * running instance.
 *
 * A listing describes each value: its type, a JSON preview, and whether that JSON is the whole value
 * (plain objects, arrays, strings, finite numbers, booleans and null, not cut), which is what the
 * view lets a person edit.
 */
import { KV_PREVIEW_CHARS, type KvCall, type KvEntry, type KvListing } from "../protocol";

/** Whether `value` is plain JSON data all the way down (so its JSON is the whole value). */
export function isPlain(value: unknown, depth: number): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (depth > 64 || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.every((item) => isPlain(item, depth + 1));
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((item) => isPlain(item, depth + 1));
}

/** A value's type as the listing names it: `null`, `array`, a primitive's type, or its class. */
export function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value !== "object") return typeof value;
  const name: unknown = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof name === "string" && name && name !== "Object" ? name : "object";
}

/** A value as text: JSON where it can be, bytes as hex, Maps and Sets with their entries. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "bigint") return `${value.toString()}n`;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    const bytes =
      value instanceof ArrayBuffer
        ? new Uint8Array(value)
        : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    const hex = Array.from(bytes.subarray(0, 32), (b) => b.toString(16).padStart(2, "0")).join("");
    return `${bytes.length} bytes: ${hex}${bytes.length > 32 ? "…" : ""}`;
  }
  if (value instanceof Map) return `Map(${value.size}) ${JSON.stringify([...value.entries()])}`;
  if (value instanceof Set) return `Set(${value.size}) ${JSON.stringify([...value.values()])}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Runs one of the Data view's calls on `kv`. */
export function kvCall(kv: SyncKvStorage, call: KvCall): KvListing | number | null {
  if (call.op === "put") {
    kv.put(call.key, call.value);
    return null;
  }
  if (call.op === "delete") {
    let deleted = 0;
    for (const key of call.keys) if (kv.delete(key)) deleted++;
    return deleted;
  }
  const options: { limit: number; prefix?: string; startAfter?: string } = { limit: call.limit + 1 };
  if (call.prefix) options.prefix = call.prefix;
  if (call.startAfter !== undefined) options.startAfter = call.startAfter;
  const entries: KvEntry[] = [];
  for (const [key, value] of kv.list(options)) {
    const text = describeValue(value);
    const cut = text.length > KV_PREVIEW_CHARS;
    entries.push({
      key,
      type: typeOf(value),
      preview: cut ? text.slice(0, KV_PREVIEW_CHARS) : text,
      json: !cut && isPlain(value, 0),
    });
  }
  return { entries: entries.slice(0, call.limit), more: entries.length > call.limit };
}
