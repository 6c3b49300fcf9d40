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
 *   database size limit: its module is imported before the app's (after the guard and logs modules,
 *   so its WebSocket `accept` wraps theirs), and installed before the app's constructor runs.
 * - in a Worker project, each class a binding names is wrapped the same way (worker-main.ts re-exports
 *   it), with its ID, its env with the namespaces, and the call context of the request it serves
 *   (object-runtime.ts), and an RPC method the supervisor calls for a stub's calls (CALL_METHOD).
 * The default export answers the supervisor's probe, which proves the modules evaluate before a
 * version goes live.
 *
 * The app's code runs in the same isolate, before this module's body, and may replace any global or
 * prototype. So this module uses the built-ins the guard module kept before the app ran (`O`), marks
 * what it tells the supervisor with a per-load secret the app's code cannot read (`CHANNEL`: a
 * module-scoped constant, never passed to anything the app can hook), and fixes its own methods on
 * `App.prototype` so the app cannot replace them. What the supervisor reads back is still bounded and
 * validated (app-channel.ts): the secret keeps forgeries out, the checks keep mistakes harmless.
 */
import { RESERVED_MODULE_PREFIX } from "../../shared/api";
import { EXCEPTION_HEADER, LOGS_HEADER } from "../internal";
import { SQL_METHOD, sqlMethodSource } from "../supervisor/console/sql-console";
import { KV_METHOD, kvMethodSource } from "../supervisor/data/kv-method";
import {
  DATA_SIZE_METHOD,
  DUMP_METHOD,
  dumpHelperSource,
  dumpMethodSources,
  LOAD_METHOD,
} from "../supervisor/time-travel/dump";
import { ALARM_BINDING, LOG_BINDING, LOGS_MODULE } from "./app-logs";
import { METER_BINDING, METER_LIMITS_BINDING, METER_METHOD, METER_MODULE } from "./app-meter";
import { GUARD_MODULE } from "./guard-runtime";
import { CALL_METHOD, OBJECTS_MODULE } from "./object-runtime";

export const WRAPPER_MODULE = `${RESERVED_MODULE_PREFIX}_main.js`;
export const ALARM_METHOD = "__facetIdeAlarm";
export const CLOSE_SOCKETS_METHOD = "__facetIdeCloseSockets";
/**
 * nodejs_als gives the wrapper AsyncLocalStorage, far cheaper than nodejs_compat. Since the
 * 2026-08-04 compatibility date nodejs_compat is on by default, and it made every new isolate about
 * 5 ms slower to load (a save's probe: 15 -> 9 ms), so apps that import no node:* module opt out.
 */
export const WRAPPER_COMPAT_FLAGS = ["nodejs_als", "no_nodejs_compat"];
/** The methods the supervisor calls on the app: fixed on App.prototype, so the app cannot replace them. */
const FIXED_METHODS = [
  "fetch",
  ALARM_METHOD,
  CLOSE_SOCKETS_METHOD,
  SQL_METHOD,
  DUMP_METHOD,
  LOAD_METHOD,
  DATA_SIZE_METHOD,
  KV_METHOD,
  METER_METHOD,
];
/** A Worker project's object has one more: the RPC calls of its stubs. */
const FIXED_OBJECT_METHODS = [...FIXED_METHODS, CALL_METHOD];
/** Sockets a swap closes at most. */
const MAX_SOCKETS_CLOSED = 10_000;

/** What the wrapper's alarm method answers; `lines`: what the handler logged (checked by app-logs.ts). */
export type AlarmOutcome =
  | { ok: true; lines?: unknown }
  | { ok: false; missing: true }
  | { ok: false; missing?: false; name: string; message: string; stack: string; lines?: unknown };

/**
 * The wrapper's source. `channel`: the secret its reports carry (app-channel.ts). `object`: wrap the
 * export `object.exportName` as one class of a Worker project's namespaces instead of the App
 * (object-runtime.ts gives it its ID, its env with the namespaces, and the call context of the
 * request it serves; worker-main.ts re-exports it).
 */
export function wrapperModule(
  mainSpecifier: string,
  channel: string,
  object: { exportName: string } | null = null,
): string {
  const userClass = object
    ? `userModule[${JSON.stringify(object.exportName)}]`
    : `typeof userModule.App === "function" ? userModule.App : userModule.default`;
  // Without objects the module reads as before; with them each call below goes through object-runtime.ts.
  const objects = object !== null;
  return `import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
import { originals as O, enter, MARKING } from "./${GUARD_MODULE}";
import { bridges, closeSockets, describe, insideApp, reportException, runAsHandler, takePending, useBridge, withRequestLogs } from "./${LOGS_MODULE}";
import { countWebSocketIn, installMeter, takeReport } from "./${METER_MODULE}";
${objects ? `import * as objects from "./${OBJECTS_MODULE}";` : ""}
import * as userModule from ${JSON.stringify(mainSpecifier)};

const CHANNEL = ${JSON.stringify(channel)};
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
    O.defineProperty(Delegating.prototype, name, {
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

function routeAlarmsTo(storage, alarms) {
  const define = (name, value) => O.defineProperty(storage, name, { value, configurable: true, writable: true });
  define("setAlarm", async (when) => {
    const time = when instanceof Date ? when.getTime() : Number(when);
    if (!Number.isFinite(time)) throw new O.TypeError("setAlarm() needs a Date or a number of milliseconds");
    await alarms.setAlarm(time);
  });
  define("getAlarm", async () => alarms.getAlarm());
  define("deleteAlarm", async () => {
    await alarms.deleteAlarm();
  });
}

${channelResponsesSource}
${objects ? objectAlarmsSource : ""}
${dumpHelperSource}

export class App extends AppBase {
  constructor(ctx, env) {
    // The bridges were taken out of the module env by the logs and meter modules before the app's
    // modules ran; they are dropped from the env the class gets too.
    const {
      ${ALARM_BINDING}: alarmsFromEnv,
      ${LOG_BINDING}: _logs,
      ${METER_BINDING}: _meter,
      ${METER_LIMITS_BINDING}: _meterLimits,
      ...appEnv
    } = env ?? {};
    ${objects ? "const object = objects.adopt(ctx, appEnv);" : ""}
    installMeter(ctx${objects ? ", object.key" : ""});
    useBridge();
    const alarms = bridges.alarms ?? alarmsFromEnv;
    if (alarms) routeAlarmsTo(ctx.storage, ${objects ? "objectAlarms(alarms, object.key)" : "alarms"});
    enter("construct", ${objects ? JSON.stringify(object.exportName) : '""'});
    runAsHandler(() => super(ctx, ${objects ? "object.env" : "appEnv"}));
  }

  async fetch(incoming) {
    // A call from the app's own code (this.fetch(...)) gets the app's answer as it is, unmarked.
    const fromApp = insideApp();
    const { request, call } = ${objects ? "fromApp ? { request: incoming, call: null } : objects.takeCall(incoming)" : "{ request: incoming, call: null }"};
    if (!fromApp && MARKING) enter("request", request.method + " " + pathOf(request.url));
    const run = await withCall(call, () => withRequestLogs(() => {
      if (typeof super.fetch !== "function") throw new O.Error("The ${object ? object.exportName : "App"} class has no fetch(request) method");
      return super.fetch(request);
    }));
    if (fromApp) {
      if (!run.ok) throw run.error;
      return run.value;
    }
    if (!run.ok) return exceptionResponse(run.error, run.lines);
    const response = run.value;
    if (run.lines.length === 0 || !(response instanceof O.Response)) return response;
    return withLines(response, run.lines);
  }

  async ${ALARM_METHOD}(alarmInfo, call = null) {
    enter("alarm", "");
    if (typeof super.alarm !== "function") return { ok: false, missing: true };
    // What the handler logs rides back with its outcome, as a fetch's does on its response.
    const run = await withCall(call, () => withRequestLogs(() => super.alarm(alarmInfo)));
    if (!run.ok) return { ok: false, ...describe(run.error), lines: run.lines };
    return { ok: true, lines: run.lines };
  }

  ${METER_METHOD}() {
    // Only the supervisor takes the counts: the app's own call would drop them unreported.
    return insideApp() ? null : takeReport(this.ctx);
  }

  ${CLOSE_SOCKETS_METHOD}(code, reason) {
    enter("swap", "");
    let hibernated = [];
    try {
      hibernated = this.ctx.getWebSockets();
    } catch {}
    return closeSockets(hibernated, code, reason, ${MAX_SOCKETS_CLOSED});
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
  O.defineProperty(App.prototype, name, {
    configurable: false,
    writable: false,
    value: async function (...args) {
      enter("websocket", name);
      if (name === "webSocketMessage") countWebSocketIn(this.ctx, args[0]);
      try {
        return await runAsHandler(() => O.apply(handler, this, args));
      } catch (error) {
        reportException(error);
        throw error;
      }
    },
  });
}

// The supervisor calls these; the app may not replace them (assigning to one now throws).
for (const name of ${JSON.stringify(objects ? FIXED_OBJECT_METHODS : FIXED_METHODS)}) {
  const descriptor = O.getOwnPropertyDescriptor(App.prototype, name);
  O.defineProperty(App.prototype, name, { value: descriptor.value, configurable: false, writable: false, enumerable: false });
}

export default {
  // The probe's answer also hands back what the modules logged while starting (no bridge yet).
  fetch() {
    let shapes = {};
    try {
      shapes = Object.fromEntries(O.keys(userModule).map((name) => [name, shapeOf(userModule[name])]));
    } catch {}
    return O.apply(O.responseJson, O.Response, [{ isDurableObject, shapes, logs: takePending() }]);
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
 * request \`call\` names, and hands back its value (or its error) with what it logged. Only the
 * class's own methods are callable, as over Cloudflare's RPC: not the wrapper's, not Object's.
 */
const callMethodSource = `async ${CALL_METHOD}(method, args, call) {
    // Only the supervisor calls it (a stub's call); the app's own call would run outside the request's logs.
    if (insideApp()) throw new O.Error("${CALL_METHOD} is the IDE's own");
    const reserved = typeof method !== "string" || O.apply(O.startsWith, method, ["__facetIde"]) ||
      method === "constructor" || O.hasOwn(O.objectPrototype, method);
    if (reserved || typeof this[method] !== "function") {
      return { ok: false, name: "TypeError", message: 'The RPC receiver does not implement the method "' + String(method) + '".', stack: "", lines: [] };
    }
    enter("rpc", method);
    const run = await withCall(call, () => withRequestLogs(() => O.apply(this[method], this, O.isArray(args) ? args : [])));
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

/**
 * How a fetch call's outcome goes back to the supervisor, marked with the module's CHANNEL (the App's
 * wrapper and a Worker project's main module both use it; each defines CHANNEL, O and describe).
 */
export const channelResponsesSource = `// The path and query of a request's (absolute) URL, cut out rather than parsed: it only names the
// request in an activity marker, and a URL parse per request was a few percent of the isolate's CPU.
function pathOf(url) {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  return start < 0 ? "/" : url.slice(start);
}

/** A response only this module makes: the exception a fetch call threw, marked with CHANNEL. */
function exceptionResponse(error, lines) {
  let body;
  try {
    body = O.JSON_stringify({ ...describe(error), logs: lines });
  } catch {
    body = "{}";
  }
  const headers = new O.Headers();
  O.apply(O.headersSet, headers, ["content-type", "application/json"]);
  O.apply(O.headersSet, headers, [${JSON.stringify(EXCEPTION_HEADER)}, CHANNEL]);
  return new O.Response(body, { __proto__: null, status: 500, headers });
}

/** The app's response with its console lines in a header marked with CHANNEL. */
function withLines(response, lines) {
  const headers = new O.Headers(response.headers);
  O.apply(O.headersSet, headers, [${JSON.stringify(LOGS_HEADER)}, CHANNEL + "." + O.encodeURIComponent(O.JSON_stringify(lines))]);
  const status = response.status;
  return new O.Response(status === 101 ? null : response.body, {
    __proto__: null,
    status,
    statusText: response.statusText,
    headers,
    webSocket: response.webSocket,
  });
}`;
