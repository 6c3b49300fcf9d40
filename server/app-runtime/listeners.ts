/**
 * Listeners, marked as the event loop runs them (`__facet_ide_listeners.js`; the guard calls
 * `markEventListeners` when the launcher asked for activity markers, see guard.ts). A listener that is
 * `RegExp.prototype.test.bind(...)` or `Function.prototype.call.bind(...)` runs no line the loop guard
 * instrumented, so without this no marker would name the app when it froze the runtime. Listeners
 * (addEventListener on any EventTarget and on the global scope, and a socket's `on<event>` handlers:
 * markHandlers, called by logs.ts's accept) mark the isolate running each time they run.
 */
import { originals as O, uncurry } from "./originals";

type Enter = (what: string, detail: unknown) => void;

/** The guard's `enter`, once listeners are marked (null: the launcher asked for no markers). */
let marking: Enter | null = null;

const weakGet: (map: WeakMap<object, Record<string, unknown>>, key: object) => Record<string, unknown> | undefined =
  uncurry(WeakMap.prototype.get);
const weakSet: (map: WeakMap<object, Record<string, unknown>>, key: object, value: Record<string, unknown>) => unknown =
  uncurry(WeakMap.prototype.set);
const listenerWrappers = new O.WeakMap<object, Record<string, unknown>>();

/** What the event loop calls instead of `listener` (a function, or an object with handleEvent): marks, then calls it. */
function markedListener(enter: Enter, listener: unknown, type: string): unknown {
  if (typeof listener === "function") {
    return function (this: unknown, event: unknown) {
      enter("listener", type);
      return O.apply(listener, this, [event]);
    };
  }
  if (listener !== null && typeof listener === "object") {
    return (event: unknown) => {
      enter("listener", type);
      const handle: unknown = (listener as { handleEvent?: unknown }).handleEvent;
      if (typeof handle === "function") return O.apply(handle, listener, [event]);
    };
  }
  return listener;
}

/** The same wrapper for the same listener and type, so that removeEventListener finds it. */
function listenerFor(enter: Enter, listener: unknown, type: unknown): unknown {
  if (listener === null || (typeof listener !== "function" && typeof listener !== "object")) return listener;
  const name = typeof type === "string" ? type : "?";
  let byType = weakGet(listenerWrappers, listener as object);
  if (byType === undefined) {
    byType = { __proto__: null } as unknown as Record<string, unknown>;
    weakSet(listenerWrappers, listener as object, byType);
  }
  const key = `type:${name}`;
  if (!O.hasOwn(byType, key)) {
    O.defineProperty(byType, key, {
      __proto__: null,
      value: markedListener(enter, listener, name),
      enumerable: true,
    } as PropertyDescriptor);
  }
  return byType[key];
}

/** Replaces `owner`'s addEventListener and removeEventListener with ones that wrap the listener (`self`: the receiver to use, if fixed). */
function markListeners(enter: Enter, owner: object, self?: object): void {
  // Read before the app's code runs (the global scope's are inherited: they become its own).
  const add: unknown = (owner as { addEventListener?: unknown }).addEventListener;
  const remove: unknown = (owner as { removeEventListener?: unknown }).removeEventListener;
  if (typeof add !== "function" || typeof remove !== "function") return;
  const define = (name: string, real: unknown) =>
    O.defineProperty(owner, name, {
      __proto__: null,
      value: function (this: unknown, type: unknown, listener: unknown, options: unknown) {
        return O.apply(real as (...args: unknown[]) => unknown, self ?? this, [
          type,
          listenerFor(enter, listener, type),
          options,
        ]);
      },
      writable: true,
      enumerable: true,
      configurable: true,
    } as PropertyDescriptor);
  define("addEventListener", add);
  define("removeEventListener", remove);
}

const SOCKET_EVENTS = O.freeze(["message", "close", "error", "open"]);
/**
 * A socket's `on<event>` handlers, marked like listeners (the runtime reads them as properties when it
 * dispatches). Called as the socket is accepted (logs.ts), before any event reaches it; a handler set
 * before then is kept. Throws when the app made one impossible to redefine.
 */
export function markHandlers(socket: unknown): void {
  const enter = marking;
  if (enter === null || socket === null || typeof socket !== "object") return;
  for (let i = 0; i < SOCKET_EVENTS.length; i++) {
    const type = SOCKET_EVENTS[i] as string;
    const name = `on${type}`;
    const before = O.getOwnPropertyDescriptor(socket, name);
    if (before !== undefined && before.configurable === false) {
      throw new O.TypeError(`A WebSocket's ${name} cannot be made unchangeable before it is accepted`);
    }
    let current: unknown = before === undefined ? null : (socket as Record<string, unknown>)[name];
    let marked: unknown = markedListener(enter, current, type);
    O.defineProperty(socket, name, {
      __proto__: null,
      get: () => marked,
      set: (value: unknown) => {
        current = value;
        marked = markedListener(enter, value, type);
      },
      enumerable: true,
      configurable: false,
    } as PropertyDescriptor);
  }
}

/** Marks every listener added from now on, and every socket's handlers as it is accepted. */
export function markEventListeners(enter: Enter): void {
  marking = enter;
  markListeners(enter, EventTarget.prototype);
  markListeners(enter, globalThis, globalThis);
}
