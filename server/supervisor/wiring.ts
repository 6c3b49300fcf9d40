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
 * Tables: none of its own (`createTables` in tables.ts makes every capability's, step 1).
 */

import type { NewLogEntry } from "../../shared/logs";
import type { ClientMessage, ServerMessage } from "../../shared/protocol";
import { AssistantTasks } from "../assistant/task-table";
import { packageTypeFiles } from "../packages/type-files";
import { SaveTypeChecks } from "../type-check/save-check";
import { TypeChecker } from "../type-check/type-checker";
import { AlarmClock, AppAlarms } from "./app-host/app-alarms";
import { AppHost } from "./app-host/app-host";
import { ExceptionHints } from "./app-host/app-model";
import { LiveSource } from "./app-host/app-source";
import { AppLoader } from "./app-host/loader";
import { ProjectAlarms } from "./app-host/project-alarms";
import { LogRing } from "./console/log-ring";
import { ProjectLog } from "./console/project-log";
import { SqlConsole } from "./console/sql-console";
import { TerminalSockets } from "./console/terminal-sockets";
import { Terminals } from "./console/terminals";
import { DataBrowser } from "./data/data-browser";
import { deleteProject } from "./handle/project-deletion";
import type { ProjectParts } from "./handle/project-parts";
import { ProjectCreation } from "./handle/project-seed";
import { operatorCeilings } from "./metering/ceilings";
import { defaultLimits, ProjectLimits } from "./metering/limits";
import { Metering } from "./metering/metering";
import { NetworkPolicies } from "./network/network-policy";
import { Outbound } from "./network/outbound";
import { ObjectAlarms } from "./objects/object-alarms";
import { ObjectCalls } from "./objects/object-host";
import { objectLabel } from "./objects/object-reference";
import { ObjectRegistry } from "./objects/objects";
import { RequestRecorder } from "./requests/recorder";
import { RequestTable } from "./requests/request-table";
import { createTables } from "./tables";
import { DraftCode } from "./time-travel/draft-row";
import { DraftSource } from "./time-travel/draft-source";
import { Drafts } from "./time-travel/drafts";
import { Snapshots, snapshotDefaults } from "./time-travel/snapshots";
import { Cooldowns } from "./versions/cooldowns";
import { CodeSaves } from "./versions/saves";
import { SupervisorStore } from "./versions/store";
import { LauncherVerdicts } from "./versions/verdicts";

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
  const sql = ctx.storage.sql;
  // 1. Every capability's tables.
  createTables(sql);

  // 2. versions: the project row, its versions and variables.
  const store = new SupervisorStore(sql);

  // 3. console: the log ring (each batch's requests go to the store's counters), the terminals that
  // listen, and the log that writes to both.
  const logs = new LogRing(sql, store);
  const terminals = new Terminals(ctx);
  const log = new ProjectLog(logs, terminals);
  const write = (entries: NewLogEntry[]) => log.write(entries);

  // 4. metering's limits, and the objects registries of the live app and the draft, within them.
  const ceilings = operatorCeilings(env as unknown as Record<string, unknown>);
  const limits = new ProjectLimits(sql, defaultLimits(env.DEFAULT_LIMITS), ceilings);
  const objectLimit = () => limits.current.objects;
  const objects = {
    live: new ObjectRegistry(sql, "live", objectLimit),
    draft: new ObjectRegistry(sql, "draft", objectLimit),
  };

  // 5. time-travel: the data snapshots. Their notices are system lines, which pass no limit.
  const snapshots = new Snapshots(ctx, snapshotDefaults(env), write, objects.live, ceilings);

  // 5. metering: the meter and the limits (its notices are system lines too).
  const metering = new Metering(sql, env, limits, { say: write, store, terminals, snapshots, objects: objects.live });

  // 6. Lines about the app pass the log limit (metering) and get their hints before they are written.
  const hints = new ExceptionHints();
  const record = (entries: NewLogEntry[]) => log.write(hints.add(metering.filterLogs(entries)));

  // 7. app-host: the loader, and the live app, on the store's current version, metered.
  const policies = new NetworkPolicies(sql);
  const loader = new AppLoader(ctx, env, store, metering, policies);
  const live = new AppHost(ctx, env, new LiveSource(store, loader), record, objects.live, metering);

  // After a freeze blamed on this project, its saves, SQL console and draft wait a while (versions/cooldowns.ts).
  const cooldowns = new Cooldowns(sql);

  // 8. time-travel: the draft's row and its app (not metered: it is the owner's trial, not traffic).
  const draftCode = new DraftCode(sql);
  const draft = new AppHost(
    ctx,
    env,
    new DraftSource(draftCode, store, loader, cooldowns),
    record,
    objects.draft,
    null,
  );
  const recordDraft = (entries: NewLogEntry[]) => record(entries.map((e) => ({ ...e, draft: draftCode.revision })));

  // 8. network: the gateway's side; the draft's calls are its lines, and are not metered.
  const outbound = new Outbound({
    policies,
    store,
    record: (entries, isDraft) => (isDraft ? recordDraft : record)(entries),
    previewDomain: env.PREVIEW_DOMAIN,
    meter: () => metering.subrequest(),
  });

  // 9. The alarms: each object's (objects), the App's and the draft's (app-host), on one real alarm.
  const clock = new AlarmClock(ctx);
  const objectAlarms = {
    live: new ObjectAlarms(ctx, "live", clock, record, labelIn(objects.live)),
    draft: new ObjectAlarms(ctx, "draft", clock, recordDraft, labelIn(objects.draft)),
  };
  const alarms = {
    live: new AppAlarms(ctx, record, "app_alarm", clock),
    draft: new AppAlarms(ctx, recordDraft, "draft_alarm", clock),
  };
  const projectAlarms = new ProjectAlarms({
    clock,
    alarms,
    objectAlarms,
    hosts: { live, draft },
    objects,
    store,
    draft: draftCode,
    meter: metering,
  });

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
  const dataParts = {
    sql: sqlConsole,
    app: live,
    store,
    snapshots,
    saves,
    record,
    epoch: crypto.randomUUID().slice(0, 8),
  };
  const creation = new ProjectCreation({
    ctx,
    store,
    saves,
    live,
    objects: objects.live,
    logs,
    snapshots,
    network: policies,
  });
  const parts: ProjectParts = {
    store,
    app: live,
    draftApp: draft,
    sql: sqlConsole,
    data: (target) => new DataBrowser(dataParts, target),
    objects: objects.live,
    objectAlarms: objectAlarms.live,
    saves,
    drafts,
    snapshots,
    logs,
    metering,
    record,
    requests,
    recorder,
    remove: () =>
      deleteProject({
        ctx,
        store,
        saves,
        discardDraft: () => drafts.discard(),
        removeLive: (reason) => live.remove(reason),
        forgetSnapshots: () => snapshots.forget(),
        flushLogs: () => logs.flush(),
        forgetRequests: () => requests.discardPending(),
      }),
    network: { policies, outbound },
    assistant: new AssistantTasks(sql),
    packageTypes,
  };

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
    alarms: projectAlarms,
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

/** How an alarm's lines name an object of `registry`: Class:name, or its ID's start once it is gone. */
function labelIn(registry: ObjectRegistry): (id: string) => string {
  return (id) => {
    const ref = registry.ref(id);
    return ref ? objectLabel(ref) : `#${id.slice(0, 8)}`;
  };
}
