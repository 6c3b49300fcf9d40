/**
 * ProjectSupervisor: one Durable Object per project.
 *
 * Duties (each in its own module):
 * - keep the project's versions, token hash and variables in its own SQLite (store.ts, tables.mjs);
 * - let callers in: `open(credential)` checks (access.ts) and returns the project's operations
 *   (project-handle.ts);
 * - compile new code (compile.ts), load and probe it (loader.ts), then hot-swap it into the facet
 *   "app" and serve the app's requests through it, with `x-app-version` (app-host.ts, swap-gate.ts);
 * - queue saves, restores and promotions, and snapshot the data each version leaves (saves.ts,
 *   snapshots.ts); run the draft on a copy of the live data (drafts.ts);
 * - dump and load the app's database for fork, export and import (dump.ts);
 * - run the SQL console inside the facet, live or draft (sql-console.ts), and the Data view's
 *   reads and edits of the live database through it (data/);
 * - hold the app's alarm and the draft's (app-alarms.ts);
 * - meter the live app and hold it to its limits (metering.ts: rate limit, log limit, the meter inside
 *   the app's isolate reporting through the MeterBridge, the metrics and limits API);
 * - keep the log ring (log-ring.ts) and stream it to the project's terminals (terminal-sockets.ts),
 *   from the app's responses and the LogBridge entrypoint (app-logs.ts).
 *
 * The worker authenticates nothing itself: it passes the SHA-256 of the caller's token to `open`,
 * which checks it (access.ts) and hands back a ProjectHandle (project-handle.ts), the only way to
 * the project's operations. The bridges' methods below take no credential: only the app's own
 * AlarmBridge and LogBridge call them, with the project fixed by their props.
 */
import { DurableObject } from "cloudflare:workers";
import type { LogEntry, NewLogEntry } from "../../shared/logs";
import { readProjectConfig, VersionCode } from "../../shared/project-config";
import type { ClientMessage, ServerMessage } from "../../shared/protocol";
import type { ProjectBundle } from "../../shared/time-travel";
import type { AlarmOutcome } from "../app-runtime/protocol";
import { CREDENTIAL_HEADER, DRAFT_CALL_HEADER, OBJECT_HOST, TERMINAL_HOST } from "../internal";
import { type Failure, failure, type Outcome, success } from "../outcome";
import { isDraftHost } from "../preview";
import { AlarmClock, AppAlarms } from "./app-host/app-alarms";
import { AppHost } from "./app-host/app-host";
import { ExceptionHints } from "./app-host/app-model";
import { hungResponse, noCodeResponse } from "./app-host/app-responses";
import { AppLoader } from "./app-host/loader";
import { LogRing } from "./console/log-ring";
import { SqlConsole } from "./console/sql-console";
import { closeBack, TerminalSockets } from "./console/terminal-sockets";
import { DataBrowser } from "./data/data-browser";
import { admit, type Credential, credentialFromHeader } from "./handle/access";
import { ProjectHandle, type ProjectParts } from "./handle/project-handle";
import { Metering } from "./metering/metering";
import { ObjectAlarms } from "./objects/object-alarms";
import { ObjectCalls } from "./objects/object-host";
import { ObjectRegistry, objectLabel } from "./objects/objects";
import { Drafts } from "./time-travel/drafts";
import { loadDump } from "./time-travel/dump";
import { LIVE_FACET, objectFacet, Snapshots, snapshotDefaults } from "./time-travel/snapshots";
import { CodeSaves } from "./versions/saves";
import { type ProjectSummary, SupervisorStore } from "./versions/store";

/**
 * What a new project starts with: a template's code, or a whole project (a fork or an import: code,
 * variables, data).
 */
export type ProjectSeed =
  | { kind: "template"; files: Record<string, string> }
  | ({ kind: "bundle" } & Pick<ProjectBundle, "files" | "main" | "env" | "data" | "objects">);

export class ProjectSupervisor extends DurableObject<Env> {
  #store: SupervisorStore;
  #app: AppHost;
  #sockets: TerminalSockets;
  #alarms: { live: AppAlarms; draft: AppAlarms };
  #clock: AlarmClock;
  #logs: LogRing;
  #metering: Metering;
  #hints = new ExceptionHints();
  #saves: CodeSaves;
  #drafts: Drafts;
  #parts: ProjectParts;
  /** A Worker project's Durable Objects, called by its code through the ObjectBridge (live and draft). */
  #objects: ObjectCalls;
  #draftObjects: ObjectCalls;
  #objectAlarms: { live: ObjectAlarms; draft: ObjectAlarms };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const store = new SupervisorStore(ctx.storage);
    this.#store = store;
    this.#logs = new LogRing(ctx.storage.sql, (written) => {
      // The draft's requests are its own; the project's counters are the live app's origin's (a Worker
      // project's calls to its objects are counted per object, objects.ts).
      const requests = written.filter(
        (e): e is Extract<LogEntry, { kind: "request" }> =>
          e.kind === "request" && e.draft === undefined && e.object === undefined,
      );
      const errors = requests.filter((e) => e.outcome !== "ok" || (e.status ?? 500) >= 500);
      this.#store.addCounters(requests.length, errors.length);
    });
    const record = (entries: NewLogEntry[]) => this.#record(entries);
    this.#metering = new Metering(ctx, env, {
      say: record,
      version: () => store.project?.currentVersion ?? null,
      listeners: () => this.#sockets.count,
      broadcast: (meter) => this.#sockets.send({ type: "meter", meter }),
      snapshotBytes: () => snapshots.keptBytes(),
      objectMetered: (object, report) => {
        this.#app.objects.metered(object, report);
        return this.#app.objects.totalBytes();
      },
      knowsObject: (id) => this.#app.objects.ref(id) !== null,
    });
    const loader = new AppLoader(ctx, env, store, this.#metering);
    const objectLimit = () => this.#metering.limits.current.objects;
    const liveCode = new VersionCode();
    const code = () =>
      liveCode.get(`v${store.project?.currentVersion ?? "none"}`, () => store.currentVersion()?.files ?? null);
    this.#app = new AppHost(
      ctx,
      env,
      {
        facet: LIVE_FACET,
        config: () => code().config,
        files: () => code().files,
        objectFacet: (id) => objectFacet(LIVE_FACET, id),
        marks: () => ({ version: store.project?.currentVersion ?? null }),
        header: () => String(store.project?.currentVersion ?? "none"),
        worker: () => loader.current(),
        neutral: () => loader.neutral(),
        refusal: () => {
          const project = store.project;
          const version = project?.currentVersion ?? null;
          if (version === null) return noCodeResponse(project?.id ?? "");
          if (project?.hung?.version === version) return hungResponse(project.hung.detail, `v${version}`);
          return null;
        },
        channel: () => loader.channel(store.currentVersion()?.codeId ?? loader.neutralCodeId()),
      },
      // The app host hands the stored lines of a request to whoever asked (request_app).
      record,
      new ObjectRegistry(ctx.storage.sql, "live", objectLimit, (id, call) => this.#metering.objectCall(id, call)),
    );
    this.#objects = new ObjectCalls(this.#app);
    // The live app's meter: what its isolate reports, and how long something runs inside it.
    this.#app.onMeterReport = (report) => this.#metering.appReport(report);
    this.#app.gate.onBusyChange = (busy) => this.#metering.busy(busy);
    const snapshots = new Snapshots(ctx, snapshotDefaults(env), record, this.#app.objects);
    this.#clock = new AlarmClock(ctx);
    const labelOf = (registry: ObjectRegistry) => (id: string) => {
      const ref = registry.ref(id);
      return ref ? objectLabel(ref) : `#${id.slice(0, 8)}`;
    };
    this.#objectAlarms = {
      live: new ObjectAlarms(ctx, "live", this.#clock, record, labelOf(this.#app.objects)),
      draft: new ObjectAlarms(
        ctx,
        "draft",
        this.#clock,
        (entries) => record(entries.map((e) => ({ ...e, draft: this.#drafts.info()?.revision ?? 0 }))),
        (id) => labelOf(this.#drafts.host.objects)(id),
      ),
    };
    this.#alarms = {
      live: new AppAlarms(ctx, record, "app_alarm", this.#clock),
      draft: new AppAlarms(
        ctx,
        (entries) => record(entries.map((e) => ({ ...e, draft: this.#drafts.info()?.revision ?? 0 }))),
        "draft_alarm",
        this.#clock,
      ),
    };
    this.#saves = new CodeSaves(store, loader, this.#app, snapshots, record);
    this.#drafts = new Drafts(ctx, env, {
      store,
      loader,
      saves: this.#saves,
      snapshots,
      alarms: this.#alarms,
      objectAlarms: this.#objectAlarms,
      record,
      objects: { live: this.#app.objects, draft: new ObjectRegistry(ctx.storage.sql, "draft", objectLimit) },
    });
    this.#draftObjects = new ObjectCalls(this.#drafts.host);
    const sql = new SqlConsole(this.#app, () => (this.#drafts.exists ? this.#drafts.host : null));
    this.#sockets = new TerminalSockets(ctx, this.#store, this.#logs, sql, env.ENVIRONMENT !== "development", () =>
      this.#metering.enabled ? { type: "meter", meter: this.#metering.snapshot() } : null,
    );
    // The runtime answers the terminal's heartbeat itself, without waking this object (deployed, where
    // terminal sockets hibernate): a ping costs no JavaScript at all.
    ctx.setWebSocketAutoResponse(
      new WebSocketRequestResponsePair(
        JSON.stringify({ type: "ping" } satisfies ClientMessage),
        JSON.stringify({ type: "pong" } satisfies ServerMessage),
      ),
    );
    const dataParts = {
      sql,
      app: this.#app,
      store,
      snapshots,
      saves: this.#saves,
      record,
      epoch: crypto.randomUUID().slice(0, 8),
    };
    this.#parts = {
      store,
      app: this.#app,
      sql,
      data: (target) => new DataBrowser(dataParts, target),
      objectAlarms: this.#objectAlarms.live,
      saves: this.#saves,
      drafts: this.#drafts,
      snapshots,
      logs: this.#logs,
      metering: this.#metering,
      record,
    };
  }

  /**
   * Makes the project. `seed`: its first code (a template), or a whole project (a fork or an
   * import: variables, data, then the code, whose first request finds the data in place). A seed
   * that cannot go live leaves no project behind.
   */
  async create(
    id: string,
    tokenHash: string,
    seed: ProjectSeed | null,
    ownerKeyHash: string | null = null,
  ): Promise<Outcome<ProjectSummary>> {
    if (this.#store.project) return failure(409, "conflict", `A project named '${id}' already exists`);
    this.#store.createProject(id, tokenHash, ownerKeyHash, Date.now());
    if (seed?.kind === "template") {
      const saved = await this.#saves.save({ files: seed.files, main: "app.ts" });
      // A template that does not start is the IDE's bug, not the user's: the project stays, empty.
      if (!saved.ok) console.error("template failed to save", JSON.stringify(saved.error));
    } else if (seed?.kind === "bundle") {
      for (const v of seed.env) this.#store.setEnv(v.name, v.value ?? "", v.secret);
      // Loaded under the neutral code (no version yet), so no app code runs before its data is there.
      const loaded = await loadDump(this.#app, seed.data);
      if (!loaded.ok) return this.#undoCreate(loaded);
      const objects = await this.#loadObjects(seed);
      if (!objects.ok) return this.#undoCreate(objects);
      if (Object.keys(seed.files).length > 0) {
        const saved = await this.#saves.save({ files: seed.files, main: seed.main });
        if (!saved.ok) return this.#undoCreate(saved);
      }
    }
    return success(this.#store.summary()!);
  }

  /** A Worker project's objects from a fork or an import, each loaded into its own database. */
  async #loadObjects(seed: Extract<ProjectSeed, { kind: "bundle" }>): Promise<Outcome<number>> {
    const objects = seed.objects ?? [];
    if (objects.length === 0) return success(0);
    const config = readProjectConfig(seed.files);
    const classes = config.ok ? (config.config?.bindings.map((b) => b.className) ?? []) : [];
    for (const object of objects) {
      const admitted = await this.#app.objects.admit(object, classes);
      if (!admitted.ok) return failure(400, "bad_request", `The bundle's object ${object.class}: ${admitted.message}`);
      const loaded = await loadDump(this.#app, object.data, admitted.ref);
      if (!loaded.ok) return loaded;
    }
    this.#app.objects.flush();
    return success(objects.length);
  }

  #undoCreate(why: Failure): Outcome<ProjectSummary> {
    this.ctx.facets.delete(LIVE_FACET);
    for (const { id } of this.#app.objects.list()) this.ctx.facets.delete(objectFacet(LIVE_FACET, id));
    this.#app.objects.clear();
    this.#logs.flush();
    this.#store.wipe();
    this.#parts.snapshots.forget();
    return why;
  }

  /**
   * The project's API, for a caller whose credential opens it: the only way to its code, versions,
   * database and variables (the terminal socket is checked by the same `admit`).
   */
  async open(credential: Credential): Promise<Outcome<ProjectHandle>> {
    return admit(this.#store.project, credential) ?? success(new ProjectHandle(this.#parts));
  }

  // The app's alarm (or the draft's, or one of a Worker project's objects': `object` is its ID),
  // reached through the AlarmBridge entrypoint (see app-alarms.ts).
  async appSetAlarm(time: number, draft = false, object: string | null = null): Promise<void> {
    if (!draft) this.#metering.alarmSet(object);
    await this.#alarmsOf(draft, object).set(time);
  }

  async appGetAlarm(draft = false, object: string | null = null): Promise<number | null> {
    return this.#alarmsOf(draft, object).get();
  }

  async appDeleteAlarm(draft = false, object: string | null = null): Promise<void> {
    await this.#alarmsOf(draft, object).delete();
  }

  #alarmsOf(draft: boolean, object: string | null): AppAlarms {
    if (object !== null) return (draft ? this.#objectAlarms.draft : this.#objectAlarms.live).of(object);
    return draft ? this.#alarms.draft : this.#alarms.live;
  }

  override async alarm(): Promise<void> {
    const version = this.#store.project?.currentVersion ?? null;
    await this.#alarms.live.fire(version, (info) => {
      this.#metering.alarmRan();
      return this.#app.runAlarm(info);
    });
    await this.#objectAlarms.live.fire(version, (id, info) => {
      this.#metering.alarmRan(id);
      return this.#objectAlarm(this.#app, id, info);
    });
    if (this.#drafts.exists) {
      await this.#alarms.draft.fire(version, (info) => this.#drafts.host.runAlarm(info));
      await this.#objectAlarms.draft.fire(version, (id, info) => this.#objectAlarm(this.#drafts.host, id, info));
    }
    await this.#clock.rearm();
  }

  async #objectAlarm(host: AppHost, id: string, info: AlarmInvocationInfo): Promise<AlarmOutcome> {
    const ref = host.objects.ref(id);
    // An alarm of an object that was deleted since is dropped with it.
    if (!ref) return { ok: false, missing: true };
    host.objects.touch(id, null);
    return host.runAlarm(info, ref);
  }

  /** A stub's RPC call from a Worker project's code, through the ObjectBridge (object-host.ts). */
  async objectCall(ref: unknown, method: unknown, args: unknown, call: unknown, draft = false): Promise<unknown> {
    return (draft ? this.#draftObjects : this.#objects).call(ref, method, args, call);
  }

  /** Called by the MeterBridge entrypoint with what the meter inside the live app's isolate counted. */
  async appMeterReport(report: unknown): Promise<void> {
    this.#metering.appReport(report);
  }

  /** Called by the LogBridge entrypoint with console lines and exceptions no response carried. */
  async appendLogs(codeId: string, entries: NewLogEntry[], draft = false): Promise<void> {
    if (draft) {
      const revision = this.#drafts.info()?.revision ?? 0;
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
      return (draft ? this.#draftObjects : this.#objects).fetch(request);
    }
    if (url.hostname === TERMINAL_HOST) {
      const denied = admit(this.#store.project, credentialFromHeader(request.headers.get(CREDENTIAL_HEADER)));
      if (denied) return Response.json({ error: denied.error }, { status: denied.status });
      return this.#sockets.accept();
    }
    if (!this.#store.project) {
      return new Response(`No project is called '${url.hostname.split(".")[0]}'.\n`, {
        status: 404,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
    // The draft is the owner's trial on a copy: neither metered nor rate limited (see metering.ts).
    if (isDraftHost(url.hostname)) return this.#drafts.host.serve(request);
    return this.#metering.admit() ?? this.#app.serve(request);
  }

  override async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
    await this.#sockets.onMessage(socket, message);
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    closeBack(socket, code);
  }

  #record(entries: NewLogEntry[]): LogEntry[] {
    const stored = this.#logs.append(this.#hints.add(this.#metering.filterLogs(entries)));
    this.#sockets.broadcast(stored);
    return stored;
  }
}
