/**
 * What an export of the app's main module is, for the probe's report (the supervisor's diagnostics,
 * supervisor/app-host/app-model.ts) and for choosing how to run the app's class. A "plain-class" is
 * the older style Cloudflare still runs (the workers-chat demo's): it does not extend DurableObject,
 * its constructor takes (state, env), and the runtime calls its fetch and handlers.
 */
import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
import { originals as O } from "./originals";
import type { ExportShape } from "./protocol";

/** The handlers the runtime calls on a Durable Object. */
export const HANDLERS = ["fetch", "alarm", "webSocketMessage", "webSocketClose", "webSocketError"] as const;

/** How `value` (an export of the app's module) looks. */
export function shapeOf(value: unknown): ExportShape {
  if (typeof value === "function") {
    const prototype: unknown = value.prototype;
    if (prototype instanceof DurableObject) return "durable-object";
    if (prototype instanceof WorkerEntrypoint) return "worker";
    if (prototype === undefined) return "function";
    if (HANDLERS.some((name) => typeof (prototype as Record<string, unknown>)[name] === "function")) {
      return "plain-class";
    }
    return /^class\b/.test(Function.prototype.toString.call(value)) ? "class" : "function";
  }
  if (value !== null && typeof value === "object" && typeof (value as { fetch?: unknown }).fetch === "function") {
    return "worker";
  }
  return "other";
}

/** The shapes of every export of `module` (none if listing them throws). */
export function shapesOf(module: { readonly [name: string]: unknown }): Record<string, ExportShape> {
  try {
    return Object.fromEntries(O.keys(module).map((name) => [name, shapeOf(module[name])]));
  } catch {
    return {};
  }
}
