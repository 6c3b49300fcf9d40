/**
 * What an opened project's handle (project-handle.ts) and the modules of its operations work with:
 * the supervisor's capabilities, built once by wiring.ts and shared by every handle it opens.
 * Tables: none.
 */

import type { NewLogEntry } from "../../../shared/logs";
import type { AssistantTasks } from "../../assistant/task-table";
import type { Outcome } from "../../outcome";
import type { AppHost, Target } from "../app-host/app-host";
import type { LogRing } from "../console/log-ring";
import type { SqlConsole } from "../console/sql-console";
import type { DataBrowser } from "../data/data-browser";
import type { Metering } from "../metering/metering";
import type { NetworkParts } from "../network/network-api";
import type { ObjectAlarms } from "../objects/object-alarms";
import type { ObjectRegistry } from "../objects/objects";
import type { RequestRecorder } from "../requests/recorder";
import type { RequestTable } from "../requests/request-table";
import type { Drafts } from "../time-travel/drafts";
import type { Snapshots } from "../time-travel/snapshots";
import type { CodeSaves } from "../versions/saves";
import type { SupervisorStore } from "../versions/store";
import type { DeletedProject } from "./project-deletion";

/** What a handle works with: the supervisor's parts, shared by every handle it opens. */
export interface ProjectParts {
  store: SupervisorStore;
  app: AppHost;
  /** The draft's app (it serves a "no draft" answer while there is none). */
  draftApp: AppHost;
  sql: SqlConsole;
  /** Saves are queued, so they run one at a time whoever asks (restores and promotions too). */
  saves: CodeSaves;
  drafts: Drafts;
  snapshots: Snapshots;
  logs: LogRing;
  metering: Metering;
  /** The Data view on the App's database, or on a Worker project's object's. */
  data(target: Target): DataBrowser;
  /** The live app's objects (a Worker project's). */
  objects: ObjectRegistry;
  /** The live objects' alarms. */
  objectAlarms: ObjectAlarms;
  record(entries: NewLogEntry[]): void;
  /** The recorded requests (requests/), and the recorder, which knows what to redact. */
  requests: RequestTable;
  recorder: RequestRecorder;
  /** Deletes the project with everything it has (project-deletion.ts). */
  remove(): Promise<Outcome<DeletedProject>>;
  /** The network policy and the gateway's record of calls. */
  network: NetworkParts;
  /** The IDE's assistant's tasks (server/assistant/task-table.ts). */
  assistant: AssistantTasks;
  /** The declaration files of the live version's packages (server/packages/type-files.ts). */
  packageTypes(): Promise<Record<string, string>>;
}
