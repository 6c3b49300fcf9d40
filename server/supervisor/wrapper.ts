/**
 * The generated main module of every loaded app. `App` subclasses the user's class so that:
 * - the SQL console runs inside the facet, on the app's own database (the supervisor cannot open it);
 * - an exception in `fetch` keeps its stack (crossing into the supervisor would lose it);
 * - `ctx.storage.setAlarm` and friends work although facets cannot set alarms: they go to the
 *   supervisor, which holds the real alarm and calls back `ALARM_METHOD`.
 * The default export answers the supervisor's probe, which proves the modules evaluate before a
 * version goes live.
 */
export const WRAPPER_MODULE = "__facet_ide_main.js";
export const SQL_METHOD = "__facetIdeSql";
export const ALARM_METHOD = "__facetIdeAlarm";
export const CLOSE_SOCKETS_METHOD = "__facetIdeCloseSockets";
/** The env key carrying the alarm bridge; the wrapper removes it before the user's class sees env. */
export const ALARM_BINDING = "__FACET_IDE_ALARMS";
/** Host of the request the supervisor sends to check that new code starts. */
export const PROBE_HOST = "facet-ide.probe";
/** Marks a response the wrapper made from an exception the app's fetch threw (body: name, message, stack). */
export const EXCEPTION_HEADER = "x-facet-ide-exception";
/**
 * Carries the console output of a fetch that upgraded to a WebSocket (JSON, URI-encoded). Local
 * workerd never hands the tail worker the trace of an accepted upgrade, so that output would be lost;
 * the supervisor logs it and the request line itself, and strips the header.
 */
export const UPGRADE_LOGS_HEADER = "x-facet-ide-upgrade-logs";
/** The most console lines (and bytes of them) an upgrade carries back; the rest is counted. */
const UPGRADE_LOGS_MAX_LINES = 50;
const UPGRADE_LOGS_MAX_BYTES = 6_000;
/**
 * nodejs_als gives the wrapper AsyncLocalStorage, far cheaper than nodejs_compat. Since the
 * 2026-08-04 compatibility date nodejs_compat is on by default, and it made every new isolate about
 * 5 ms slower to load (a save's probe: 15 -> 9 ms), so apps that import no node:* module opt out.
 */
export const WRAPPER_COMPAT_FLAGS = ["nodejs_als", "no_nodejs_compat"];

export interface UpgradeLog {
  level: "debug" | "log" | "info" | "warn" | "error";
  message: string;
  at: number;
}

export type AlarmOutcome =
  | { ok: true }
  | { ok: false; missing: true }
  | { ok: false; missing?: false; name: string; message: string; stack: string };

export function wrapperModule(mainSpecifier: string): string {
  return `import { DurableObject } from "cloudflare:workers";
import { AsyncLocalStorage } from "node:async_hooks";
import * as userModule from ${JSON.stringify(mainSpecifier)};

const UserApp = typeof userModule.App === "function" ? userModule.App : userModule.default;
const isDurableObject = typeof UserApp === "function" && UserApp.prototype instanceof DurableObject;

function encodeValue(value) {
  if (value instanceof ArrayBuffer) {
    const bytes = new Uint8Array(value);
    const hex = Array.from(bytes.subarray(0, 32), (b) => b.toString(16).padStart(2, "0")).join("");
    return { blob: hex, bytes: bytes.length };
  }
  return value;
}

function describe(error) {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message, stack: e.stack ?? "" };
}

// Sockets the app accepted with accept() (the hibernation API's are listed by ctx.getWebSockets()),
// so that a swap can close them with a clear code instead of letting them drop.
const acceptedSockets = new Set();
const accept = WebSocket.prototype.accept;
WebSocket.prototype.accept = function (...args) {
  acceptedSockets.add(this);
  this.addEventListener("close", () => acceptedSockets.delete(this));
  return accept.apply(this, args);
};

// Console output of the fetch calls that upgrade to WebSockets, per call (see UPGRADE_LOGS_HEADER).
const upgradeLogs = new AsyncLocalStorage();
const formatPart = (part) => {
  if (typeof part === "string") return part;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
};
for (const level of ["debug", "log", "info", "warn", "error"]) {
  const original = console[level];
  console[level] = function (...args) {
    const captured = upgradeLogs.getStore();
    if (captured) {
      const message = args.map(formatPart).join(" ");
      captured.bytes += message.length;
      if (captured.lines.length < ${UPGRADE_LOGS_MAX_LINES} && captured.bytes <= ${UPGRADE_LOGS_MAX_BYTES}) {
        captured.lines.push({ level, message, at: Date.now() });
      } else captured.dropped++;
    }
    return original.apply(this, args);
  };
}

function withUpgradeLogs(response, captured) {
  if (response.status !== 101 || !response.webSocket) return response;
  const lines = captured.lines.slice();
  if (captured.dropped > 0) lines.push({ level: "warn", message: \`(\${captured.dropped} more lines not shown)\`, at: Date.now() });
  const headers = new Headers(response.headers);
  headers.set(${JSON.stringify(UPGRADE_LOGS_HEADER)}, encodeURIComponent(JSON.stringify(lines)));
  return new Response(null, { status: 101, headers, webSocket: response.webSocket });
}

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

export class App extends (isDurableObject ? UserApp : DurableObject) {
  constructor(ctx, env) {
    const { ${ALARM_BINDING}: alarms, ...appEnv } = env ?? {};
    if (alarms) routeAlarmsTo(ctx.storage, alarms);
    super(ctx, appEnv);
  }

  async fetch(request) {
    try {
      if (typeof super.fetch !== "function") throw new Error("The App class has no fetch(request) method");
      if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return await super.fetch(request);
      const captured = { lines: [], bytes: 0, dropped: 0 };
      const response = await upgradeLogs.run(captured, () => super.fetch(request));
      return withUpgradeLogs(response, captured);
    } catch (error) {
      return Response.json(describe(error), { status: 500, headers: { ${JSON.stringify(EXCEPTION_HEADER)}: "1" } });
    }
  }

  async ${ALARM_METHOD}(alarmInfo) {
    if (typeof super.alarm !== "function") return { ok: false, missing: true };
    try {
      await super.alarm(alarmInfo);
      return { ok: true };
    } catch (error) {
      return { ok: false, ...describe(error) };
    }
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

  ${SQL_METHOD}(query, params, maxRows) {
    const started = performance.now();
    const cursor = this.ctx.storage.sql.exec(query, ...params);
    const rows = [];
    let totalRows = 0;
    for (const row of cursor.raw()) {
      totalRows++;
      if (rows.length < maxRows) rows.push(row.map(encodeValue));
    }
    return {
      columns: cursor.columnNames,
      rows,
      rowsRead: cursor.rowsRead,
      rowsWritten: cursor.rowsWritten,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      truncated: totalRows > rows.length,
      totalRows,
    };
  }
}

export default {
  fetch() {
    return Response.json({
      isDurableObject,
      exportName: UserApp === userModule.App ? "App" : "default",
      exports: Object.keys(userModule),
    });
  },
};
`;
}
