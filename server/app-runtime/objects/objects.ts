/**
 * A Worker project's Durable Object namespaces inside the app's isolate (`__facet_ide_objects.js`):
 * what `env.FLIGHT` is. Each namespace has `idFromName`, `idFromString`, `newUniqueId`, `get`,
 * `getByName` and `jurisdiction`, synchronous as on Cloudflare; a stub has `id`, `name`, `fetch`
 * (WebSockets included) and every RPC method. Nothing here runs an object: a stub's calls go to the
 * project's supervisor through the ObjectBridge entrypoint (its props fix the project), which serves
 * each object as a facet with its own database, behind the same swap gate as every request
 * (supervisor/objects/object-host.ts).
 *
 * A call made while a request (or an alarm) runs carries that request's call ID, kept with
 * AsyncLocalStorage across awaits and timers: the supervisor then runs the call as part of the
 * request, inside the gate it already passed, so a swap that waits for the request to finish never
 * waits for a call the request itself is waiting for. A call made outside any (from a WebSocket
 * handler, or after the response) enters the gate on its own.
 *
 * The module also fixes what an object sees of itself: `ctx.id` becomes an ID whose `toString()` is
 * the object's 64 hex digits, with `name` for a named object, as on Cloudflare.
 *
 * Per load (placeholders): the project's namespace bindings and its assets binding's name.
 */

import { env as workerEnv } from "cloudflare:workers";
import { AsyncLocalStorage } from "node:async_hooks";
import { type Bare, originals as O } from "../originals";
import {
  ASSETS_HEADER,
  BINDING_PREFIX,
  CALL_HEADER,
  type NamespaceBinding,
  OBJECT_CF_HEADER,
  OBJECT_ERROR_HEADER,
  OBJECT_ERROR_TYPE_HEADER,
  OBJECT_HEADER,
  OBJECT_HOST,
  OBJECT_URL_HEADER,
  OBJECTS_BINDING,
  type ObjectRef,
} from "../protocol";
import { isIdOf, namedId, uniqueId } from "./ids";

const BINDINGS: NamespaceBinding[] = __FACET_IDE_BINDINGS__;
const ASSETS_BINDING: string | null = __FACET_IDE_ASSETS_BINDING__;
const CLASSES: string[] = __FACET_IDE_CLASSES__;

/** The ObjectBridge (server/bridges/object-bridge.ts). */
interface ObjectBridge {
  fetch(request: Request): Promise<Response>;
  call(ref: ObjectRef, method: string, args: unknown[], call: string | null): Promise<unknown>;
}

const calls = new AsyncLocalStorage<{ call: string | null }>();
/** The loader's env (not the app's values: this module evaluates before the app's). */
const env = workerEnv as unknown as Record<string, unknown> | undefined;
let bridge = (env ? env[OBJECTS_BINDING] : undefined) as ObjectBridge | undefined;
try {
  delete env?.[OBJECTS_BINDING];
} catch {}

/** The error types a stub's fetch rethrows as they were thrown in the object (as RPC keeps them). */
const errorTypes: Record<string, ErrorConstructor> = {
  __proto__: null,
  TypeError: O.TypeError,
  RangeError: O.RangeError,
  SyntaxError: O.SyntaxError,
  ReferenceError: O.ReferenceError,
  EvalError: O.EvalError,
  URIError: O.URIError,
} as unknown as Record<string, ErrorConstructor>;

const hexOf = new WeakMap<DurableObjectId, string>();

export class DurableObjectId {
  declare readonly name?: string;
  constructor(hex: string, name: string | null) {
    hexOf.set(this, hex);
    if (name !== null && name !== undefined) (this as { name?: string }).name = name;
  }
  toString(): string {
    return hexOf.get(this) as string;
  }
  toJSON(): string {
    return hexOf.get(this) as string;
  }
  equals(other: unknown): boolean {
    return other instanceof DurableObjectId && hexOf.get(other) === hexOf.get(this);
  }
}

function refOf(className: string, id: DurableObjectId): ObjectRef {
  return { class: className, id: hexOf.get(id) as string, name: id.name ?? null };
}

function currentCall(): string | null {
  const store = calls.getStore();
  return store ? store.call : null;
}

/** Runs run() as part of the request (or alarm) with call ID call (null: none). */
export function withCall<T>(call: string | null, run: () => T): T {
  return calls.run({ call }, run);
}

function requireBridge(): ObjectBridge {
  if (!bridge) throw new Error("Durable Object namespaces are not available here");
  return bridge;
}

async function objectFetch(ref: ObjectRef, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const headers = new Headers(request.headers);
  headers.set(OBJECT_HEADER, JSON.stringify(ref));
  headers.set(OBJECT_URL_HEADER, request.url);
  // The request's cf (the Worker's incoming one, or one it set) travels with it, as on Cloudflare.
  headers.delete(OBJECT_CF_HEADER);
  const cf: unknown = request.cf;
  if (cf !== undefined && cf !== null) {
    headers.set(OBJECT_CF_HEADER, O.encodeURIComponent(O.apply(O.JSON_stringify, JSON, [cf]) as string));
  }
  // Only the runtime says which request a call belongs to.
  headers.delete(CALL_HEADER);
  const call = currentCall();
  if (call) headers.set(CALL_HEADER, call);
  const internal = new Request(`http://${OBJECT_HOST}/`, {
    method: request.method,
    headers,
    body: request.body,
    redirect: "manual",
  });
  const response = await requireBridge().fetch(internal);
  const failed = response.headers.get(OBJECT_ERROR_HEADER);
  if (failed !== null) {
    const ErrorType = errorTypes[response.headers.get(OBJECT_ERROR_TYPE_HEADER) ?? ""] ?? O.Error;
    const error = new ErrorType(O.decodeURIComponent(failed));
    // Cloudflare marks an exception that came from the object's code so.
    (error as { remote?: boolean }).remote = true;
    throw error;
  }
  return response;
}

function stubOf(className: string, id: DurableObjectId): object {
  const ref = refOf(className, id);
  const own: Record<string, unknown> = {
    id,
    name: id.name,
    fetch: (input: RequestInfo | URL, init?: RequestInit) => objectFetch(ref, input, init),
    connect() {
      throw new Error("connect() on a Durable Object stub is not supported here");
    },
  };
  return new Proxy(own, {
    get(target, property) {
      if (Object.hasOwn(target, property)) return target[property as string];
      // Not a thenable (await stub must give the stub), and symbols are no RPC methods.
      if (typeof property !== "string" || property === "then") return undefined;
      return (...args: unknown[]) => requireBridge().call(ref, property, args, currentCall());
    },
  });
}

export class DurableObjectNamespace {
  #className: string;
  constructor(className: string) {
    this.#className = className;
  }
  idFromName(name: unknown): DurableObjectId {
    const text = String(name);
    return new DurableObjectId(namedId(this.#className, text), text);
  }
  idFromString(hex: unknown): DurableObjectId {
    const text = String(hex);
    if (!/^[0-9a-f]{64}$/.test(text)) throw new TypeError("Invalid Durable Object ID: IDs are 64 hex digits");
    if (!isIdOf(this.#className, text)) {
      throw new TypeError("Invalid Durable Object ID: the ID is for a different Durable Object namespace");
    }
    return new DurableObjectId(text, null);
  }
  newUniqueId(): DurableObjectId {
    return new DurableObjectId(uniqueId(this.#className), null);
  }
  get(id: unknown): object {
    if (!(id instanceof DurableObjectId)) {
      throw new TypeError("get() takes an ID from this namespace (idFromName, idFromString or newUniqueId)");
    }
    if (!isIdOf(this.#className, hexOf.get(id))) {
      throw new TypeError("This ID is for a different Durable Object namespace");
    }
    return stubOf(this.#className, id);
  }
  getByName(name: unknown): object {
    return this.get(this.idFromName(name));
  }
  jurisdiction(): this {
    return this;
  }
}

const namespaces: Record<string, unknown> = {};
for (const { name, className } of BINDINGS) namespaces[name] = new DurableObjectNamespace(className);
if (ASSETS_BINDING) {
  namespaces[ASSETS_BINDING] = {
    fetch(input: RequestInfo | URL, init?: RequestInit) {
      const request = new Request(input, init);
      const headers = new Headers(request.headers);
      headers.set(ASSETS_HEADER, request.url);
      return requireBridge().fetch(
        new Request(`http://${OBJECT_HOST}/`, { method: request.method, headers, redirect: "manual" }),
      );
    },
  };
}
// Code that reads env through `import { env } from "cloudflare:workers"` sees the namespaces too.
try {
  if (env) Object.assign(env, namespaces);
} catch {}

const classNamespaces: Record<string, DurableObjectNamespace> = {};
for (const className of CLASSES) classNamespaces[className] = new DurableObjectNamespace(className);

/**
 * The Worker's `ctx.exports`, as on Cloudflare: `default` (the runtime's loopback of the Worker) and,
 * for each Durable Object class of the project that main exports (`isExported`), bound or not, its
 * namespace (the same one a binding of that class gives).
 */
export function workerExports(given: unknown, isExported: (className: string) => boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (given !== null && typeof given === "object") {
    try {
      out.default = (given as Record<string, unknown>).default;
    } catch {}
  }
  for (const className of CLASSES) if (isExported(className)) out[className] = classNamespaces[className];
  return out;
}

/** The app's env: its variables and namespaces, without the bridges (which the wrapper takes first). */
export function appEnv(from: unknown): Record<string, unknown> {
  const given = from !== null && typeof from === "object" ? (from as Record<string, unknown>) : {};
  const out: Record<string, unknown> = { ...given, ...namespaces };
  for (const key of Object.keys(out)) if (key.startsWith(BINDING_PREFIX)) delete out[key];
  if (!bridge && given[OBJECTS_BINDING]) bridge = given[OBJECTS_BINDING] as ObjectBridge;
  return out;
}

/** The request without the call header, and the call ID it carried (null: none). */
export function takeCall(request: Request): { request: Request; call: string | null } {
  const call = request.headers.get(CALL_HEADER);
  if (call === null) return { request, call: null };
  const headers = new Headers(request.headers);
  headers.delete(CALL_HEADER);
  return { request: new Request(request, { headers }), call };
}

/**
 * Called by an object's constructor: fixes ctx.id (the supervisor starts the facet with the ID's hex
 * and passes the name in props) and gives the object the app's env. Returns the object's ID.
 */
export function adopt(ctx: DurableObjectState, env: unknown): { key: string; env: Record<string, unknown> } {
  const hex = String(ctx.id);
  const given: unknown = ctx.props;
  const props = given !== null && typeof given === "object" ? (given as { name?: unknown }) : {};
  const id = new DurableObjectId(hex, typeof props.name === "string" ? props.name : null);
  try {
    const idDescriptor: Bare<PropertyDescriptor> = { __proto__: null, value: id, configurable: true };
    const propsDescriptor: Bare<PropertyDescriptor> = { __proto__: null, value: {}, configurable: true };
    O.defineProperty(ctx, "id", idDescriptor);
    O.defineProperty(ctx, "props", propsDescriptor);
  } catch {}
  return { key: hex, env: appEnv(env) };
}
