/**
 * The generated main module of every loaded app. `App` subclasses the user's class so that:
 * - the SQL console runs inside the facet, on the app's own database (sql-console.ts), and the Data
 *   view reads and writes `storage.kv` there (data/kv-method.ts);
 * - an exception in `fetch` keeps its stack (crossing into the supervisor would lose it);
 * - console output and uncaught errors reach the terminal without a tail worker (app-logs.ts);
 * - `ctx.storage.setAlarm` and friends work although facets cannot set alarms: they go to the
 *   supervisor, which holds the real alarm and calls back `ALARM_METHOD`.
 * - the database can be dumped, loaded and measured from inside (dump.ts), for fork, export,
 *   import and the snapshots' budget;
 * - a class in the older style (not extending DurableObject, `constructor(state, env)`) runs, as on
 *   Cloudflare, inside a DurableObject subclass that delegates to it.
 * - the meter (app-meter.ts) counts the app's SQLite rows and WebSocket messages and enforces the
 *   database size limit: its module is imported first, and installed before the app's constructor.
 * The default export answers the supervisor's probe, which proves the modules evaluate before a
 * version goes live.
 */
import { EXCEPTION_HEADER, LOGS_HEADER } from "../internal";
import { LOG_BINDING, LOGS_MODULE } from "./app-logs";
import { METER_BINDING, METER_LIMITS_BINDING, METER_METHOD, METER_MODULE } from "./app-meter";
import { kvMethodSource } from "./data/kv-method";
import { dumpHelperSource, dumpMethodSources } from "./dump";
import { CALL_METHOD, OBJECTS_MODULE } from "./object-runtime";
import { sqlMethodSource } from "./sql-console";

export const WRAPPER_MODULE = "__facet_ide_main.js";
export const ALARM_METHOD = "__facetIdeAlarm";
export const CLOSE_SOCKETS_METHOD = "__facetIdeCloseSockets";
/** The env key carrying the alarm bridge; the wrapper removes it before the user's class sees env. */
export const ALARM_BINDING = "__FACET_IDE_ALARMS";
/**
 * nodejs_als gives the wrapper AsyncLocalStorage, far cheaper than nodejs_compat. Since the
 * 2026-08-04 compatibility date nodejs_compat is on by default, and it made every new isolate about
 * 5 ms slower to load (a save's probe: 15 -> 9 ms), so apps that import no node:* module opt out.
 */
export const WRAPPER_COMPAT_FLAGS = ["nodejs_als", "no_nodejs_compat"];

/** What the wrapper's alarm method answers; `lines`: what the handler logged (checked by app-logs.ts). */
export type AlarmOutcome =
  | { ok: true; lines?: unknown }
  | { ok: false; missing: true }
  | { ok: false; missing?: false; name: string; message: string; stack: string; lines?: unknown };

/**
 * The wrapper's source. `object`: wrap the export `object.exportName` as one class of a Worker
 * project's namespaces instead of the App (object-runtime.ts gives it its ID, its env with the
 * namespaces, and the call context of the request it serves; worker-main.ts re-exports it).
 */
export function wrapperModule(mainSpecifier: string, object: { exportName: string } | null = null): string {
  const userClass = object
    ? `userModule[${JSON.stringify(object.exportName)}]`
    : `typeof userModule.App === "function" ? userModule.App : userModule.default`;
  // Without objects the module reads as before; with them each call below goes through object-runtime.ts.
  const objects = object !== null;
  return `import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
import { countWebSocketIn, installMeter, takeReport } from "./${METER_MODULE}";
import { describe, reportException, takePending, useBridge, withRequestLogs } from "./${LOGS_MODULE}";
${objects ? `import * as objects from "./${OBJECTS_MODULE}";` : ""}
import * as userModule from ${JSON.stringify(mainSpecifier)};

const UserApp = ${userClass};
const withCall = ${objects ? "objects.withCall" : "(call, run) => run()"};
const HANDLERS = ["fetch", "alarm", "webSocketMessage", "webSocketClose", "webSocketError"];

${shapeOfSource}

const appShape = shapeOf(UserApp);
const extendsDurableObject = appShape === "durable-object";
const isPlainClass = appShape === "plain-class";
const isDurableObject = extendsDurableObject || isPlainClass;

// A facet must be a DurableObject subclass, so a plain class runs inside one: the subclass builds an
// instance with (state, env) as Cloudflare would, and hands each handler call to it.
function delegatingTo(PlainClass) {
  const instances = new WeakMap();
  class Delegating extends DurableObject {
    constructor(ctx, env) {
      super(ctx, env);
      instances.set(this, new PlainClass(ctx, env));
    }
  }
  for (const name of HANDLERS) {
    if (typeof PlainClass.prototype[name] !== "function") continue;
    Object.defineProperty(Delegating.prototype, name, {
      configurable: true,
      writable: true,
      value: function (...args) {
        return instances.get(this)[name](...args);
      },
    });
  }
  return Delegating;
}

const AppBase = extendsDurableObject ? UserApp : isPlainClass ? delegatingTo(UserApp) : DurableObject;

// Sockets the app accepted with accept() (the hibernation API's are listed by ctx.getWebSockets()),
// so that a swap can close them with a clear code instead of letting them drop.
const acceptedSockets = new Set();
const accept = WebSocket.prototype.accept;
WebSocket.prototype.accept = function (...args) {
  acceptedSockets.add(this);
  this.addEventListener("close", () => acceptedSockets.delete(this));
  return accept.apply(this, args);
};

function routeAlarmsTo(storage, alarms) {
  const define = (name, value) => Object.defineProperty(storage, name, { value, configurable: true, writable: true });
  define("setAlarm", async (when) => {
    const time = when instanceof Date ? when.getTime() : Number(when);
    if (!Number.isFinite(time)) throw new TypeError("setAlarm() needs a Date or a number of milliseconds");
    await alarms.setAlarm(time);
  });
  define("getAlarm", async () => alarms.getAlarm());
  define("deleteAlarm", async () => {
    await alarms.deleteAlarm();
  });
}

${objects ? objectAlarmsSource : ""}
${dumpHelperSource}

export class App extends AppBase {
  constructor(ctx, env) {
    // The meter's bindings were taken by its module before the app's ran; they are dropped here too.
    const {
      ${ALARM_BINDING}: alarms,
      ${LOG_BINDING}: logs,
      ${METER_BINDING}: _meter,
      ${METER_LIMITS_BINDING}: _meterLimits,
      ...appEnv
    } = env ?? {};
    ${objects ? "const object = objects.adopt(ctx, appEnv);" : ""}
    installMeter(ctx${objects ? ", object.key" : ""});
    useBridge(logs);
    if (alarms) routeAlarmsTo(ctx.storage, ${objects ? "objectAlarms(alarms, object.key)" : "alarms"});
    super(ctx, ${objects ? "object.env" : "appEnv"});
  }

  async fetch(incoming) {
    const { request, call } = ${objects ? "objects.takeCall(incoming)" : "{ request: incoming, call: null }"};
    const run = await withCall(call, () => withRequestLogs(() => {
      if (typeof super.fetch !== "function") throw new Error("The ${object ? object.exportName : "App"} class has no fetch(request) method");
      return super.fetch(request);
    }));
    if (!run.ok) {
      return Response.json(
        { ...describe(run.error), logs: run.lines },
        { status: 500, headers: { ${JSON.stringify(EXCEPTION_HEADER)}: "1" } },
      );
    }
    const response = run.value;
    if (run.lines.length === 0 || !(response instanceof Response)) return response;
    const headers = new Headers(response.headers);
    headers.set(${JSON.stringify(LOGS_HEADER)}, encodeURIComponent(JSON.stringify(run.lines)));
    return new Response(response.status === 101 ? null : response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
      webSocket: response.webSocket,
    });
  }

  async ${ALARM_METHOD}(alarmInfo, call = null) {
    if (typeof super.alarm !== "function") return { ok: false, missing: true };
    // What the handler logs rides back with its outcome, as a fetch's does on its response.
    const run = await withCall(call, () => withRequestLogs(() => super.alarm(alarmInfo)));
    if (!run.ok) return { ok: false, ...describe(run.error), lines: run.lines };
    return { ok: true, lines: run.lines };
  }

  ${METER_METHOD}() {
    return takeReport(this.ctx);
  }

  ${CLOSE_SOCKETS_METHOD}(code, reason) {
    let closed = 0;
    for (const socket of [...this.ctx.getWebSockets(), ...acceptedSockets]) {
      try {
        socket.close(code, reason);
        closed++;
      } catch {}
    }
    acceptedSockets.clear();
    return closed;
  }

  ${sqlMethodSource}
  ${objects ? callMethodSource : ""}
  ${dumpMethodSources}
  ${kvMethodSource}
}

// Exceptions thrown by the hibernation handlers are reported, then rethrown as the runtime expects.
for (const name of ["webSocketMessage", "webSocketClose", "webSocketError"]) {
  const handler = AppBase.prototype[name];
  if (typeof handler !== "function") continue;
  Object.defineProperty(App.prototype, name, {
    configurable: true,
    writable: true,
    value: async function (...args) {
      if (name === "webSocketMessage") countWebSocketIn(this.ctx, args[0]);
      try {
        return await handler.apply(this, args);
      } catch (error) {
        reportException(error);
        throw error;
      }
    },
  });
}

export default {
  // The probe's answer also hands back what the modules logged while starting (no bridge yet).
  fetch() {
    return Response.json({
      isDurableObject,
      shapes: Object.fromEntries(Object.entries(userModule).map(([name, value]) => [name, shapeOf(value)])),
      logs: takePending(),
    });
  },
};
`;
}

/** An object's alarm: the bridge's calls name the object (its ID), since one isolate runs many. */
const objectAlarmsSource = `function objectAlarms(alarms, key) {
  return {
    setAlarm: (time) => alarms.setAlarm(time, key),
    getAlarm: () => alarms.getAlarm(key),
    deleteAlarm: () => alarms.deleteAlarm(key),
  };
}`;

/**
 * An RPC method of an object, called by the supervisor for a stub's call: runs it as part of the
 * request `call` names, and hands back its value (or its error) with what it logged. Only the
 * class's own methods are callable, as over Cloudflare's RPC: not the wrapper's, not Object's.
 */
const callMethodSource = `async ${CALL_METHOD}(method, args, call) {
    const reserved = typeof method !== "string" || method.startsWith("__facetIde") || method === "constructor" ||
      Object.hasOwn(Object.prototype, method);
    if (reserved || typeof this[method] !== "function") {
      return { ok: false, name: "TypeError", message: 'The RPC receiver does not implement the method "' + String(method) + '".', stack: "", lines: [] };
    }
    const run = await withCall(call, () => withRequestLogs(() => this[method](...(Array.isArray(args) ? args : []))));
    if (!run.ok) return { ok: false, ...describe(run.error), lines: run.lines };
    return { ok: true, value: run.value, lines: run.lines };
  }`;

// What an export is, for the probe's report and for choosing how to run the app's class. A
// "plain-class" is the older style Cloudflare still runs (the workers-chat demo's): it does not
// extend DurableObject, its constructor takes (state, env), and the runtime calls its fetch and
// handlers. Worker projects' main module (worker-main.ts) reports its exports the same way; both
// modules import DurableObject and WorkerEntrypoint and define HANDLERS.
export const shapeOfSource = `function shapeOf(value) {
  if (typeof value === "function") {
    if (value.prototype instanceof DurableObject) return "durable-object";
    if (value.prototype instanceof WorkerEntrypoint) return "worker";
    if (value.prototype === undefined) return "function";
    if (HANDLERS.some((name) => typeof value.prototype[name] === "function")) return "plain-class";
    return /^class\\b/.test(Function.prototype.toString.call(value)) ? "class" : "function";
  }
  if (value !== null && typeof value === "object" && typeof value.fetch === "function") return "worker";
  return "other";
}`;
