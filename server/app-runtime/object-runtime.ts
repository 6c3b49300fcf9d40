/**
 * The generated module that gives a Worker project's code its Durable Object namespaces: what
 * `env.FLIGHT` is, inside the app's isolate. Each namespace has `idFromName`, `idFromString`,
 * `newUniqueId`, `get`, `getByName` and `jurisdiction`, synchronous as on Cloudflare; a stub has
 * `id`, `name`, `fetch` (WebSockets included) and every RPC method. Nothing here runs an object:
 * a stub's calls go to the project's supervisor through the ObjectBridge entrypoint (its props fix
 * the project), which serves each object as a facet with its own database, behind the same swap gate
 * as every request (object-host.ts).
 *
 * A call made while a request (or an alarm) runs carries that request's call ID, kept with
 * AsyncLocalStorage across awaits and timers: the supervisor then runs the call as part of the
 * request, inside the gate it already passed, so a swap that waits for the request to finish never
 * waits for a call the request itself is waiting for. A call made outside any (from a WebSocket
 * handler, or after the response) enters the gate on its own.
 *
 * The module also fixes what an object sees of itself: `ctx.id` becomes an ID whose `toString()` is
 * the object's 64 hex digits, with `name` for a named object, as on Cloudflare.
 */

import type { NamespaceBinding } from "../../shared/project-config";
import { OBJECT_HOST } from "../internal";

export const OBJECTS_MODULE = "__facet_ide_objects.js";
/** The env key carrying the ObjectBridge; taken out before the app's code sees env. */
export const OBJECTS_BINDING = "__FACET_IDE_OBJECTS";
/** The wrapper's method the supervisor calls to run an RPC method of an object. */
export const CALL_METHOD = "__facetIdeCall";
/** On a request to an object (through the bridge): which object, as JSON `{ class, id, name }`. */
export const OBJECT_HEADER = "x-facet-ide-object";
/** On a request to an object: the URL the app's code fetched (the internal request's is the bridge's). */
export const OBJECT_URL_HEADER = "x-facet-ide-object-url";
/** On a request the supervisor hands the app's code: the call ID of the request it belongs to. */
export const CALL_HEADER = "x-facet-ide-call";
/** On the supervisor's answer to an object request that failed before or in the object: the message. */
export const OBJECT_ERROR_HEADER = "x-facet-ide-object-error";
/** On a request through the bridge: the assets binding's fetch (the supervisor answers from the files). */
export const ASSETS_HEADER = "x-facet-ide-assets";

/** What a stub names: the object's class, its ID and its name (null for an ID not made from a name). */
export interface ObjectRef {
  class: string;
  id: string;
  name: string | null;
}

/**
 * The module's source for a project whose configuration binds `bindings` (and `assetsBinding`, the
 * assets' binding name, if any). `IDS_MODULE` gives it the synchronous SHA-256.
 */
export function objectRuntimeSource(
  idsModule: string,
  bindings: NamespaceBinding[],
  assetsBinding: string | null,
): string {
  return `import { AsyncLocalStorage } from "node:async_hooks";
import { env as workerEnv } from "cloudflare:workers";
import { isIdOf, namedId, uniqueId } from "./${idsModule}";

const BINDINGS = ${JSON.stringify(bindings)};
const ASSETS_BINDING = ${JSON.stringify(assetsBinding)};
const calls = new AsyncLocalStorage();
let bridge = workerEnv ? workerEnv.${OBJECTS_BINDING} : undefined;
try {
  delete workerEnv.${OBJECTS_BINDING};
} catch {}

const hexOf = new WeakMap();

export class DurableObjectId {
  constructor(hex, name) {
    hexOf.set(this, hex);
    if (name !== null && name !== undefined) this.name = name;
  }
  toString() {
    return hexOf.get(this);
  }
  toJSON() {
    return hexOf.get(this);
  }
  equals(other) {
    return other instanceof DurableObjectId && hexOf.get(other) === hexOf.get(this);
  }
}

function refOf(className, id) {
  return { class: className, id: hexOf.get(id), name: id.name ?? null };
}

function currentCall() {
  const store = calls.getStore();
  return store ? store.call : null;
}

/** Runs run() as part of the request (or alarm) with call ID call (null: none). */
export function withCall(call, run) {
  return calls.run({ call }, run);
}

function requireBridge() {
  if (!bridge) throw new Error("Durable Object namespaces are not available here");
  return bridge;
}

async function objectFetch(ref, input, init) {
  const request = new Request(input, init);
  const headers = new Headers(request.headers);
  headers.set(${JSON.stringify(OBJECT_HEADER)}, JSON.stringify(ref));
  headers.set(${JSON.stringify(OBJECT_URL_HEADER)}, request.url);
  // Only the runtime says which request a call belongs to.
  headers.delete(${JSON.stringify(CALL_HEADER)});
  const call = currentCall();
  if (call) headers.set(${JSON.stringify(CALL_HEADER)}, call);
  const internal = new Request("http://${OBJECT_HOST}/", {
    method: request.method,
    headers,
    body: request.body,
    redirect: "manual",
  });
  const response = await requireBridge().fetch(internal);
  const failed = response.headers.get(${JSON.stringify(OBJECT_ERROR_HEADER)});
  if (failed !== null) throw new Error(decodeURIComponent(failed));
  return response;
}

function stubOf(className, id) {
  const ref = refOf(className, id);
  const own = {
    id,
    name: id.name,
    fetch: (input, init) => objectFetch(ref, input, init),
    connect() {
      throw new Error("connect() on a Durable Object stub is not supported here");
    },
  };
  return new Proxy(own, {
    get(target, property) {
      if (Object.hasOwn(target, property)) return target[property];
      // Not a thenable (await stub must give the stub), and symbols are no RPC methods.
      if (typeof property !== "string" || property === "then") return undefined;
      return (...args) => requireBridge().call(ref, property, args, currentCall());
    },
  });
}

export class DurableObjectNamespace {
  #className;
  constructor(className) {
    this.#className = className;
  }
  idFromName(name) {
    const text = String(name);
    return new DurableObjectId(namedId(this.#className, text), text);
  }
  idFromString(hex) {
    const text = String(hex);
    if (!/^[0-9a-f]{64}$/.test(text)) throw new TypeError("Invalid Durable Object ID: IDs are 64 hex digits");
    if (!isIdOf(this.#className, text)) {
      throw new TypeError("Invalid Durable Object ID: the ID is for a different Durable Object namespace");
    }
    return new DurableObjectId(text, null);
  }
  newUniqueId() {
    return new DurableObjectId(uniqueId(this.#className), null);
  }
  get(id) {
    if (!(id instanceof DurableObjectId)) throw new TypeError("get() takes an ID from this namespace (idFromName, idFromString or newUniqueId)");
    if (!isIdOf(this.#className, hexOf.get(id))) {
      throw new TypeError("This ID is for a different Durable Object namespace");
    }
    return stubOf(this.#className, id);
  }
  getByName(name) {
    return this.get(this.idFromName(name));
  }
  jurisdiction() {
    return this;
  }
}

const namespaces = {};
for (const { name, className } of BINDINGS) namespaces[name] = new DurableObjectNamespace(className);
if (ASSETS_BINDING) {
  namespaces[ASSETS_BINDING] = {
    fetch(input, init) {
      const request = new Request(input, init);
      const headers = new Headers(request.headers);
      headers.set(${JSON.stringify(ASSETS_HEADER)}, request.url);
      return requireBridge().fetch(new Request("http://${OBJECT_HOST}/", { method: request.method, headers }));
    },
  };
}
// Code that reads env through \`import { env } from "cloudflare:workers"\` sees the namespaces too.
try {
  if (workerEnv) Object.assign(workerEnv, namespaces);
} catch {}

/** The app's env: its variables and namespaces, without the bridges (which the wrapper takes first). */
export function appEnv(env) {
  const out = { ...env, ...namespaces };
  for (const key of Object.keys(out)) if (key.startsWith("__FACET_IDE_")) delete out[key];
  if (!bridge && env && env.${OBJECTS_BINDING}) bridge = env.${OBJECTS_BINDING};
  return out;
}

/** The request without the call header, and the call ID it carried (null: none). */
export function takeCall(request) {
  const call = request.headers.get(${JSON.stringify(CALL_HEADER)});
  if (call === null) return { request, call: null };
  const headers = new Headers(request.headers);
  headers.delete(${JSON.stringify(CALL_HEADER)});
  return { request: new Request(request, { headers }), call };
}

/**
 * Called by an object's constructor: fixes ctx.id (the supervisor starts the facet with the ID's hex
 * and passes the name in props) and gives the object the app's env. Returns the object's ID.
 */
export function adopt(ctx, env) {
  const hex = String(ctx.id);
  const props = ctx.props && typeof ctx.props === "object" ? ctx.props : {};
  const id = new DurableObjectId(hex, typeof props.name === "string" ? props.name : null);
  try {
    Object.defineProperty(ctx, "id", { value: id, configurable: true });
    Object.defineProperty(ctx, "props", { value: {}, configurable: true });
  } catch {}
  return { key: hex, env: appEnv(env) };
}
`;
}
