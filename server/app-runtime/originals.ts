/**
 * The built-ins the IDE's modules rely on, kept as they were before the app's code ran.
 *
 * The app's modules run in the same isolate, after the IDE's have evaluated (the guard module, which
 * imports this one, is the first the main module imports), and they may replace any global or
 * prototype: `Date.now`, `queueMicrotask`, `Headers.prototype.set`, `Reflect.apply`... So what the
 * IDE's modules call after that, they call through these (`O.apply(O.headersSet, headers, [...])`),
 * never through a method the app could have replaced.
 */

/**
 * An object literal written `{ __proto__: null, ... }`: no prototype, so no setter or getter the app
 * put on Object.prototype sees its properties.
 */
export type Bare<T> = T & { readonly __proto__?: null };

const apply = Reflect.apply;
const bind = Function.prototype.bind;
const call = Function.prototype.call;

/**
 * `method` as a function of its receiver (`uncurry(Map.prototype.get)(map, key)`), bound now: later
 * replacements of the method, of `call` or of `bind` do not reach it.
 */
export function uncurry<T, A extends unknown[], R>(method: (this: T, ...args: A) => R): (self: T, ...args: A) => R {
  return apply(bind, call, [method]);
}

/** The built-ins as they were before the app's code ran (frozen: the app never gets this object anyway). */
export const originals = Object.freeze({
  apply,
  defineProperty: Object.defineProperty,
  freeze: Object.freeze,
  getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
  getPrototypeOf: Object.getPrototypeOf,
  keys: Object.keys,
  hasOwn: Object.hasOwn,
  isArray: Array.isArray,
  objectPrototype: Object.prototype,
  startsWith: String.prototype.startsWith,
  now: Date.now,
  perfNow: performance.now.bind(performance),
  setTimeout: setTimeout.bind(globalThis),
  setInterval: setInterval.bind(globalThis),
  queueMicrotask: queueMicrotask.bind(globalThis),
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  String,
  Map,
  WeakMap,
  Headers,
  Response,
  JSON_stringify: JSON.stringify,
  JSON_parse: JSON.parse,
  encodeURIComponent,
  decodeURIComponent,
  headersGet: Headers.prototype.get,
  headersSet: Headers.prototype.set,
  headersHas: Headers.prototype.has,
  headersDelete: Headers.prototype.delete,
  responseJson: Response.json,
  webSocketAccept: WebSocket.prototype.accept,
  addEventListener: WebSocket.prototype.addEventListener,
  webSocketClose: WebSocket.prototype.close,
  print: console.log.bind(console),
});

/**
 * Defines `name` on `target` as a plain writable, configurable, non-enumerable value, with a bare
 * descriptor (no accessor the app put on Object.prototype sees it) and the kept defineProperty.
 */
export function defineValue(target: object, name: PropertyKey, value: unknown): void {
  const descriptor: Bare<PropertyDescriptor> = {
    __proto__: null,
    value,
    configurable: true,
    writable: true,
    enumerable: false,
  };
  originals.defineProperty(target, name, descriptor);
}

/**
 * console.log of one line (an activity marker). What workerd's console.log formats with (its
 * `formatLog` looks up `JSON.stringify`, `Date.now`, `Array.prototype.pop` and the array iterator when
 * it runs) is the app's to replace: an app that replaced one with a native function has its later
 * markers printed as its own text, and a freeze after that blames nobody (docs/limits-and-safety.md).
 * Turning those built-ins into accessors that are the kept ones while a marker prints closed that,
 * but crashed workerd (a V8 heap out of memory) after a few hundred saves, so it is not done.
 */
export function printKept(line: string): void {
  originals.print(line);
}
