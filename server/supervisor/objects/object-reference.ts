/**
 * A reference to one of a Worker project's Durable Objects as the app's code sends it (a stub's
 * fetch or RPC call through the ObjectBridge, or a fork's or an import's object): checked before
 * the registry (objects.ts) does anything with it, since it comes from the app's isolate. And how an
 * object is named in the terminal and in errors.
 */
import { isObjectIdOf, namedObjectId } from "./object-ids";

/** Longest object name kept (Cloudflare allows longer; a name here is also shown in the terminal). */
export const MAX_OBJECT_NAME = 1_024;

/** How an object is named in the terminal and in errors: `Flight:1234`, or `Flight:#3f2a…` without a name. */
export function objectLabel(ref: { class: string; id: string; name: string | null }): string {
  return ref.name !== null ? `${ref.class}:${ref.name}` : `${ref.class}:#${ref.id.slice(0, 8)}`;
}

/** A reference whose parts have the right types (not yet known to name an object of its class). */
export interface ReadReference {
  className: string;
  id: string;
  name: string | null;
}

/**
 * The parts of `raw`: a class `classes` has, an ID, and a name of at most MAX_OBJECT_NAME
 * characters (or null); or why it is not a reference.
 */
export function readReference(
  raw: unknown,
  classes: readonly string[],
): ({ ok: true } & ReadReference) | { ok: false; message: string } {
  if (raw === null || typeof raw !== "object") return { ok: false, message: "not a Durable Object reference" };
  const { class: className, id, name } = raw as Record<string, unknown>;
  if (typeof className !== "string" || !classes.includes(className)) {
    return {
      ok: false,
      message: `no Durable Object class ${String(className)} is bound in this project's configuration`,
    };
  }
  if (typeof id !== "string") return { ok: false, message: "not a Durable Object ID" };
  if (name !== null && (typeof name !== "string" || name.length > MAX_OBJECT_NAME)) {
    return { ok: false, message: `Durable Object names here have at most ${MAX_OBJECT_NAME} characters` };
  }
  return { ok: true, className, id, name: name as string | null };
}

/** Whether the ID belongs to its class's namespace: the ID of its name, or one the namespace made. */
export async function isIdOfClass({ className, id, name }: ReadReference): Promise<boolean> {
  return name !== null ? (await namedObjectId(className, name)) === id : isObjectIdOf(className, id);
}
