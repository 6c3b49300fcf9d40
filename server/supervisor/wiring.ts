/**
 * Building the supervisor's capabilities (ProjectSupervisor.ts lists them, a folder each) and wiring
 * them to one another through the narrow interfaces each takes at construction. What it hands back is
 * what the Durable Object's entry points and an opened project's handle work with.
 *
 * They are built in dependency order, each before anything that uses it:
 *  1. every capability's tables (createTables);
 *  2. the store (versions);
 *  3. the log ring, the terminals and the log they make up (console);
 *  4. the limits, then the objects registries, live and draft, which read the objects limit;
 *  5. the snapshots (time-travel), then metering, which reads their size and the live registry;
 *  6. `record`: the app's lines through the log limit (metering) into the log;
 *  7. the network policy, the loader, then the live app (app-host), on the store's version, metered;
 *  8. the draft's row, then the draft's app (time-travel's source, app-host's host), then the
 *     gateway's side (network), which writes the live app's lines and the draft's;
 *  9. the alarms: the clock, the objects', the App's and the draft's, and their routing;
 * 10. the save queue (versions), then the draft's workflow, which queues with it;
 * 11. the objects' calls (objects), the SQL console and the terminal sockets (console), the recorded
 *     requests and their recorder (requests), the assistant's tasks (server/assistant/);
 * 12. what making a project and an opened project's handle work with (handle);
 * 13. under the launcher, its verdicts, recorded before anything is served (versions/verdicts.ts).
 *
 * Steps 1 to 9 are wiring-apps.ts's, step 12 is wiring-handle.ts's; the rest are here.
 *
 * Tables: none of its own (`createTables` in tables.ts makes every capability's, step 1).
 */

import type { NewLogEntry } from "../../shared/logs";
import type { ClientMessage, ServerMessage } from "../../shared/protocol";
import { packageTypeFiles } from "../packages/type-files";
import { SaveTypeChecks } from "../type-check/save-check";
import { TypeChecker } from "../type-check/type-checker";
import type { AppHost } from "./app-host/app-host";
import type { ProjectAlarms } from "./app-host/project-alarms";
import { SqlConsole } from "./console/sql-console";
import { TerminalSockets } from "./console/terminal-sockets";
import type { ProjectParts } from "./handle/project-parts";
import type { ProjectCreation } from "./handle/project-seed";
import type { Metering } from "./metering/metering";
import type { Outbound } from "./network/outbound";
import { ObjectCalls } from "./objects/object-host";
import { RequestRecorder } from "./requests/recorder";
import { RequestTable } from "./requests/request-table";
import type { DraftCode } from "./time-travel/draft-row";
import { Drafts } from "./time-travel/drafts";
import { CodeSaves } from "./versions/saves";
import type { SupervisorStore } from "./versions/store";
import { LauncherVerdicts } from "./versions/verdicts";
import { wireApps } from "./wiring-apps";
import { wireHandle } from "./wiring-handle";

type Pair<T> = { live: T; draft: T };

/** The capabilities the supervisor's entry points reach (the rest are reached through these). */
export interface SupervisorWiring {
  store: SupervisorStore;
  /** The app's lines, through the log limit, into the log. */
  record: (entries: NewLogEntry[]) => void;
  metering: Metering;
  live: AppHost;
  draft: AppHost;
  draftCode: DraftCode;
  /** The App's, the draft's and the objects' alarms, on the one real alarm. */
  alarms: ProjectAlarms;
  /** A Worker project's Durable Objects, called by its code through the ObjectBridge. */
  objectCalls: Pair<ObjectCalls>;
  sockets: TerminalSockets;
  creation: ProjectCreation;
  /** What an opened project's handle works with (handle/project-handle.ts). */
  parts: ProjectParts;
  verdicts: LauncherVerdicts;
  outbound: Outbound;
  recorder: RequestRecorder;
}

/** Builds every capability of the project's supervisor, in the order above. */
export function wireCapabilities(ctx: DurableObjectState, env: Env): SupervisorWiring {
  // 1 to 9: the tables, the store, the log, metering, and the apps with their network and alarms.
  const apps = wireApps(ctx, env);
  const { sql, store, logs, terminals, metering, record, live, draft, draftCode, loader, snapshots } = apps;
  const { cooldowns, outbound, objects, alarms, objectAlarms } = apps;

  // 10. versions: the save queue, which swaps the live app and snapshots what each version leaves.
  // The live version's packages' declaration files, for the editor (GET .../types).
  const packageTypes = () => packageTypeFiles(env, store.currentVersion()?.lock ?? []);
  // TypeScript's check of each save, in a checker isolate of its own (server/type-check/).
  const typeChecks = new SaveTypeChecks({
    checker: String(env.FACET_IDE_TYPE_CHECK) === "off" ? null : new TypeChecker(env),
    projectId: () => store.project?.id ?? "",
    envNames: () => Object.keys(store.appEnv().values),
    typeFiles: (lock) => packageTypeFiles(env, lock),
    record,
    now: () => Date.now(),
    sleep: (ms) => scheduler.wait(ms),
  });
  const saves = new CodeSaves({ store, loader, live, snapshots, record, cooldowns, typeChecks });

  // 10. time-travel: the draft's workflow (save, promote, discard), queued with the saves.
  const drafts = new Drafts({
    draft: draftCode,
    host: draft,
    store,
    saves,
    copies: snapshots.copies,
    alarms,
    objectAlarms,
    record,
    objects,
  });

  // 11. objects: a Worker project's calls to its objects; the live app's are metered per object.
  const objectCalls = {
    live: new ObjectCalls(live, objects.live, (id, call) => metering.objectCall(id, call)),
    draft: new ObjectCalls(draft, objects.draft, null),
  };

  // 11. console: the SQL console (live or draft) and the terminal sockets.
  const sqlConsole = new SqlConsole(live, () => (draftCode.exists ? draft : null), cooldowns);
  const sockets = new TerminalSockets({
    ctx,
    terminals,
    store,
    logs,
    sql: sqlConsole,
    hibernate: env.ENVIRONMENT !== "development",
    greeting: () => (metering.enabled ? { type: "meter", meter: metering.snapshot() } : null),
  });
  // The runtime answers the terminal's heartbeat itself, without waking this object (deployed, where
  // terminal sockets hibernate): a ping costs no JavaScript at all.
  ctx.setWebSocketAutoResponse(
    new WebSocketRequestResponsePair(
      JSON.stringify({ type: "ping" } satisfies ClientMessage),
      JSON.stringify({ type: "pong" } satisfies ServerMessage),
    ),
  );

  // 11. requests: what the app's origins serve is recorded, redacted of the project's secrets.
  const requests = new RequestTable(sql);
  const recorder = new RequestRecorder({ ctx, table: requests, secrets: () => secretValues(store), outbound });

  // 12. handle: what making a project and an opened project's handle work with.
  const { creation, parts } = wireHandle(ctx, apps, { saves, drafts, sqlConsole, requests, recorder, packageTypes });

  // 13. versions: under the launcher, its verdicts on code that froze or crashed the runtime are
  // recorded before this object serves anything: a request, an RPC call or an alarm would otherwise
  // run that code again (server/launcher.ts says why here). Nothing to do deployed.
  const verdicts = new LauncherVerdicts(sql, env, {
    store,
    draft: () => drafts.info(),
    record,
    flushLogs: () => logs.flush(),
    cooldowns,
  });
  if (verdicts.active) {
    ctx
      .blockConcurrencyWhile(() => verdicts.settle(store.project?.id ?? null))
      .catch((error) => console.error("could not record the launcher's verdicts:", error));
  }

  return {
    store,
    record,
    metering,
    live,
    draft,
    draftCode,
    alarms: apps.projectAlarms,
    objectCalls,
    sockets,
    creation,
    parts,
    verdicts,
    outbound,
    recorder,
  };
}

/** The project's secret values (redacted from recorded requests), and a key that changes with them. */
function secretValues(store: SupervisorStore): { key: string; values(): string[] } {
  const env = store.appEnv();
  const values = () =>
    store
      .listEnv()
      .filter((v) => v.secret)
      .map((v) => env.values[v.name] ?? "");
  return { key: env.hash, values };
}
