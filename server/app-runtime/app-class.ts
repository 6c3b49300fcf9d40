/**
 * The class the runtime runs in place of the app's: a subclass of the user's class (the App, or one
 * of a Worker project's Durable Object classes) made by `wrapAppClass`, so that:
 * - the SQL console runs inside the facet, on the app's own database (sql-console.ts), the Data view
 *   reads and writes `storage.kv` there (kv.ts), and the database can be dumped, loaded and measured
 *   from inside (dump.ts), for fork, export, import and the snapshots' budget;
 * - an exception in `fetch` keeps its stack (crossing into the supervisor would lose it), and console
 *   output and uncaught errors reach the terminal without a tail worker (logs.ts);
 * - `ctx.storage.setAlarm` and friends work although facets cannot set alarms: they go to the
 *   supervisor, which holds the real alarm and calls back ALARM_METHOD;
 * - a class in the older style (not extending DurableObject, `constructor(state, env)`) runs, as on
 *   Cloudflare, inside a DurableObject subclass that delegates to it;
 * - the meter (meter.ts) counts the app's SQLite rows and WebSocket messages and enforces the
 *   database size limit: installed before the app's constructor runs;
 * - in a Worker project, each class a binding names gets its ID, its env with the namespaces, and
 *   the call context of the request it serves (objects.ts), and an RPC method the supervisor calls
 *   for a stub's calls (CALL_METHOD).
 *
 * The app's code runs in the same isolate, before the class is made, and may replace any global or
 * prototype. So this module uses the built-ins kept before the app ran (`O`), marks what it tells the
 * supervisor with the load's secret (`channel`: a module-scoped constant of the entry module, handed
 * only to this module's functions), loops over its own lists by index (an array's iterator is the
 * app's to replace), and fixes its methods on the class's prototype so the app cannot replace them.
 * What the supervisor reads back is still bounded and checked (protocol.ts): the secret keeps
 * forgeries out, the checks keep mistakes harmless.
 */
import { DurableObject } from "cloudflare:workers";
import { dataSize, loadDump, takeDump } from "./data/dump";
import { kvCall } from "./data/kv";
import { runSql } from "./data/sql-console";
import { enter, MARKING } from "./guard";
import { hibernationHandler, ownHandlersWrapped, WEBSOCKET_HANDLERS } from "./hibernation";
import { describeError, withFramesInMessage } from "./logs/log-lines";
import {
  type AlarmBridge,
  bridges,
  closeSockets,
  connectBridge,
  insideApp,
  runAsHandler,
  withRequestLogs,
} from "./logs/logs";
import { installMeter, takeReport } from "./meter/meter";
import { type Bare, originals as O } from "./originals";
import {
  ALARM_BINDING,
  ALARM_METHOD,
  type AlarmOutcome,
  CALL_METHOD,
  type CallOutcome,
  CLOSE_SOCKETS_METHOD,
  DATA_SIZE_METHOD,
  DUMP_METHOD,
  FIXED_METHODS,
  KV_METHOD,
  type KvCall,
  LOAD_METHOD,
  LOG_BINDING,
  type LoadReport,
  MAX_SOCKETS_CLOSED,
  METER_BINDING,
  METER_LIMITS_BINDING,
  METER_METHOD,
  METHOD_PREFIX,
  type MeterReport,
  pathOf,
  type RawDump,
  type RawLoad,
  SQL_METHOD,
  type SqlAnswer,
} from "./protocol";
import { answered, exceptionResponse } from "./responses";
import { HANDLERS, shapeOf } from "./shapes";
import { objectAlarms, routeAlarmsTo } from "./storage-alarms";

/** A Durable Object instance as the wrapper uses it. */
export interface Instance {
  ctx: DurableObjectState;
  fetch?(request: Request): unknown;
  alarm?(alarmInfo?: unknown): unknown;
  [name: string]: unknown;
}
export type InstanceClass = new (ctx: DurableObjectState, env: unknown) => Instance;

/** What a Worker project's objects module gives each wrapped class (objects.ts); null for the App. */
export interface ObjectHooks {
  /** The class's name in the main module's exports (and in the bindings). */
  className: string;
  adopt(ctx: DurableObjectState, env: unknown): { key: string; env: Record<string, unknown> };
  takeCall(request: Request): { request: Request; call: string | null };
  withCall<T>(call: string | null, run: () => T): T;
}

/** The wrapped class, and whether the user's was a Durable Object at all (the probe's report). */
export interface Wrapped {
  App: InstanceClass;
  isDurableObject: boolean;
}

/** The runtime's DurableObject, as the wrapper uses its instances (the runtime sets `ctx`). */
const DurableObjectBase = DurableObject as unknown as InstanceClass;

/**
 * A property descriptor without a prototype (a `get` or `set` the app put on Object.prototype is no
 * part of it): fixed, or (`writable`) replaceable as a class's own methods are.
 */
function fixed(value: unknown, writable: boolean): Bare<PropertyDescriptor> {
  return { __proto__: null, value, configurable: writable, writable, enumerable: false };
}

// A facet must be a DurableObject subclass, so a plain class runs inside one: the subclass builds an
// instance with (state, env) as Cloudflare would, and hands each handler call to it.
function delegatingTo(PlainClass: new (ctx: DurableObjectState, env: unknown) => Instance): InstanceClass {
  const instances = new WeakMap<object, Instance>();
  class Delegating extends DurableObjectBase {
    constructor(ctx: DurableObjectState, env: unknown) {
      super(ctx, env);
      instances.set(this, new PlainClass(ctx, env));
    }
  }
  const prototype: unknown = PlainClass.prototype;
  for (let i = 0; i < HANDLERS.length; i++) {
    const name = HANDLERS[i]!;
    if (typeof (prototype as Record<string, unknown>)[name] !== "function") continue;
    O.defineProperty(
      Delegating.prototype,
      name,
      fixed(function (this: object, ...args: unknown[]) {
        const instance = instances.get(this) as Instance;
        return O.apply(instance[name] as (...args: unknown[]) => unknown, instance, args);
      }, true),
    );
  }
  return Delegating;
}

/**
 * Wraps `UserApp` (the user's export) for the runtime. `channel`: the load's secret, which marks the
 * answers of fetch (responses.ts). `object`: a Worker project's class (null: the App).
 */
export function wrapAppClass(UserApp: unknown, channel: string, object: ObjectHooks | null): Wrapped {
  const appShape = shapeOf(UserApp);
  const extendsDurableObject = appShape === "durable-object";
  const isPlainClass = appShape === "plain-class";
  const AppBase: InstanceClass = extendsDurableObject
    ? (UserApp as InstanceClass)
    : isPlainClass
      ? delegatingTo(UserApp as InstanceClass)
      : DurableObjectBase;
  const label = object ? object.className : "App";
  const withCall: <T>(call: string | null, run: () => T) => T = object ? object.withCall : (_call, run) => run();

  class App extends AppBase {
    // TypeScript wants super() directly in the constructor; JavaScript allows it in an arrow function
    // there, which is how the app's constructor runs as a handler (its output to the bridge, and
    // `insideApp()` true, so it cannot take the meter's counts or call the IDE's methods as the IDE).
    // @ts-expect-error TS2377: the super() call is in the arrow function below
    // biome-ignore lint/correctness/noUnreachableSuper: super() runs, in the arrow function (see above)
    constructor(ctx: DurableObjectState, env: unknown) {
      // The bridges were taken out of the module env by the logs and meter modules before the app's
      // modules ran; they are dropped from the env the class gets too.
      const {
        [ALARM_BINDING]: alarmsFromEnv,
        [LOG_BINDING]: _logs,
        [METER_BINDING]: _meter,
        [METER_LIMITS_BINDING]: _meterLimits,
        ...appEnv
      } = (env ?? {}) as Record<string, unknown>;
      const adopted = object ? object.adopt(ctx, appEnv) : null;
      installMeter(ctx, adopted ? adopted.key : null);
      connectBridge();
      const alarms = bridges.alarms ?? (alarmsFromEnv as AlarmBridge | undefined);
      if (alarms) routeAlarmsTo(ctx.storage, adopted ? objectAlarms(alarms, adopted.key) : alarms);
      enter("construct", object ? object.className : "");
      try {
        // @ts-expect-error TS2337: see above
        runAsHandler(() => super(ctx, adopted ? adopted.env : appEnv));
      } catch (error) {
        // Crossing into the supervisor keeps the message alone: the app's frames go with it.
        throw withFramesInMessage(error);
      }
      // @ts-expect-error TS17009: super() ran, inside runAsHandler
      ownHandlersWrapped(this);
    }

    override async fetch(incoming: Request): Promise<unknown> {
      // A call from the app's own code (this.fetch(...)) gets the app's answer as it is, unmarked.
      const fromApp = insideApp();
      const { request, call } =
        object && !fromApp ? object.takeCall(incoming) : { request: incoming, call: null as string | null };
      if (!fromApp && MARKING) enter("request", `${request.method} ${pathOf(request.url)}`);
      const run = await withCall(call, () =>
        withRequestLogs(() => {
          if (typeof super.fetch !== "function") throw new O.Error(`The ${label} class has no fetch(request) method`);
          return super.fetch(request);
        }),
      );
      if (fromApp) {
        if (!run.ok) throw run.error;
        return run.value;
      }
      if (!run.ok) return exceptionResponse(channel, run.error, run.lines);
      const response = run.value;
      if (!(response instanceof O.Response)) return response;
      return answered(channel, response, run.lines);
    }

    async [ALARM_METHOD](alarmInfo: unknown, call: string | null = null): Promise<AlarmOutcome> {
      enter("alarm", "");
      if (typeof super.alarm !== "function") return { ok: false, missing: true };
      // What the handler logs rides back with its outcome, as a fetch's does on its response.
      const run = await withCall(call, () => withRequestLogs(() => super.alarm?.(alarmInfo)));
      if (!run.ok) return { ok: false, ...describeError(run.error), lines: run.lines };
      return { ok: true, lines: run.lines };
    }

    [METER_METHOD](): MeterReport | null {
      // Only the supervisor takes the counts: the app's own call would drop them unreported.
      return insideApp() ? null : takeReport(this.ctx);
    }

    [CLOSE_SOCKETS_METHOD](code: unknown, reason: unknown): number {
      enter("swap", "");
      let hibernated: Iterable<unknown> = [];
      try {
        hibernated = this.ctx.getWebSockets();
      } catch {}
      return closeSockets(hibernated, code, reason, MAX_SOCKETS_CLOSED);
    }

    [SQL_METHOD](query: string, params: unknown[], maxRows: number): SqlAnswer {
      enter("console", query);
      return runSql(this.ctx.storage.sql, query, params, maxRows);
    }

    [DATA_SIZE_METHOD](): number {
      return dataSize(this.ctx.storage);
    }

    [DUMP_METHOD](): RawDump {
      return takeDump(this.ctx.storage);
    }

    [LOAD_METHOD](dump: RawLoad): LoadReport {
      return loadDump(this.ctx.storage, dump);
    }

    [KV_METHOD](call: KvCall): ReturnType<typeof kvCall> {
      return kvCall(this.ctx.storage.kv, call);
    }
  }

  const methods: readonly string[] = object ? [...FIXED_METHODS, CALL_METHOD] : FIXED_METHODS;
  if (object) O.defineProperty(App.prototype, CALL_METHOD, fixed(callMethod(withCall), true));

  // Exceptions thrown by the hibernation handlers are reported, then rethrown as the runtime expects.
  for (let i = 0; i < WEBSOCKET_HANDLERS.length; i++) {
    const name = WEBSOCKET_HANDLERS[i]!;
    const handler: unknown = (AppBase.prototype as Record<string, unknown>)[name];
    if (typeof handler !== "function") continue;
    O.defineProperty(App.prototype, name, fixed(hibernationHandler(name, handler), false));
  }

  // The supervisor calls these; the app may not replace them (assigning to one now throws).
  for (let i = 0; i < methods.length; i++) {
    const name = methods[i]!;
    const descriptor = O.getOwnPropertyDescriptor(App.prototype, name);
    O.defineProperty(App.prototype, name, fixed(descriptor?.value, false));
  }
  return { App, isDurableObject: extendsDurableObject || isPlainClass };
}

/**
 * An RPC method of an object, called by the supervisor for a stub's call: runs it as part of the
 * request `call` names, and hands back its value (or its error) with what it logged. Only the class's
 * own methods are callable, as over Cloudflare's RPC: not the wrapper's, not Object's.
 */
function callMethod(withCall: <T>(call: string | null, run: () => T) => T) {
  return async function (this: Instance, method: unknown, args: unknown, call: string | null): Promise<CallOutcome> {
    // Only the supervisor calls it (a stub's call); the app's own call would run outside the request's logs.
    if (insideApp()) throw new O.Error(`${CALL_METHOD} is the IDE's own`);
    const reserved =
      typeof method !== "string" ||
      O.apply(O.startsWith, method, [METHOD_PREFIX]) ||
      method === "constructor" ||
      O.hasOwn(O.objectPrototype, method);
    if (reserved || typeof this[method] !== "function") {
      return {
        ok: false,
        name: "TypeError",
        message: `The RPC receiver does not implement the method "${String(method)}".`,
        stack: "",
        lines: [],
      };
    }
    enter("rpc", method);
    const run = await withCall(call, () =>
      withRequestLogs(() =>
        O.apply(this[method] as (...args: unknown[]) => unknown, this, O.isArray(args) ? args : []),
      ),
    );
    if (!run.ok) return { ok: false, ...describeError(run.error), lines: run.lines };
    return { ok: true, value: run.value, lines: run.lines };
  };
}
