/**
 * The hibernation handlers of an app's class (`webSocketMessage`, `webSocketClose`,
 * `webSocketError`) as the runtime calls them (app-class.ts puts them on the wrapped class): a
 * message is counted and bounded first (meter.ts, socket-bounds.ts), then the isolate is marked
 * running (guard.ts), and what the handler throws is reported to the terminal (logs.ts).
 */
import type { Instance } from "./app-class";
import { enter } from "./guard";
import { reportException, runAsHandler } from "./logs/logs";
import { countWebSocketIn } from "./meter/meter";
import { admitMessage } from "./meter/socket-bounds";
import { type Bare, originals as O } from "./originals";

export const WEBSOCKET_HANDLERS = ["webSocketMessage", "webSocketClose", "webSocketError"] as const;

/** A hibernation handler as the runtime calls it: a message counted and bounded first, then marked, its exception reported. */
export function hibernationHandler(name: string, handler: unknown) {
  return async function (this: Instance, ...args: unknown[]) {
    if (name === "webSocketMessage") {
      countWebSocketIn(this.ctx, args[0]);
      // Past the socket's or the project's bound, dropped before the app's code (socket-bounds.ts).
      if (!admitMessage(args[0])) return;
    }
    enter("websocket", name);
    try {
      return await runAsHandler(() => O.apply(handler as (...a: unknown[]) => unknown, this, args));
    } catch (error) {
      reportException(error);
      throw error;
    }
  };
}

/**
 * The runtime reads the hibernation handlers off the instance, so one that is the instance's own (a
 * class field `webSocketMessage = ...`, or assigned later) came before the prototype's wrapped one:
 * unbounded and unmarked (a native function there froze the runtime with nobody blamed). Each becomes
 * an accessor that hands out the instance's own handler wrapped, or else the prototype's.
 */
export function ownHandlersWrapped(instance: Instance): void {
  for (let i = 0; i < WEBSOCKET_HANDLERS.length; i++) {
    const name = WEBSOCKET_HANDLERS[i]!;
    const own = O.getOwnPropertyDescriptor(instance, name);
    let wrapped: unknown;
    const set = (value: unknown) => {
      wrapped = typeof value === "function" ? hibernationHandler(name, value) : value;
    };
    if (own !== undefined) set(own.value);
    const descriptor: Bare<PropertyDescriptor> = {
      __proto__: null,
      get: () => (wrapped !== undefined ? wrapped : (O.getPrototypeOf(instance) as Record<string, unknown>)[name]),
      set,
      enumerable: false,
      configurable: false,
    };
    try {
      O.defineProperty(instance, name, descriptor);
    } catch (error) {
      // A frozen instance without a handler of its own keeps the prototype's; with one, it cannot run.
      if (own !== undefined) throw error;
    }
  }
}
