/**
 * Which of the app's responses carry their whole body already: made by `new Response(body)` or
 * `Response.json(value)` with a string, an ArrayBuffer or a view of one. The supervisor cannot tell
 * from a response that leaves the facet (it arrives as a stream without a length), so it pipes every
 * body through while holding the swap gate, in case the app is still writing it. A body given whole
 * cannot still be written: marked (WHOLE_BODY_HEADER), the supervisor reads it in one go and answers
 * with its length, and the request recording takes its bytes from there.
 *
 * The global `Response` becomes a Proxy of the real one (`instanceof` holds, subclasses construct
 * through it) that notes each response built from a whole body. What counts as whole is decided with
 * the built-ins kept before the app ran: `typeof`, and `ArrayBuffer.isView` and the `byteLength`
 * getter, which check the object's real kind. An app that makes a body look whole when it is not
 * gains nothing: the mark is only the wrapper's to set, and a wrong guess here costs the fast path.
 */
import { defineValue, originals as O, uncurry } from "./originals";
import { WHOLE_BODY_MAX_BYTES } from "./protocol";

type Callable = (...args: unknown[]) => unknown;

const isView = ArrayBuffer.isView;
const viewByteLength: (view: ArrayBufferView) => number = uncurry(
  O.getOwnPropertyDescriptor(O.getPrototypeOf(Uint8Array.prototype), "byteLength")?.get as (
    this: ArrayBufferView,
  ) => number,
);
const dataViewByteLength: (view: DataView) => number = uncurry(
  O.getOwnPropertyDescriptor(DataView.prototype, "byteLength")?.get as (this: DataView) => number,
);
const bufferByteLength: (buffer: ArrayBuffer) => number = uncurry(
  O.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength")?.get as (this: ArrayBuffer) => number,
);
const weakHas: (map: WeakMap<object, true>, key: object) => boolean = uncurry(WeakMap.prototype.has);
const weakSet: (map: WeakMap<object, true>, key: object, value: true) => unknown = uncurry(WeakMap.prototype.set);
const construct = Reflect.construct;
const reflectGet = Reflect.get;
const wholeResponses = new O.WeakMap<object, true>();

/** The size of `body` if it is given whole and small enough to mark; -1 otherwise (a stream, a Blob, FormData, too long). */
export function wholeSize(body: unknown): number {
  if (body === null || body === undefined) return 0;
  if (typeof body === "string") return body.length * 3 <= WHOLE_BODY_MAX_BYTES ? body.length * 3 : -1;
  if (typeof body !== "object") return -1;
  let size = -1;
  try {
    if (!isView(body)) size = bufferByteLength(body as ArrayBuffer);
    else {
      try {
        size = viewByteLength(body as ArrayBufferView);
      } catch {
        size = dataViewByteLength(body as DataView);
      }
    }
  } catch {
    // Not an ArrayBuffer (the getter checks the object's real kind): not whole.
    return -1;
  }
  return size <= WHOLE_BODY_MAX_BYTES ? size : -1;
}

/** Whether `response` was made from a whole body (and is not a WebSocket's). */
export function isWhole(response: object): boolean {
  return weakHas(wholeResponses, response);
}

const RealResponse = O.Response as unknown as Callable & { json: Callable };
const json = RealResponse.json;

const ResponseProxy: object = new Proxy(RealResponse, {
  __proto__: null,
  construct(real: Callable, args: unknown[], newTarget: Callable) {
    const made = construct(real, args, newTarget === ResponseProxy ? real : newTarget) as object;
    if (wholeSize(args[0]) >= 0) weakSet(wholeResponses, made, true);
    return made;
  },
  get(real: Callable, name: PropertyKey, receiver: unknown) {
    const value: unknown = reflectGet(real, name, receiver === ResponseProxy ? real : receiver);
    // An app that put its own Response.json in place gets its own.
    return value === json ? wholeJson : value;
  },
} as ProxyHandler<Callable>);

/**
 * `Response.json`, made here from the value's JSON text (what json() does: the text as the body, and
 * `content-type: application/json` unless the init names one), so that the text's size is known.
 */
function wholeJson(this: unknown, data: unknown, init?: unknown): unknown {
  const text: unknown = O.JSON_stringify(data);
  // Not serializable (undefined, a function): json() throws as the runtime does.
  if (typeof text !== "string") return O.apply(json, RealResponse, [data, init]);
  const made = construct(RealResponse, [text, init]) as Response;
  // The constructor gave a string body `text/plain`: json() gives `application/json` unless the init named a type.
  const given: unknown =
    init !== null && typeof init === "object" ? (init as { headers?: unknown }).headers : undefined;
  const named = given !== undefined && O.apply(O.headersHas, new O.Headers(given as HeadersInit), ["content-type"]);
  if (!named) O.apply(O.headersSet, made.headers, ["content-type", "application/json"]);
  if (wholeSize(text) >= 0) weakSet(wholeResponses, made, true);
  return made;
}

defineValue(globalThis, "Response", ResponseProxy);
// So that `response.constructor === Response` still holds for the app's code and its libraries.
defineValue((RealResponse as unknown as { prototype: object }).prototype, "constructor", ResponseProxy);
