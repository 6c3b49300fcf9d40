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
 * What the runtime's console.log reads from the app's globals while it prints: workerd's `formatLog`
 * (node-internal:internal_inspect) takes its options off the end of its arguments with `args.pop()`,
 * spreads them, and builds the structured line with `JSON.stringify({ timestamp: Date.now(), ... })`,
 * each looked up when it runs. An app that replaced one of them with a native function
 * (`JSON.stringify = String.prototype.toString.bind("x")`, `Array.prototype.pop = Array.prototype.shift`)
 * had every later activity marker of its isolate printed as its own text, so the launcher could not
 * read them and a freeze after that blamed nobody. So each of them becomes an accessor that is what
 * the app set, except while `printKept` prints, when it is what it was before the app's code ran.
 */
const PRINTED_WITH: ReadonlyArray<readonly [object, PropertyKey]> = Object.freeze([
  [globalThis, "JSON"],
  [JSON, "stringify"],
  [globalThis, "Date"],
  [Date, "now"],
  [Object.prototype, "toJSON"],
  [Array.prototype, "pop"],
  [Array.prototype, Symbol.iterator],
  [Object.getPrototypeOf([][Symbol.iterator]()), "next"],
] as const);
/**
 * How many `printKept` calls are under way: workerd's console.log can run the isolate's microtasks
 * while it formats, and one of them can print too (the guard's `leave`); the outer line must still
 * be formatted with the kept built-ins once the inner one is done.
 */
let printing = 0;

/** Makes console.log, through `printKept`, format with the built-ins as they are now (the guard calls it before the app's code runs). */
export function keepPrinting(): void {
  for (let i = 0; i < PRINTED_WITH.length; i++) {
    const entry = PRINTED_WITH[i] as readonly [object, PropertyKey];
    const owner = entry[0];
    const key = entry[1];
    const before = originals.getOwnPropertyDescriptor(owner, key);
    const kept: unknown = before?.value;
    let current: unknown = kept;
    const descriptor: Bare<PropertyDescriptor> = {
      __proto__: null,
      get: () => (printing > 0 ? kept : current),
      set(this: unknown, value: unknown) {
        if (this === owner) current = value;
        // An object inheriting the property gets its own, as assigning a writable property would give it.
        else if (this !== null && typeof this === "object") defineValue(this, key, value);
      },
      enumerable: before?.enumerable ?? false,
      configurable: false,
    };
    originals.defineProperty(owner, key, descriptor);
  }
}

/** console.log of one line, formatted with the built-ins `keepPrinting` kept, whatever the app replaced since. */
export function printKept(line: string): void {
  printing++;
  try {
    originals.print(line);
  } finally {
    printing--;
  }
}
