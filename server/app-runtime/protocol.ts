/**
 * The protocol between the supervisor and the app's isolate, declared once: the names of the modules
 * the loader hands the isolate, of the bindings in its env, of the methods the supervisor calls on
 * the wrapped app and of the headers on what travels between them; the per-load placeholders; and
 * the shapes of what comes back (protocol-checks.ts has the checks the supervisor reads them with).
 *
 * Both sides import it: the supervisor (server/supervisor/) for the names and the shapes, and the
 * runtime modules next to it, in whose isolate it is loaded as a module too
 * (`__facet_ide_protocol.js`). So it imports nothing, and nothing in it runs at load time but
 * constant declarations.
 */

// ---------------------------------------------------------------------------------------------
// Modules

/** Starts the name of every module the IDE adds (shared/api.ts refuses project files named so). */
export const MODULE_PREFIX = "__facet_ide_";
/** The name the loader gives the runtime module `<stem>.ts` (build/app-modules.mjs rewrites imports to it). */
export const runtimeModule = (stem: string) => `${MODULE_PREFIX}${stem}.js`;
/** The main module: the App's wrapper (wrapper.ts), or a Worker project's list of exports. */
export const MAIN_MODULE = runtimeModule("main");
/** The first module every app evaluates; the app's own modules import the guard's calls from it. */
export const GUARD_MODULE = runtimeModule("guard");
/** The module each class a Worker project's bindings name is wrapped in (object-class.ts). */
export const classModule = (className: string) => `${MODULE_PREFIX}class_${className}.js`;
/** Placeholder specifier of the app's main module, in the wrapper's imports. */
export const USER_MAIN_SPECIFIER = "facet-ide:user-main";

// ---------------------------------------------------------------------------------------------
// Per-load values: identifiers in the runtime's source (declared in placeholders.d.ts) that the
// loader replaces, each exactly once, with a JSON value (supervisor/app-host/runtime-modules.ts).

export const PLACEHOLDERS = {
  /** guard.ts: whose code the activity markers name (`GuardMarkers`), or null for none. */
  markers: "__FACET_IDE_MARKERS__",
  /** wrapper.ts, object-class.ts, worker-main.ts: the load's channel secret. */
  channel: "__FACET_IDE_CHANNEL__",
  /** object-class.ts: the export of the app's main module it wraps. */
  className: "__FACET_IDE_CLASS_NAME__",
  /** objects.ts: the Durable Object namespaces env gets (`NamespaceBinding[]`). */
  bindings: "__FACET_IDE_BINDINGS__",
  /** objects.ts: every Durable Object class (`ProjectConfig.classes`), for `ctx.exports`. */
  classes: "__FACET_IDE_CLASSES__",
  /** objects.ts: the assets binding's name, or null. */
  assetsBinding: "__FACET_IDE_ASSETS_BINDING__",
} as const;

/**
 * Whose code a load runs, for the activity markers the dev launcher reads, and the tag that proves a
 * marker is this load's (an HMAC of both under the launcher's key: shared/launcher-contract.mjs). The
 * tag is a secret from the app: the guard keeps it in a module-scoped constant and only ever puts it
 * into the marker text it prints with the console kept before the app ran.
 */
export interface GuardMarkers {
  projectId: string;
  codeId: string;
  tag: string;
  /**
   * The launch's beacon magic in hex (shared/launcher-contract.mjs), or null to print every marker:
   * with it the guard keeps its marker in a beacon in memory and prints only long turns. A secret
   * from the app like the tag.
   */
  beacon: string | null;
}

/** A Durable Object namespace in a Worker project's env: its binding name and class. */
export interface NamespaceBinding {
  name: string;
  className: string;
}

// ---------------------------------------------------------------------------------------------
// The guard's calls, which loop-guard.ts inserts into the app's code, and its activity markers.

export const GUARD_CALL = "__facetIdeLoop";
export const RESUME_CALL = "__facetIdeResume";
/** Starts every activity marker line; the launcher reads these lines and does not show them. */
export const MARKER_PREFIX = "\u001e[facet-ide]";
/** An activity beacon's size and its magic's (beacon.ts; the layout is shared/launcher-contract.mjs's). */
export const BEACON_BYTES = 512;
export const BEACON_MAGIC_BYTES = 16;

// ---------------------------------------------------------------------------------------------
// Env bindings: taken out of env before the app's code can see it.

/** Starts the env keys of the IDE's bindings (shared/api.ts refuses variables named so). */
export const BINDING_PREFIX = "__FACET_IDE_";
/** The log bridge (server/bridges/log-bridge.ts). */
export const LOG_BINDING = "__FACET_IDE_LOGS";
/** The alarm bridge. */
export const ALARM_BINDING = "__FACET_IDE_ALARMS";
/** The meter bridge. */
export const METER_BINDING = "__FACET_IDE_METER";
/** The limits the isolate enforces (`MeterLimits`). */
export const METER_LIMITS_BINDING = "__FACET_IDE_METER_LIMITS";
/** A Worker project's ObjectBridge. */
export const OBJECTS_BINDING = "__FACET_IDE_OBJECTS";

export interface MeterLimits {
  databaseBytes: number;
  /** The app WebSocket message bounds (meter/socket-bounds.ts): per socket, and for all sockets. */
  socketMessagesPerSecond: number;
  projectSocketMessagesPerSecond: number;
}

// ---------------------------------------------------------------------------------------------
// Methods of the wrapped App class (and of each of a Worker project's objects) the supervisor
// calls; fixed on the class's prototype, so the app cannot replace them.

/** Starts every method name the IDE adds; an object's RPC refuses to call such a method. */
export const METHOD_PREFIX = "__facetIde";
export const ALARM_METHOD = "__facetIdeAlarm";
export const CLOSE_SOCKETS_METHOD = "__facetIdeCloseSockets";
export const SQL_METHOD = "__facetIdeSql";
export const DUMP_METHOD = "__facetIdeDump";
export const LOAD_METHOD = "__facetIdeLoad";
export const DATA_SIZE_METHOD = "__facetIdeDataSize";
export const KV_METHOD = "__facetIdeKv";
export const METER_METHOD = "__facetIdeMeter";
/** A Worker project's object only: an RPC method of a stub's call. */
export const CALL_METHOD = "__facetIdeCall";

/** The methods every wrapped class has (CALL_METHOD besides them on an object's). */
export const FIXED_METHODS = [
  "fetch",
  ALARM_METHOD,
  CLOSE_SOCKETS_METHOD,
  SQL_METHOD,
  DUMP_METHOD,
  LOAD_METHOD,
  DATA_SIZE_METHOD,
  KV_METHOD,
  METER_METHOD,
] as const;

// ---------------------------------------------------------------------------------------------
// Hosts and headers

/** Host of the request the supervisor sends new code to check that it starts (the wrapper answers). */
export const PROBE_HOST = "facet-ide.probe";
/**
 * Host of the internal request an app's stub sends (through the ObjectBridge) to reach one of its
 * Durable Objects: the worker never routes a client's request to a supervisor with it.
 */
export const OBJECT_HOST = "objects.supervisor.internal";
/**
 * Marks a response the wrapper made from an exception the app's fetch threw (body: `ThrownReport`);
 * its value is the load's channel secret (supervisor/app-host/app-channel.ts).
 */
export const EXCEPTION_HEADER = "x-facet-ide-exception";
/**
 * Marks a response whose whole body the app gave at once (a string, an ArrayBuffer or a view of one,
 * at most WHOLE_BODY_MAX_BYTES: whole-bodies.ts); its value is the load's channel secret. The
 * supervisor reads such a body in one go instead of piping it through while holding the swap gate.
 */
export const WHOLE_BODY_HEADER = "x-facet-ide-whole-body";
/** The largest body the wrapper marks as whole (a string counts three bytes a character, its most in UTF-8). */
export const WHOLE_BODY_MAX_BYTES = 256 * 1024;
/** Carries a fetch call's console lines as `<channel secret>.<URI-encoded JSON>`; the supervisor logs and strips it. */
export const LOGS_HEADER = "x-facet-ide-logs";
/** On a request to an object (through the bridge): which object, as JSON `ObjectRef`. */
export const OBJECT_HEADER = "x-facet-ide-object";
/** On a request to an object: the URL the app's code fetched (the internal request's is the bridge's). */
export const OBJECT_URL_HEADER = "x-facet-ide-object-url";
/**
 * On a request to an object: the `cf` of the Request the app's code passed to `stub.fetch()`, as
 * URI-encoded JSON (absent when it had none); the object's request gets it as its `cf`, as on Cloudflare.
 */
export const OBJECT_CF_HEADER = "x-facet-ide-object-cf";
/** On a request the supervisor hands the app's code: the call ID of the request it belongs to. */
export const CALL_HEADER = "x-facet-ide-call";
/** On the supervisor's answer to an object request that failed before or in the object: the message. */
export const OBJECT_ERROR_HEADER = "x-facet-ide-object-error";
/** Beside OBJECT_ERROR_HEADER: the type of what the object threw (TypeError, ...), which the stub throws. */
export const OBJECT_ERROR_TYPE_HEADER = "x-facet-ide-object-error-type";
/** On a request through the bridge: the assets binding's fetch (the supervisor answers from the files). */
export const ASSETS_HEADER = "x-facet-ide-assets";

// ---------------------------------------------------------------------------------------------
// Sizes

/** Console lines (and characters of them) one response carries; the rest go through the bridge. */
export const HEADER_MAX_LINES = 50;
export const HEADER_MAX_CHARS = 6_000;
/** Longest console line kept; the supervisor cuts anything longer. */
export const LINE_MAX_CHARS = 8_000;
/** Lines one report carries at most (the isolate sends 200 at a time). */
export const LOG_BATCH_MAX = 500;
/** The SQL console stops counting a result's rows after this many, or after this long (it keeps the first maxRows). */
export const SQL_COUNT_LIMIT = 100_000;
export const SQL_COUNT_MS = 250;
/** Bytes of row data one SQL result carries at most; rows past it are cut like rows past maxRows. */
export const SQL_RESULT_MAX_BYTES = 8 * 1024 * 1024;
/** How much of a storage.kv value's JSON a listing carries. */
export const KV_PREVIEW_CHARS = 1_000;
/** How long after the first uncounted activity the meter reports. */
export const METER_REPORT_AFTER_MS = 2_000;
/** Sockets a swap closes at most. */
export const MAX_SOCKETS_CLOSED = 10_000;

// ---------------------------------------------------------------------------------------------
// What the isolate sends, and the checks the supervisor reads it with

export const CONSOLE_LEVELS = ["debug", "log", "info", "warn", "error"] as const;
export type ConsoleLevel = (typeof CONSOLE_LEVELS)[number];

/** A line of the app's output: console output, or an uncaught exception. */
export type LogLine =
  | { kind: "console"; level: ConsoleLevel; message: string; at: number }
  | { kind: "exception"; name: string; message: string; stack: string; at: number };

/** An error as the wrapper describes it, without the frames of the IDE's modules. */
export interface Described {
  name: string;
  message: string;
  stack: string;
}

/** The body of a response marked with EXCEPTION_HEADER: what the app's fetch threw, and what it logged. */
export interface ThrownReport {
  name: string;
  message: string;
  stack?: string;
  logs?: unknown;
}

/** What ALARM_METHOD answers; `lines`: what the handler logged (checked where they are logged). */
export type AlarmOutcome =
  | { ok: true; lines?: unknown }
  | { ok: false; missing: true }
  | { ok: false; missing?: false; name: string; message: string; stack: string; lines?: unknown };

/** What CALL_METHOD answers: the method's value, or what it threw; and what it logged. */
export type CallOutcome =
  | { ok: true; value: unknown; lines: unknown }
  | { ok: false; name: string; message: string; stack: string; lines: unknown };

/** How the probe saw an export of the main module (shapes.ts). */
export const EXPORT_SHAPES = ["durable-object", "plain-class", "class", "worker", "function", "other"] as const;
export type ExportShape = (typeof EXPORT_SHAPES)[number];

/** The answer to the probe: the main module's exports, and what the modules logged while starting. */
export interface ProbeReport {
  isDurableObject: boolean;
  shapes: Record<string, ExportShape>;
  logs: unknown;
}

/** What the meter reports: counts since its last report, and the database's size now. */
export interface MeterReport {
  rowsRead: number;
  rowsWritten: number;
  wsIn: number;
  wsOut: number;
  writesRefused: number;
  databaseBytes: number | null;
  /** A Worker project's object the counts are of (its ID); absent for the App. */
  object?: string;
}

/** What a stub names: the object's class, its ID and its name (null for an ID not made from a name). */
export interface ObjectRef {
  class: string;
  id: string;
  name: string | null;
}

/** A column value as SQL_METHOD answers it: BLOBs as the hex of their first 32 bytes and their length. */
export type SqlAnswerValue = string | number | null | { blob: string; bytes: number };

/** What SQL_METHOD answers (the supervisor checks it against shared/sql.ts's SqlResult). */
export interface SqlAnswer {
  columns: string[];
  rows: SqlAnswerValue[][];
  rowsRead: number;
  rowsWritten: number;
  durationMs: number;
  truncated: boolean;
  totalRows: number;
  totalRowsExact: boolean;
}

/** What KV_METHOD takes. */
export type KvCall =
  | { op: "list"; prefix?: string; startAfter?: string; limit: number }
  | { op: "put"; key: string; value: unknown }
  | { op: "delete"; keys: string[] };

/** A storage.kv pair as a listing describes it (the supervisor checks it against shared's KvPage). */
export interface KvEntry {
  key: string;
  type: string;
  preview: string;
  json: boolean;
}

/** What a kv listing answers. */
export interface KvListing {
  entries: KvEntry[];
  more: boolean;
}

/** A table of the database as it is listed in a dump (sqlite_master). */
export interface DumpSchemaEntry {
  type: "table" | "index" | "view" | "trigger";
  name: string;
  tableName: string;
  sql: string;
}

/** What DUMP_METHOD answers over RPC. Rows are flat: [type, value, type, value, ...] per row. */
export interface RawDump {
  schema: DumpSchemaEntry[];
  tables: { name: string; columns: string[]; rows: unknown[][] }[];
  sequences: { table: string; seq: string }[];
  kv: [string, unknown][];
}

/** A value as LOAD_METHOD binds it: tagged where a plain bind would change its type. */
export type LoadValue = null | string | number | ArrayBuffer | { int: string } | { real: number };

/** What LOAD_METHOD takes over RPC. */
export interface RawLoad {
  schema: DumpSchemaEntry[];
  tables: { name: string; columns: string[]; rows: LoadValue[][] }[];
  sequences: { table: string; seq: string }[];
  kv: [string, unknown][];
}

/** What LOAD_METHOD answers. */
export interface LoadReport {
  tables: number;
  rows: number;
  kv: number;
}

/**
 * The path and query of a request's (absolute) URL, cut out rather than parsed: it names the request
 * in an activity marker, a log line and a recording, and a URL parse per request was a few percent of
 * the isolate's CPU. (Plain string methods: in the app's isolate the receiver is a primitive string,
 * whose methods the app may have replaced, so only text the app sent itself is at stake.)
 */
export function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  return start < 0 ? "/" : url.slice(start);
}
