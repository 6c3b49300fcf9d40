/**
 * The MCP server's tools, by capability (tools/*.ts), and the routes of the HTTP API that have none.
 * tools/tool-spec.ts says what a tool is and how one is made from a route.
 */
import type { RouteName } from "../../shared/http/routes";
import { appTrafficTools } from "./tools/app-traffic-tools";
import { codeTools } from "./tools/code-tools";
import { dataTools } from "./tools/data-tools";
import { envTools } from "./tools/env-tools";
import { metricsTools } from "./tools/metrics-tools";
import { networkTools } from "./tools/network-tools";
import { projectTools } from "./tools/project-tools";
import { requestsTools } from "./tools/requests-tools";
import { timeTravelTools } from "./tools/time-travel-tools";
import type { ToolSpec } from "./tools/tool-spec";

export { type Invoke, type ToolResult, type ToolSpec, toolResult } from "./tools/tool-spec";

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
  // The Data view's edits and downloads: run_sql does each of them in one statement an agent writes
  // anyway, and read_rows / describe_table cover reading.
  insertRow: "run_sql inserts a row",
  updateRow: "run_sql updates a row",
  deleteRows: "run_sql deletes rows",
  getCell: "read_rows and run_sql read a whole value",
  exportTable: "a file download; read_rows pages through a table",
  dumpData: "a file download; fork_project copies a project with its data",
  dataVersion: "the Data view's change token for polling; read_logs shows what the app did",
  // One request's replay with a diff is the Requests view's; an agent replays with the report, or request_app.
  replayRequest: "replay_requests reports on the draft; request_app sends one request again",
  putRequestSettings: "recording's switch and size are set by people, in the IDE's Requests view",
  // The assistant is itself a model running these tools; an agent is one already.
  getAssistant: "the IDE's assistant is a model using these tools; an agent is one",
  askAssistant: "a stream for the IDE's assistant panel; an agent does the work with the tools",
  getAssistantTask: "the IDE's assistant's record",
  stopAssistantTask: "the IDE's assistant's Stop",
  // The editor's autocompletion; an agent gets the type errors themselves in write_code's answer.
  getTypes: "declaration files for an editor; write_code's answer carries the type errors",
};

export const tools: ToolSpec[] = [
  ...projectTools,
  ...codeTools,
  ...appTrafficTools,
  ...timeTravelTools,
  ...envTools,
  ...dataTools,
  ...metricsTools,
  ...networkTools,
  ...requestsTools,
];
