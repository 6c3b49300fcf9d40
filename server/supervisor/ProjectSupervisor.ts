/**
 * ProjectSupervisor: one Durable Object per project. This file only wires its capabilities and
 * exposes the Durable Object's entry points; each capability is a folder beside it, owns its tables
 * (made in one place, `createTables` in tables.ts) and reaches the others through narrow interfaces given at
 * construction:
 *
 * - versions/: the project row, its versions and variables (store.ts; tables `project`, `versions`,
 *   `env_vars`, `channel_key`, schema in tables.ts), the save queue
 *   (saves.ts), the swap gate (swap-gate.ts), content hashes (hashing.ts), and under the launcher its
 *   verdicts on code that froze or crashed the runtime (verdicts.ts; table `launcher_verdicts`);
 * - console/: the log ring (log-ring.ts; table `logs`), the terminals that listen
 *   (terminals.ts), the log both write to (project-log.ts), the terminal sockets
 *   (terminal-sockets.ts) and the SQL console (sql-console.ts);
 * - objects/: a Worker project's Durable Objects: the registry (objects.ts; table `objects`, in
 *   object-table.ts), their fetch and RPC calls (object-host.ts), their alarms (object-alarms.ts;
 *   table `object_alarm`);
 * - time-travel/: data snapshots (snapshots.ts; tables `snapshots`, `snapshot_settings`,
 *   `snapshot_objects`, beside the modules that use them), the draft (draft-row.ts; table `draft`,
 *   draft-source.ts, drafts.ts), dumps for fork, export and import (dump.ts);
 * - metering/: the meter, the limits and the status bar's feed (metering.ts; tables `limits`,
 *   `meter_minutes`, `meter_hours`, `meter_object_minutes`, `meter_object_hours`);
 * - app-host/: running an app in its facet: the loader and compile step, the live source, the app
 *   host (serving, swapping, facets), the App's and the draft's alarms (app-alarms.ts; tables
 *   `app_alarm`, `draft_alarm`) and the routing of every alarm (project-alarms.ts);
 * - network/: the app's network policy (network-policy.ts; table `network_policy`), the supervisor's
 *   side of the gateway every outbound call of the app goes through (outbound.ts; the entrypoint is
 *   server/bridges/network-gateway.ts) and the policy's API (network-api.ts);
 * - requests/: the requests the app's origins served, recorded redacted, and their replay on the live
 *   app or the draft (request-table.ts; tables `requests`, `request_settings`; recorder.ts, replay.ts);
 * - data/: the Data view (no tables: it reads the app's database through the SQL console);
 * - handle/: who may open the project (access.ts), what an opened project offers the API
 *   (project-handle.ts), making a project from its seed (project-seed.ts) and the bundle a fork or
 *   an export takes (project-bundle.ts). It is the layer above the capabilities, and works with
 *   their classes.
 *
 * The constructor builds them in dependency order, each before anything that uses it:
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
 *     requests and their recorder (requests);
 * 12. what making a project and an opened project's handle work with (handle);
 * 13. under the launcher, its verdicts, recorded before anything is served (versions/verdicts.ts).
 *
 * The worker authenticates nothing itself: it passes the SHA-256 of the caller's token to `open`,
 * which checks it (access.ts) and hands back a ProjectHandle (project-handle.ts), the only way to
 * the project's operations. The bridges' methods below take no credential: only the app's own
 * AlarmBridge, LogBridge, MeterBridge, ObjectBridge and Gateway call them, with the project fixed by their
 * props (server/bridges/).
 */
import { DurableObject } from "cloudflare:workers";
import type { NewLogEntry } from "../../shared/logs";
import type { ClientMessage, ServerMessage } from "../../shared/protocol";
import { CREDENTIAL_HEADER, DRAFT_CALL_HEADER, OBJECT_HOST, TERMINAL_HOST } from "../internal";
import { type Outcome, success } from "../outcome";
import { isDraftHost, noSuchProject } from "../preview";
import { AlarmClock, AppAlarms } from "./app-host/app-alarms";
import { AppHost } from "./app-host/app-host";
import { ExceptionHints } from "./app-host/app-model";
import { LiveSource } from "./app-host/app-source";
import { AppLoader } from "./app-host/loader";
import { ProjectAlarms } from "./app-host/project-alarms";
import { LogRing } from "./console/log-ring";
import { ProjectLog } from "./console/project-log";
import { SqlConsole } from "./console/sql-console";
import { closeBack, TerminalSockets } from "./console/terminal-sockets";
import { Terminals } from "./console/terminals";
import { DataBrowser } from "./data/data-browser";
import { admit, type Credential, credentialFromHeader } from "./handle/access";
import { deleteProject } from "./handle/project-deletion";
import { ProjectHandle, type ProjectParts } from "./handle/project-handle";
import { ProjectCreation, type ProjectSeed } from "./handle/project-seed";
import { operatorCeilings } from "./metering/ceilings";
import { defaultLimits, ProjectLimits } from "./metering/limits";
import { Metering } from "./metering/metering";
import { NetworkPolicies } from "./network/network-policy";
import { type GatewayPlan, Outbound } from "./network/outbound";
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
import { type ProjectSummary, SupervisorStore } from "./versions/store";
import { LauncherVerdicts } from "./versions/verdicts";

export type { ProjectSeed } from "./handle/project-seed";

type Pair<T> = { live: T; draft: T };

export class ProjectSupervisor extends DurableObject<Env> {
  #store: SupervisorStore;
  #record: (entries: NewLogEntry[]) => void;
  #metering: Metering;
  #live: AppHost;
  #draft: AppHost;
  #draftCode: DraftCode;
  /** The App's, the draft's and the objects' alarms, on the one real alarm. */
  #alarms: ProjectAlarms;
  /** A Worker project's Durable Objects, called by its code through the ObjectBridge. */
  #objectCalls: Pair<ObjectCalls>;
  #sockets: TerminalSockets;
  #creation: ProjectCreation;
  #parts: ProjectParts;
  #verdicts: LauncherVerdicts;
  #outbound: Outbound;
  #recorder: RequestRecorder;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
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
    const saves = new CodeSaves({ store, loader, live, snapshots, record, cooldowns });

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
    this.#creation = new ProjectCreation({
      ctx,
      store,
      saves,
      live,
      objects: objects.live,
      logs,
      snapshots,
      network: policies,
    });
    this.#parts = {
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

    this.#verdicts = verdicts;
    this.#outbound = outbound;
    this.#recorder = recorder;
    this.#store = store;
    this.#record = record;
    this.#metering = metering;
    this.#live = live;
    this.#draft = draft;
    this.#draftCode = draftCode;
    this.#alarms = projectAlarms;
    this.#objectCalls = objectCalls;
    this.#sockets = sockets;
  }

  /**
   * Makes the project (handle/project-seed.ts). `seed`: its first code (a template), or a whole
   * project (a fork or an import). A seed that cannot go live leaves no project behind.
   */
  async create(
    id: string,
    tokenHash: string,
    seed: ProjectSeed | null,
    ownerKeyHash: string | null = null,
  ): Promise<Outcome<ProjectSummary>> {
    return this.#creation.create(id, tokenHash, seed, ownerKeyHash);
  }

  /**
   * Called by the worker before it answers its first request (server/launcher.ts), so that verdicts are
   * recorded and reported as soon as the runtime is back: with `projectId`, the name this object was
   * reached by (a project that does not exist gets its verdicts reported as such).
   */
  async settleVerdicts(projectId: string): Promise<void> {
    await this.ctx.blockConcurrencyWhile(() => this.#verdicts.settle(this.#store.project?.id ?? projectId));
  }

  /**
   * The project's API, for a caller whose credential opens it: the only way to its code, versions,
   * database and variables (the terminal socket is checked by the same `admit`).
   */
  async open(credential: Credential): Promise<Outcome<ProjectHandle>> {
    return admit(this.#store.project, credential) ?? success(new ProjectHandle(this.#parts));
  }

  /**
   * Called by the worker once a project is deleted (handle/project-deletion.ts): the object starts
   * afresh on its next call, so nothing this instance kept in memory (limits, cooldowns, registries)
   * outlives the project. The abort rejects this call; the caller expects that.
   */
  async reset(): Promise<void> {
    if (this.#store.project) return;
    this.ctx.abort("the project was deleted");
  }

  // The app's alarm (or the draft's, or one of a Worker project's objects': `object` is its ID),
  // reached through the AlarmBridge entrypoint (see app-alarms.ts).
  async appSetAlarm(time: number, draft = false, object: string | null = null): Promise<void> {
    await this.#alarms.set(time, draft, object);
  }

  async appGetAlarm(draft = false, object: string | null = null): Promise<number | null> {
    return this.#alarms.get(draft, object);
  }

  async appDeleteAlarm(draft = false, object: string | null = null): Promise<void> {
    await this.#alarms.delete(draft, object);
  }

  override async alarm(): Promise<void> {
    await this.#alarms.fire();
  }

  /** A stub's RPC call from a Worker project's code, through the ObjectBridge (object-host.ts). */
  async objectCall(ref: unknown, method: unknown, args: unknown, call: unknown, draft = false): Promise<unknown> {
    return (draft ? this.#objectCalls.draft : this.#objectCalls.live).call(ref, method, args, call);
  }

  /** Called by the MeterBridge entrypoint with what the meter inside the live app's isolate counted. */
  async appMeterReport(report: unknown): Promise<void> {
    this.#metering.appReport(report);
  }

  /** Called by the Gateway entrypoint before each outbound call of the app (network/outbound.ts). */
  async networkPlan(url: string, method: string, ideHosts: string[], draft = false): Promise<GatewayPlan> {
    return this.#outbound.plan(
      String(url),
      String(method),
      Array.isArray(ideHosts) ? ideHosts.map(String) : [],
      draft === true,
    );
  }

  /** Called by the Gateway entrypoint with what came of a call that went out. */
  async networkDone(call: unknown, draft = false, id = ""): Promise<void> {
    this.#outbound.done(call, draft === true, String(id));
  }

  /** Called by the LogBridge entrypoint with console lines and exceptions no response carried. */
  async appendLogs(codeId: string, entries: NewLogEntry[], draft = false): Promise<void> {
    if (draft) {
      const revision = this.#draftCode.revision;
      const version = this.#store.project?.currentVersion ?? null;
      this.#record(entries.map((e) => ({ ...e, version, draft: revision })));
      return;
    }
    const version = this.#store.versionOfCode(codeId);
    this.#record(entries.map((e) => ({ ...e, version: e.version ?? version })));
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.hostname === OBJECT_HOST) {
      const draft = request.headers.get(DRAFT_CALL_HEADER) === "1";
      return (draft ? this.#objectCalls.draft : this.#objectCalls.live).fetch(request);
    }
    if (url.hostname === TERMINAL_HOST) {
      const denied = admit(this.#store.project, credentialFromHeader(request.headers.get(CREDENTIAL_HEADER)));
      if (denied) return Response.json({ error: denied.error }, { status: denied.status });
      return this.#sockets.accept();
    }
    if (!this.#store.project) return noSuchProject(url.hostname);
    // The draft is the owner's trial on a copy: not metered, but its origin is public, so its requests
    // take from the project's requests a minute as the live origin's do (see metering.ts).
    const draft = isDraftHost(url.hostname);
    const refused = this.#metering.admit(draft);
    if (refused) return refused;
    const host = draft ? this.#draft : this.#live;
    return this.#recorder.serve(request, draft ? "draft" : "live", (r, observe) => host.serve(r, observe));
  }

  override async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
    await this.#sockets.onMessage(socket, message);
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    closeBack(socket, code);
  }
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
