/**
 * Callbacks the runtime calls later from objects the app builds, marked before they run (the guard
 * calls `markNativeCallbacks` when the launcher asked for markers). A stream's underlying source,
 * sink or transformer (`pull` while a response body is read), an HTMLRewriter's handlers (while the
 * rewritten body is read) and a FinalizationRegistry's cleanup run after the isolate was marked idle;
 * a native function there (a bound `RegExp.prototype.exec` with a catastrophic pattern) runs no line
 * the loop guard instrumented, so a freeze in it blamed nobody. Each constructor becomes a Proxy that
 * marks the callbacks it is handed (a Proxy, not a subclass, so `instanceof` still holds for the
 * runtime's own streams), and HTMLRewriter's `on` and `onDocument` mark their handlers.
 */
import { defineValue, originals as O } from "./originals";

type Enter = (what: string, detail: unknown) => void;
type Callable = (...args: unknown[]) => unknown;

const construct = Reflect.construct;
const create = Object.create;

/** What the runtime calls instead of `object[name]`: marks, then calls it on `object`. */
function markedMember(enter: Enter, object: object, callback: unknown, detail: string): unknown {
  if (typeof callback !== "function") return callback;
  return (...args: unknown[]) => {
    enter("callback", detail);
    return O.apply(callback as Callable, object, args);
  };
}

/** A stand-in for `object` (a source, sink, strategy or handlers) whose `names` are marked; the rest it inherits. */
function markedObject(enter: Enter, object: unknown, names: readonly string[], what: string): unknown {
  if (object === null || (typeof object !== "object" && typeof object !== "function")) return object;
  const stand: object = create(object);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const value: unknown = (object as Record<string, unknown>)[name];
    if (typeof value === "function") defineValue(stand, name, markedMember(enter, object, value, `${what} ${name}`));
  }
  return stand;
}

const SIZE = O.freeze(["size"]);
/** Per constructor: the members of each argument the runtime calls later (a function argument is marked itself). */
const CONSTRUCTORS: ReadonlyArray<readonly [string, ReadonlyArray<readonly string[] | "function">]> = O.freeze([
  ["ReadableStream", O.freeze([O.freeze(["start", "pull", "cancel"]), SIZE])],
  ["WritableStream", O.freeze([O.freeze(["start", "write", "close", "abort"]), SIZE])],
  ["TransformStream", O.freeze([O.freeze(["start", "transform", "flush", "cancel"]), SIZE, SIZE])],
  ["FinalizationRegistry", O.freeze(["function"] as const)],
] as const);
const REWRITER_HANDLERS = O.freeze(["element", "comments", "text", "doctype", "end"]);

export function markNativeCallbacks(enter: Enter): void {
  const global = globalThis as unknown as Record<string, unknown>;
  for (let i = 0; i < CONSTRUCTORS.length; i++) {
    const entry = CONSTRUCTORS[i] as (typeof CONSTRUCTORS)[number];
    const name = entry[0];
    const members = entry[1];
    const target = global[name];
    if (typeof target !== "function") continue;
    const proxy: object = new Proxy(target, {
      __proto__: null,
      construct(real: Callable, args: unknown[], newTarget: Callable) {
        const marked: unknown[] = [];
        for (let a = 0; a < args.length; a++) {
          const which = members[a];
          marked[a] =
            which === "function"
              ? markedMember(enter, globalThis, args[a], `${name} callback`)
              : which === undefined
                ? args[a]
                : markedObject(enter, args[a], which, name);
        }
        return construct(real, marked, newTarget === proxy ? real : newTarget);
      },
    } as ProxyHandler<Callable>);
    defineValue(globalThis, name, proxy);
  }
  const rewriter = global.HTMLRewriter as { prototype?: Record<string, unknown> } | undefined;
  const prototype = rewriter?.prototype;
  if (prototype === undefined) return;
  const on = prototype.on;
  const onDocument = prototype.onDocument;
  if (typeof on === "function") {
    defineValue(prototype, "on", function (this: unknown, selector: unknown, handlers: unknown) {
      return O.apply(on as Callable, this, [
        selector,
        markedObject(enter, handlers, REWRITER_HANDLERS, "HTMLRewriter"),
      ]);
    });
  }
  if (typeof onDocument === "function") {
    defineValue(prototype, "onDocument", function (this: unknown, handlers: unknown) {
      return O.apply(onDocument as Callable, this, [markedObject(enter, handlers, REWRITER_HANDLERS, "HTMLRewriter")]);
    });
  }
}
