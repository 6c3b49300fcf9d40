/**
 * The MCP server's tools: name, description, input schema and which routes of the HTTP API they run.
 * Input schemas are built from the route table's own zod schemas (a project's `id` becomes
 * `project`), so a tool takes exactly what the HTTP route takes and is validated the same way. Each
 * tool runs the routes' operations through `invoke` (server.ts hands it the real ones), so a tool
 * and its HTTP route answer alike, errors included. Pure: the unit tests run tools with a fake
 * `invoke`.
 */
import { z } from "zod";
import { CodeResponse, ProjectId, VersionNumber } from "../../shared/api";
import { type RouteName, routes } from "../../shared/http/routes";
import { RestoreRequest } from "../../shared/time-travel";
import type { Outcome } from "../outcome";
import { failureText } from "./format";

/** Routes that have no tool, and why (a test checks every other route has one). */
export const ROUTES_WITHOUT_TOOLS: Partial<Record<RouteName, string>> = {
  // Whether the runtime answers: for the dev launcher, nothing an agent acts on.
  health: "the launcher's liveness check",
  // The agent already has every operation as a tool with its schema.
  openApi: "the API's description; the tools are its operations",
  // A key is what an agent connects with; minting more is for people (the IDE) and operators.
  createKey: "an agent connects with a key; people mint them in the IDE",
  // A WebSocket stream: read_logs and run_sql give an agent what it carries.
  terminal: "a WebSocket; read_logs and run_sql cover it",
  // A whole project with its data, up to 32 MiB: too large for a tool's answer or arguments, and
  // fork_project copies a project without passing it through the agent.
  exportProject: "a file download of up to 32 MiB; fork_project copies a project",
  importProject: "takes an exported file of up to 32 MiB; fork_project copies a project",
  // The Data view's edits and downloads: run_sql does each of them in one statement an agent writes
  // anyway, and read_rows / describe_table cover reading.
  insertRow: "run_sql inserts a row",
  updateRow: "run_sql updates a row",
  deleteRows: "run_sql deletes rows",
  getCell: "read_rows and run_sql read a whole value",
  exportTable: "a file download; read_rows pages through a table",
  dumpData: "a file download; fork_project copies a project with its data",
  dataVersion: "the Data view's change token for polling; read_logs shows what the app did",
};

/** Runs a route's operation with the caller's credential; `args` as the route's schemas describe them. */
export type Invoke = (
  route: RouteName,
  args: { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown },
) => Promise<Outcome<unknown>>;

export interface ToolResult {
  [key: string]: unknown;
  content: { type: "text"; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export interface ToolSpec {
  name: string;
  title: string;
  description: string;
  /** The routes this tool runs (its input and output schemas come from them). */
  routes: RouteName[];
  input: z.ZodObject;
  output: z.ZodObject;
  /** Whether it changes nothing (an MCP client may then call it without asking). */
  readOnly: boolean;
  run(args: Record<string, unknown>, invoke: Invoke): Promise<ToolResult>;
}

const project = ProjectId.describe("The project's id (create_project and list_projects give it)");

/** A tool's input: `project` (for a project's route) and the route's own fields. */
const input = (shape: z.ZodRawShape = {}, forProject = true) =>
  z.strictObject(forProject ? { project, ...shape } : shape);

const asObject = (schema: unknown): z.ZodObject => schema as z.ZodObject;

/** A tool's answer: the value as JSON text and as structured content; a failure as an error result. */
export function toolResult(outcome: Outcome<unknown>, source?: Record<string, string>): ToolResult {
  if (!outcome.ok) return { isError: true, content: [{ type: "text", text: failureText(outcome, source) }] };
  const value = outcome.value as Record<string, unknown>;
  return { content: [{ type: "text", text: JSON.stringify(value, null, 2) }], structuredContent: value };
}

const str = (value: unknown) => String(value);

/** A tool that runs one route: arguments split into path parameters, query and body as the route takes them. */
function routeTool(
  name: string,
  route: RouteName,
  meta: { title: string; description: string; readOnly: boolean },
): ToolSpec {
  const spec = routes[route];
  const params = "params" in spec ? spec.params.shape : {};
  const { id: _id, ...otherParams } = params as z.ZodRawShape;
  const query = "query" in spec ? spec.query.shape : {};
  const body = "body" in spec ? asObject(spec.body).shape : {};
  const forProject = spec.auth === "project";
  return {
    name,
    ...meta,
    routes: [route],
    input: input({ ...otherParams, ...query, ...body }, forProject),
    output: asObject(spec.response),
    async run(args, invoke) {
      const pick = (shape: z.ZodRawShape) =>
        Object.fromEntries(Object.keys(shape).flatMap((k) => (args[k] === undefined ? [] : [[k, args[k]]])));
      const pathParams = { ...pick(otherParams), ...(forProject ? { id: str(args.project) } : {}) };
      const hasBody = "body" in spec;
      const outcome = await invoke(route, {
        params: pathParams,
        query: pick(query),
        body: hasBody ? pick(body) : undefined,
      });
      const saves = route === "putCode" || route === "putDraftCode";
      const files = saves ? (args.files as Record<string, string> | undefined) : undefined;
      return toolResult(outcome, files);
    },
  };
}

export const tools: ToolSpec[] = [
  routeTool("create_project", "createProject", {
    title: "Create a project",
    description:
      "Creates a project (one app: a Durable Object class App with its own SQLite database) and returns its id, its token and its previewUrl (the app's own origin). Created with your agent key, it belongs to the key: list_projects shows it and every tool reaches it. It starts on the guest-book template unless you pass template 'blank' (or 'chat', 'reminders').",
    readOnly: false,
  }),
  routeTool("list_projects", "listProjects", {
    title: "List your projects",
    description:
      "The projects created with your agent key, newest first, with their previewUrl. Needs an agent key (a project token opens its own project only).",
    readOnly: true,
  }),
  routeTool("list_templates", "listTemplates", {
    title: "List templates",
    description: "The templates create_project can start from, with what each shows.",
    readOnly: true,
  }),
  routeTool("get_project", "getProject", {
    title: "Get a project",
    description:
      "The project's live version (null before the first save), its previewUrl, when it was created and updated, and how many requests the app served and how many failed.",
    readOnly: true,
  }),
  {
    name: "read_code",
    title: "Read the code",
    description:
      "The files of the live version (or of a saved `version`), with its number and main file. Pass that number as baseVersion to write_code.",
    routes: ["getCode", "getVersion"],
    input: input({ version: VersionNumber.optional() }),
    output: CodeResponse,
    readOnly: true,
    async run(args, invoke) {
      const id = str(args.project);
      if (args.version === undefined) return toolResult(await invoke("getCode", { params: { id } }));
      return toolResult(await invoke("getVersion", { params: { id, version: args.version } }));
    },
  },
  routeTool("write_code", "putCode", {
    title: "Save code as the live version",
    description:
      "Saves `files` (every file of the project, by name) as a new version and makes it live: the next request runs it and the database keeps its data. Code that does not compile or start is refused and the live version keeps serving: the error lists each problem as file:line:column message with the source line. Answers the new version, and warnings for code that will fail when it runs. Saving the same content again creates nothing (created: false).",
    readOnly: false,
  }),
  routeTool("request_app", "requestApp", {
    title: "Send a request to the app",
    description:
      "Sends an HTTP request to the app, as a browser on its origin would, and returns the status, headers, body (text, or base64 when binary; cut at 64 KiB or after 10 s of streaming, which `truncated` and `note` say), the version that answered, the duration, and the log lines this request wrote: its request line, what its fetch printed with console.*, and its exception with the stack if it threw. Lines printed later (after the response, by timers, alarms or WebSockets) are in read_logs.",
    readOnly: false,
  }),
  routeTool("read_logs", "readLogs", {
    title: "Read the app's logs",
    description:
      "The project's log lines, oldest first: requests (method, path, status, duration, version), console output, exceptions with stacks, deploys, rejected saves and notes. Without `since`, the latest `limit` lines; with `since` (the `cursor` a previous call returned), only the lines after it. `more` says more are waiting; `missed` counts lines the log no longer holds (it keeps 500).",
    readOnly: true,
  }),
  routeTool("run_sql", "runSql", {
    title: "Run SQL on the app's database",
    description:
      "Runs SQLite on the app's own database, inside the running app (no restart): `sql` with `?` placeholders bound from `params`. Returns columns, rows (at most 500; truncated and totalRows say how many there were), rows read and written. SQLite's error comes back as the message.",
    readOnly: false,
  }),
  routeTool("list_versions", "listVersions", {
    title: "List saved versions",
    description: "Every saved version, newest first: its number, main file, file names and when it was saved.",
    readOnly: true,
  }),
  {
    name: "restore_version",
    title: "Restore a saved version",
    description:
      "Makes a saved version live again as a new version. With data: true the app's database also goes back to that version's snapshot (rows deleted since come back); today's data is snapshotted first, and the answer's undoWith names the version to restore with data to undo. Without data (the default) only the code goes back. Requests in flight finish first; the app's WebSockets close with 1012.",
    routes: ["restoreVersion"],
    input: input({
      version: VersionNumber,
      data: RestoreRequest.shape.data.optional(),
      object: RestoreRequest.shape.object,
    }),
    output: asObject(routes.restoreVersion.response),
    readOnly: false,
    async run(args, invoke) {
      const params = { id: str(args.project), version: args.version };
      const body = { data: args.data === true, ...(typeof args.object === "string" ? { object: args.object } : {}) };
      return toolResult(await invoke("restoreVersion", { params, body }));
    },
  },
  routeTool("take_snapshot", "takeSnapshot", {
    title: "Snapshot the data now",
    description:
      "Snapshots the app's database now, as the live version's snapshot: do it before a risky change to the data, and restore_version with the live version and data: true goes back to it. (Every save snapshots the data anyway, within the retention get_snapshots shows.)",
    readOnly: false,
  }),
  routeTool("get_snapshots", "getSnapshots", {
    title: "Snapshot retention",
    description:
      "Whether data snapshots are on, how many versions and bytes they keep, what is kept now, and whether the live database fits (a save snapshots it only then).",
    readOnly: true,
  }),
  routeTool("set_snapshot_settings", "setSnapshotSettings", {
    title: "Change snapshot retention",
    description:
      "Sets how many versions' data snapshots to keep (maxVersions, 0 turns them off) and how many bytes in all (maxBytes); snapshots past the new limits are dropped, oldest first.",
    readOnly: false,
  }),
  routeTool("get_draft", "getDraft", {
    title: "Get the draft",
    description:
      "The draft, if there is one: code being tried on a copy of the live data at its own previewUrl, which the live app never sees. Null when there is none.",
    readOnly: true,
  }),
  routeTool("write_draft", "putDraftCode", {
    title: "Try code on a copy of the data",
    description:
      "Saves files into the draft and runs them there, on a copy of the live data made at the first draft save: try a change (a migration, say) without touching the live app. Answers the draft's previewUrl; request it, or run_sql with target 'draft', to check it. Refused as write_code is, with file:line:column and the source line. promote_draft makes it live, discard_draft drops it.",
    readOnly: false,
  }),
  routeTool("promote_draft", "promoteDraft", {
    title: "Make the draft live",
    description:
      "Makes the draft's code the next live version and ends the draft. data 'live' keeps the live data (the new code runs on it), 'draft' replaces the live data with the draft's (the live data is snapshotted first).",
    readOnly: false,
  }),
  routeTool("discard_draft", "discardDraft", {
    title: "Discard the draft",
    description: "Deletes the draft, its code and its copy of the data; the live app is untouched.",
    readOnly: false,
  }),
  routeTool("fork_project", "forkProject", {
    title: "Fork a project",
    description:
      "Creates a new project with this one's live code, variables, secrets and a copy of its data, and returns its id, token and previewUrl. Forked with your agent key, the copy belongs to the key too.",
    readOnly: false,
  }),
  routeTool("list_env", "listEnv", {
    title: "List environment variables",
    description: "The app's variables and secrets (secrets without their value), which it reads as this.env.NAME.",
    readOnly: true,
  }),
  routeTool("set_env", "setEnv", {
    title: "Set an environment variable",
    description:
      "Sets a variable (or a secret, whose value is never shown again) that the app reads as this.env.NAME. The app restarts on its current version, so the next request sees it; no save needed.",
    readOnly: false,
  }),
  routeTool("delete_env", "deleteEnv", {
    title: "Delete an environment variable",
    description: "Deletes a variable; the app restarts on its current version without it.",
    readOnly: false,
  }),
  routeTool("list_objects", "listObjects", {
    title: "List the Durable Objects",
    description:
      "A Worker project's Durable Objects (a project with a wrangler.jsonc whose durable_objects.bindings name classes; each object has its own SQLite database): ID, class, name (Class:name is how other tools' object argument names one), calls and errors, SQLite rows read and written, last activity and database size, most used first. run_sql, list_tables, read_rows and the kv tools take object; without it they use the object the app uses most. An App project answers worker: false.",
    readOnly: true,
  }),
  routeTool("delete_object", "deleteObject", {
    title: "Delete a Durable Object",
    description:
      "Deletes one of a Worker project's Durable Objects with its database and alarm (object: its ID, Class:name, or a name one object has); the next call to it makes it anew, empty. Frees a place under the project's objects limit.",
    readOnly: false,
  }),
  routeTool("list_tables", "listTables", {
    title: "List the database's tables",
    description:
      "The app's tables and views with their row counts, and its internal tables (_cf_* of the runtime, sqlite_* of SQLite) with what each is.",
    readOnly: true,
  }),
  routeTool("describe_table", "getTableSchema", {
    title: "Describe a table",
    description:
      "A table's columns (type, NOT NULL, default, primary key), its row key, indexes, foreign keys, triggers and CREATE statement.",
    readOnly: true,
  }),
  routeTool("read_rows", "queryRows", {
    title: "Read a table's rows",
    description:
      "A page of a table's rows (offset, limit up to 500), sorted by columns and filtered (all filters must hold), with the total count; long text and BLOBs are shortened and say so (run_sql reads a whole value).",
    readOnly: true,
  }),
  routeTool("list_kv", "listKv", {
    title: "List storage.kv pairs",
    description:
      "The app's ctx.storage.kv pairs in key order (prefix, startAfter the last key of the previous page, limit), each with its type and value as JSON. SQL cannot read these.",
    readOnly: true,
  }),
  routeTool("put_kv", "putKv", {
    title: "Store a storage.kv pair",
    description: "Stores a ctx.storage.kv pair: the value is the JavaScript value its JSON describes.",
    readOnly: false,
  }),
  routeTool("delete_kv", "deleteKv", {
    title: "Delete storage.kv pairs",
    description: "Deletes ctx.storage.kv pairs by key and says how many existed.",
    readOnly: false,
  }),
  routeTool("reset_data", "resetData", {
    title: "Drop all of the app's data",
    description:
      "Drops every table and storage.kv pair (send confirm: true); the app restarts on an empty database. When snapshots are on the data is snapshotted first, and restore_version with the live version and data: true undoes it.",
    readOnly: false,
  }),
  routeTool("get_metrics", "getMetrics", {
    title: "Read the app's metrics and cost",
    description:
      "What the app did and cost over the last hour, day or 30 days (window '1h', '24h' or '30d'): totals and a series of requests by status class, exceptions, latency p50/p95, WebSocket messages, alarm runs, SQL rows read and written, database size and log lines, the limits in force, and an estimate of what it would cost on Cloudflare at the published prices (dated). A Worker project's figures add all its Durable Objects up; with object (as list_objects names it) they are that object's alone, over the same window: its calls (fetch and RPC), exceptions, latency, WebSocket messages, alarms, rows read and written and database size.",
    readOnly: true,
  }),
  routeTool("get_limits", "getLimits", {
    title: "Read the app's limits",
    description:
      "The limits the supervisor holds the app to: requests a minute (past it: 429), database bytes (past it writes fail with DatabaseSizeLimitError, reads keep working), console lines a minute, and CPU ms and subrequests per invocation once deployed; which ones the project sets and the global defaults.",
    readOnly: true,
  }),
  routeTool("set_limits", "putLimits", {
    title: "Change the app's limits",
    description:
      "Changes the project's limits: a number sets one, null returns it to the global default, an omitted one stays. Changing databaseBytes, cpuMs or subRequests restarts the app on its current version (data kept).",
    readOnly: false,
  }),
];
