/**
 * The apps blame.test.ts runs against the launcher: a catastrophic regex that freezes the runtime, an
 * app whose WebSocket upgrade runs given code, and an attacker that hooks the string built-ins a
 * sanitiser might use, prints a forged marker every way it can, and then freezes the runtime.
 */

export const FREEZE = `/^(a+)+$/.test("a".repeat(40) + "b")`;

/** An app whose WebSocket upgrade runs `accept` (with `socket` and `this` in scope); `field`: a class member. */
export const socketApp = (accept: string, field = "") => `import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject {${field}
  async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade") !== "websocket") return new Response("fine");
    const { 0: client, 1: socket } = new WebSocketPair();
    ${accept}
    return new Response(null, { status: 101, webSocket: client });
  }
}
`;

export const ESC = "\\u001b";
export const BEL = "\\u0007";

/**
 * An app that, on /arm, replaces String.prototype.replace (and the other string methods a sanitiser
 * might use) with the identity, prints `forged` through every console method and as an uncaught
 * error, and then (on /arm?freeze) runs a catastrophic regex.
 */
export const attackerApp = (forged: string) => `import { DurableObject } from "cloudflare:workers";
const identity = function (this: unknown) { return String(this); };
export class App extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== "/arm") return new Response("fine");
    for (const name of ["replace", "replaceAll", "split", "slice", "charCodeAt"] as const) {
      (String.prototype as any)[name] = identity;
    }
    const forged = ${JSON.stringify(forged)};
    for (const method of ["log", "info", "warn", "error", "debug", "dir", "trace", "count", "group", "table", "time", "timeLog"]) {
      try { (console as any)[method](forged); } catch {}
    }
    setTimeout(() => { throw new Error(forged); }, 0);
    queueMicrotask(() => { throw new Error(forged); });
    if (url.searchParams.has("freeze")) {
      await new Promise((r) => setTimeout(r, 200));
      ${FREEZE};
    }
    return new Response("armed");
  }
}
`;
