/**
 * Runs one of the project's apps: the live one (facet "app") or the draft (facet "draft"). Starts
 * the code its source names (loader.ts), forwards requests to it, swaps versions through the
 * SwapGate, and lets the SQL console, dumps and alarms in through the same gate.
 */
import type { LogEntry, NewLogEntry } from "../../../shared/logs";
import type { ProjectConfig } from "../../../shared/project-config";
import {
  ALARM_METHOD,
  type AlarmOutcome,
  CALL_HEADER,
  CALL_METHOD,
  CLOSE_SOCKETS_METHOD,
  DATA_SIZE_METHOD,
  HEADER_MAX_LINES,
  KV_METHOD,
  type KvCall,
  METER_METHOD,
  type ObjectRef,
  SQL_METHOD,
} from "../../app-runtime/protocol";
import { failure, type Outcome, success } from "../../outcome";
import type { ObjectRegistry } from "../objects/objects";
import type { DumpableApp } from "../time-travel/dump";
import { cutOffError, cutOffMessage, drainDeadlineMs, type GatePass, SwapGate } from "../versions/swap-gate";
import {
  AlarmOutcomeReport,
  appLogEntries,
  isThrownReport,
  linesOnResponse,
  readThrownReport,
  within,
} from "./app-channel";
import { cutOffResponse, forClient, withVersion } from "./app-responses";
import { serveAsset } from "./assets";
import { appErrorResponse, type ThrownError, thrownError } from "./errors";

/**
 * The running app as the supervisor calls it: the wrapper's methods (wrapper.ts) besides fetch. What
 * they return comes from the app's isolate, so it is checked before use (app-channel.ts).
 */
export type AppStub = Fetcher &
  DumpableApp & {
    [SQL_METHOD](sql: string, params: unknown[], maxRows: number): Promise<unknown>;
    /** Checked by data/data-browser.ts. */
    [KV_METHOD](call: KvCall): Promise<unknown>;
    [ALARM_METHOD](info: AlarmInvocationInfo, call?: string | null): Promise<unknown>;
    /** A Worker project's object: runs an RPC method as part of the request `call` names (wrapper.ts). */
    [CALL_METHOD](method: string, args: unknown[], call: string | null): Promise<unknown>;
    [CLOSE_SOCKETS_METHOD](code: number, reason: string): Promise<unknown>;
    /** Checked by metering.ts. */
    [METER_METHOD](): Promise<unknown>;
  };

/** How long the supervisor waits for the app's meter to answer (its code may keep the isolate busy). */
const METER_TIMEOUT_MS = 2_000;

/** What an AppHost runs: the live version or the draft (supervisor's choice, see ProjectSupervisor). */
export interface AppSource {
  /** The facet's name. */
  readonly facet: string;
  /** How its log lines are marked: the live version, and the draft's revision on the draft's lines. */
  marks(): { version: number | null; draft?: number };
  /** The `x-app-version` header of its responses ("7", "draft-2"). */
  header(): string;
  /** The code the facet starts with. */
  worker(): WorkerStub;
  /** A code that runs no user code (an empty App), to measure or load a database through. */
  neutral(): WorkerStub;
  /** The answer when it cannot run now (no code yet, a version that froze the runtime); else null. */
  refusal(): Response | null;
  /** The secret its wrapper marks its reports with (app-channel.ts), for the code `worker()` gives now. */
  channel(): Promise<string>;
  /** A Worker project's configuration, for the code it runs now (null: an App project). */
  config(): ProjectConfig | null;
  /** The files of the code it runs now (a Worker project's assets are among them). */
  files(): Record<string, string>;
  /** The facet of a Worker project's object (by its ID): the live object's, or the draft's copy. */
  objectFacet(id: string): string;
}

/** Which facet a call is about: the App's (null), or a Worker project's object. */
export type Target = ObjectRef | null;

/** What a facet that runs is doing: whether the app returned a WebSocket from it since it started. */
interface Running {
  holdsSockets: boolean;
  ref: Target;
}

/** Close code for sockets the app held when its code was replaced: "Service Restart" (RFC 6455 registry). */
const SWAP_CLOSE_CODE = 1012;
/** How long a swap waits for the app to close its sockets (its code may never answer). */
const CLOSE_SOCKETS_TIMEOUT_MS = 2_000;

/** What a swap does to the database besides restarting the facet (see `swap`). */
export interface SwapData {
  /** Runs while the gate is closed and the old instance still stands (a snapshot of it, say). */
  beforeAbort?: () => Promise<void> | void;
  /** Runs once the old instance is gone, before the new one starts (replacing the database, say). */
  afterAbort?: () => Promise<void> | void;
}

export class AppHost {
  readonly gate = new SwapGate();
  readonly source: AppSource;
  #ctx: DurableObjectState;
  #env: Env;
  #log: (entries: NewLogEntry[]) => LogEntry[];
  /** The facets whose instance has started since they were last stopped (their start callback ran). */
  #running = new Map<string, Running>();
  /**
   * Requests (and alarms) inside the gate that a Worker project's objects may be called for, by the
   * call ID the app's code carries (object-runtime.ts); `cut` once a swap cut the request off.
   */
  #calls = new Map<string, { pass: GatePass; cut: boolean }>();
  /**
   * The code of this generation and the secret its wrapper marks its reports with (see #worker); null
   * until something starts after a swap.
   */
  #pinned: { worker: WorkerStub; channel: Promise<string> } | null = null;
  /** A Worker project's objects (this host's: the live app's, or the draft's copies). */
  readonly objects: ObjectRegistry;
  /** How long a swap waits for requests in flight before cutting them off. */
  #drainDeadlineMs: number;
  /** Takes what the app's meter reports when a swap asks it before stopping the app (the live app's). */
  onMeterReport: ((report: unknown) => void) | null = null;

  /** Counts facet restarts (swaps, resets): SQLite's total_changes() starts again at each. */
  generation = 0;

  /** `log` stores lines and hands back what it stored (with seq), which serve()'s `observe` gets. */
  constructor(
    ctx: DurableObjectState,
    env: Env,
    source: AppSource,
    log: (entries: NewLogEntry[]) => LogEntry[],
    objects: ObjectRegistry,
  ) {
    this.#ctx = ctx;
    this.#env = env;
    this.source = source;
    this.objects = objects;
    this.#log = (entries) => {
      const { draft } = source.marks();
      return log(draft === undefined ? entries : entries.map((e) => ({ ...e, draft })));
    };
    this.#drainDeadlineMs = drainDeadlineMs(env.SWAP_DRAIN_DEADLINE_MS);
  }

  /** The facet of `target` (the App's, or an object's), started with the current code if it is not running. */
  facet(target: Target = null): AppStub {
    const name = this.#facetName(target);
    return this.#ctx.facets.get(name, () => {
      this.#running.set(name, { holdsSockets: false, ref: target });
      const worker = this.#worker();
      if (target === null) return { class: worker.getDurableObjectClass("App") };
      // Its ID's hex as the facet's id, its name in props: the wrapper makes ctx.id of both (object-runtime.ts).
      return {
        class: worker.getDurableObjectClass(target.class, { props: { name: target.name } }),
        id: target.id,
      };
    }) as unknown as AppStub;
  }

  /** Stores lines about this app (marked as the draft's for the draft) and hands back what it stored. */
  log(entries: NewLogEntry[]): LogEntry[] {
    return this.#log(entries);
  }

  /**
   * The code this generation of the app runs. A save stores the new version before its swap drains
   * the requests inside; an object such a request calls for the first time must start on the code
   * the request runs, not on the version waiting to go live, so the code is fixed until the swap.
   */
  #worker(): WorkerStub {
    this.#pinned ??= { worker: this.source.worker(), channel: this.source.channel() };
    return this.#pinned.worker;
  }

  /**
   * The secret of the code this generation runs: a request in flight while a save drains answers with
   * the old code's marks, though the store already names the new version.
   */
  channel(): Promise<string> {
    return this.#pinned?.channel ?? this.source.channel();
  }

  #facetName(target: Target): string {
    return target === null ? this.source.facet : this.source.objectFacet(target.id);
  }

  /**
   * The facet a tool means: an App project's App (no `object`), or a Worker project's object named by
   * `object` (its ID, Class:name, or a name one object has), the one the app uses most without it.
   */
  target(object: string | undefined): Outcome<Target> {
    if (this.source.config() === null) {
      if (object === undefined) return success(null);
      return failure(
        400,
        "bad_request",
        "This is an App project (no wrangler.jsonc): its one object is the App, so leave object out",
      );
    }
    const found = this.objects.resolve(object);
    return found.ok ? success(found.ref) : failure(404, "not_found", found.message);
  }

  /** Whether `target`'s facet has started since it was last stopped. */
  isRunning(target: Target = null): boolean {
    return this.#running.has(this.#facetName(target));
  }

  /** Notes that `target`'s facet handed a WebSocket out, so a swap closes what it holds. */
  holdsSockets(target: Target): void {
    const running = this.#running.get(this.#facetName(target));
    if (running) running.holdsSockets = true;
  }

  /**
   * Enters the gate for work on the app: as part of the request `call` names when that request is
   * still inside (a Worker's call to one of its objects, which it waits for), else as a request.
   * Throws the reason when that request was cut off by a swap.
   */
  async enter(label: string, call: string | null): Promise<GatePass> {
    const parent = call === null ? undefined : this.#calls.get(call);
    if (!parent) return this.gate.enter(label);
    if (parent.cut) throw new Error(`${label} was not run: the request that made it was cut off by a swap`);
    return this.gate.enterNested(label);
  }

  /** Gives `pass` a call ID the app's code carries for the calls it makes while the pass is held. */
  #registerCall(pass: GatePass): string {
    const id = crypto.randomUUID();
    const entry = { pass, cut: false };
    this.#calls.set(id, entry);
    const release = pass.release;
    pass.release = () => {
      this.#calls.delete(id);
      release();
    };
    const onCut = pass.onCut;
    pass.onCut = (reason) => {
      entry.cut = true;
      onCut?.(reason);
    };
    return id;
  }

  /**
   * Runs `request` on the app. `observe` gets the lines logged for this request (its request line,
   * what its fetch printed, its exception) as they are stored: the API's request_app returns them.
   */
  async serve(request: Request, observe?: (entries: LogEntry[]) => void): Promise<Response> {
    const log = (entries: NewLogEntry[]) => {
      const stored = this.#log(entries);
      observe?.(stored);
    };
    const url = new URL(request.url);
    const path = url.pathname + url.search;
    const pass = await this.gate.enter(`${request.method} ${path}`);
    let handedOff = false;
    try {
      const refusal = this.source.refusal();
      if (refusal) return refusal;
      const { version } = this.source.marks();
      const header = this.source.header();
      const started = Date.now();
      const requestLine = (status: number, outcome: string): NewLogEntry => ({
        kind: "request",
        at: started,
        version,
        method: request.method,
        path,
        status,
        durationMs: Date.now() - started,
        outcome,
      });
      // A Worker project's static assets are answered before its Worker runs, as on Cloudflare.
      const assets = this.source.config()?.assets;
      if (assets && !assets.runWorkerFirst) {
        const asset = serveAsset(this.source.files(), assets, request, { binding: false });
        if (asset) {
          log([requestLine(asset.status, "ok")]);
          return withVersion(asset, header);
        }
      }
      let cutBy: Error | null = null;
      pass.stage = "no response yet";
      pass.onCut = (reason) => {
        cutBy = reason;
      };
      let response: Response;
      try {
        response = await this.#entry(request, pass);
      } catch (error) {
        if (cutBy) {
          // The swap that cut it off logs why; the client gets the same reason, not an app error.
          log([requestLine(503, "cut off")]);
          return withVersion(cutOffResponse(cutBy), header);
        }
        const line = requestLine(500, "exception");
        return this.#thrown(log, thrownError(error), request, [line], isStartFailure(error));
      }
      // The wrapper's marks carry this load's secret; a header without it is the app's own.
      const secret = await this.channel();
      if (isThrownReport(response, secret)) {
        const thrown = await readThrownReport(response);
        const lines = appLogEntries(thrown.logs, version, HEADER_MAX_LINES) ?? [];
        return this.#thrown(log, thrown, request, [requestLine(500, "exception"), ...lines]);
      }
      handedOff = true;
      log([
        requestLine(response.status, "ok"),
        ...(appLogEntries(linesOnResponse(response, secret), version, HEADER_MAX_LINES) ?? []),
      ]);
      if (response.webSocket && this.source.config() === null) this.holdsSockets(null);
      return forClient(response, header, pass);
    } finally {
      if (!handedOff) pass.release();
    }
  }

  /**
   * Where a request of the app's origin goes: the App's facet, or a Worker project's Worker (its
   * default export), told the call ID its calls to objects carry so they run as part of this request.
   */
  #entry(request: Request, pass: GatePass): Promise<Response> {
    if (this.source.config() === null) return this.facet().fetch(request);
    const headers = new Headers(request.headers);
    headers.set(CALL_HEADER, this.#registerCall(pass));
    return this.#worker().getEntrypoint().fetch(new Request(request, { headers }));
  }

  #thrown(
    log: (entries: NewLogEntry[]) => void,
    error: ThrownError,
    request: Request,
    before: NewLogEntry[],
    startFailure = false,
  ): Response {
    const { version } = this.source.marks();
    log([
      ...before,
      {
        kind: "exception",
        at: Date.now(),
        version,
        name: startFailure ? "StartupError" : error.name,
        message: error.message,
        stack: error.stack,
      },
    ]);
    return withVersion(appErrorResponse(error, request, this.#env.ENVIRONMENT === "development"), this.source.header());
  }

  /**
   * Makes what the store holds now (a new version, or new env vars) live: waits for requests in
   * flight (up to the drain deadline), cuts off what is still running then, and restarts the facet.
   * `data` changes the database on the way, while nothing runs (see SwapData).
   */
  async swap(
    version: number | null,
    reason = `The app was replaced by v${version}`,
    data: SwapData = {},
  ): Promise<void> {
    let socketsClosed = 0;
    const deadline = this.#drainDeadlineMs;
    const { cutOff } = await this.gate.swap(deadline, async (cutOff) => {
      // Before the abort: a body cut by the abort itself could end as if it were complete.
      for (const pass of cutOff) pass.onCut?.(cutOffError(pass, deadline, reason));
      // Every running facet: the App's, or each object of a Worker project. The app's code may never
      // answer (or answer nonsense): the swap goes on regardless.
      const running = [...this.#running.values()];
      const closed = await Promise.all(
        running
          .filter((r) => r.holdsSockets)
          .map((r) => {
            const closing = this.facet(r.ref)
              [CLOSE_SOCKETS_METHOD](SWAP_CLOSE_CODE, reason.slice(0, 120))
              .then((n) => (typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? n : 0))
              .catch(() => 0);
            return within(closing, CLOSE_SOCKETS_TIMEOUT_MS, () => 0);
          }),
      );
      socketsClosed = closed.reduce((sum, n) => sum + n, 0);
      // What the app's meter counted since its last report would go with the instance.
      const onMeterReport = this.onMeterReport;
      if (onMeterReport) {
        const reports = await Promise.all(running.map((r) => this.#meterOf(this.facet(r.ref))));
        for (const report of reports) onMeterReport(report);
      }
      try {
        await data.beforeAbort?.();
      } finally {
        this.#stopAll(reason);
      }
      await data.afterAbort?.();
    });
    if (socketsClosed > 0) {
      this.#log([
        {
          kind: "system",
          level: "info",
          at: Date.now(),
          version,
          message: `closed ${socketsClosed} WebSocket(s) the app held with ${SWAP_CLOSE_CODE} "${reason}"`,
        },
      ]);
    }
    if (cutOff.length > 0) {
      this.#log([
        { kind: "system", level: "warn", at: Date.now(), version, message: cutOffMessage(cutOff, deadline, reason) },
      ]);
    }
  }

  /**
   * Runs the alarm() handler of the App (or of a Worker project's object), as a request would run
   * (through the swap gate); the objects it calls run as part of it.
   */
  async runAlarm(info: AlarmInvocationInfo, target: Target = null): Promise<AlarmOutcome> {
    const refusal = this.source.refusal();
    if (refusal) return { ok: false, name: "Error", message: (await refusal.text()).trim(), stack: "" };
    const pass = await this.gate.enter("alarm()");
    let outcome: unknown;
    try {
      const call = target ? this.#registerCall(pass) : null;
      outcome = await this.facet(target)[ALARM_METHOD](info, call);
    } finally {
      pass.release();
    }
    // The wrapper's answer, from the app's isolate: checked (its lines are checked where they are logged).
    const parsed = AlarmOutcomeReport.safeParse(outcome);
    if (parsed.success) return parsed.data;
    return { ok: false, name: "Error", message: "alarm() finished, but its outcome could not be read", stack: "" };
  }

  /** What the app's meter counted since its last report, for each running facet (nothing when none runs). */
  async takeMeterReports(): Promise<unknown[]> {
    const running = [...this.#running.values()];
    if (running.length === 0) return [];
    return this.gate.run("meter", () => Promise.all(running.map((r) => this.#meterOf(this.facet(r.ref)))));
  }

  #meterOf(app: AppStub): Promise<unknown> {
    return within(
      app[METER_METHOD]().catch(() => null),
      METER_TIMEOUT_MS,
      () => null,
    );
  }

  /**
   * Runs `work` on the running app (the App, or the object `target`) as a request would run (through
   * the swap gate), under `label`.
   */
  inApp<T>(label: string, work: (app: AppStub) => Promise<T>, target: Target = null): Promise<T> {
    return this.gate.run(label, () => work(this.facet(target)));
  }

  /**
   * The size in bytes of the database of `target` (the App's, or an object's). Asked of the running
   * instance when there is one (cheap); else the database is opened under the neutral code, so no
   * user code runs (a version that froze the runtime included), and closed again. Call it where
   * nothing else runs the facet (inside a swap).
   */
  async dataSize(target: Target = null): Promise<number> {
    if (this.isRunning(target)) return this.facet(target)[DATA_SIZE_METHOD]();
    try {
      return await this.#neutral(target)[DATA_SIZE_METHOD]();
    } finally {
      this.#stop(target, "measured");
    }
  }

  /**
   * Every database's size added up (the App's, or all of a Worker project's objects'), each recorded
   * with its object; inside a swap, as `dataSize`.
   */
  async totalDataSize(): Promise<number> {
    if (this.source.config() === null) return this.dataSize();
    // Asked of every object at once: a swap of a project with 100 live objects waits for all of them.
    const sizes = await Promise.all(
      this.objects.list().map(async ({ id }) => {
        const ref = this.objects.ref(id);
        if (!ref) return 0;
        const bytes = await this.dataSize(ref);
        this.objects.setBytes(id, bytes);
        return bytes;
      }),
    );
    return sizes.reduce((sum, bytes) => sum + bytes, 0);
  }

  /**
   * The database's size, asked outside a swap: of the running instance as a request would ask, or
   * (when none runs, so no request is in flight) under the neutral code while the gate is held.
   */
  async dataSizeNow(target: Target = null): Promise<number> {
    if (this.isRunning(target)) return this.inApp("data size", (app) => app[DATA_SIZE_METHOD](), target);
    return this.withDatabase("data size", (app) => app[DATA_SIZE_METHOD](), { target });
  }

  /** The facet under the neutral code; only where nothing else starts it (the gate is held). */
  #neutral(target: Target): AppStub {
    return this.#ctx.facets.get(this.#facetName(target), () => ({
      class: this.source.neutral().getDurableObjectClass("App"),
      ...(target ? { id: target.id } : {}),
    })) as unknown as AppStub;
  }

  /**
   * Runs `work` on the app's database while no request runs in it (the gate is held as in a swap,
   * after waiting up to the drain deadline for requests in flight): on the running instance when
   * there is one, else under the neutral code, so no user code runs (a version that froze the
   * runtime included). `restart`: stop the instance afterwards, so the next request starts the
   * code on what `work` wrote.
   */
  async withDatabase<T>(
    label: string,
    work: (app: AppStub) => Promise<T>,
    { restart = false, target = null }: { restart?: boolean; target?: Target } = {},
  ): Promise<T> {
    const { result } = await this.gate.swap(this.#drainDeadlineMs, async () => {
      const neutral = !this.isRunning(target);
      const app = neutral ? this.#neutral(target) : this.facet(target);
      try {
        return await work(app);
      } finally {
        if (neutral || restart) this.#stop(target, `${label} done`);
      }
    });
    return result;
  }

  /** Stops the instance of `target`'s facet (its database stays); the next call starts the code anew. */
  #stop(target: Target, reason: string): void {
    const name = this.#facetName(target);
    this.#ctx.facets.abort(name, new Error(reason));
    this.#running.delete(name);
    this.generation++;
  }

  /** Stops every running instance: the App's facet, and each object's. */
  #stopAll(reason: string): void {
    this.#ctx.facets.abort(this.source.facet, new Error(reason));
    for (const name of this.#running.keys()) {
      if (name !== this.source.facet) this.#ctx.facets.abort(name, new Error(reason));
    }
    this.#running.clear();
    this.#pinned = null;
    this.generation++;
  }

  /**
   * Drops the app's data (the Data view's Reset): a swap that runs `beforeAbort` (a snapshot) while
   * the old instance stands, then deletes the facet with its database (every table and storage.kv
   * pair); the next request starts the code on an empty database.
   */
  async deleteData(version: number | null, reason: string, beforeAbort?: () => Promise<void>): Promise<void> {
    await this.swap(version, reason, {
      beforeAbort,
      afterAbort: () => this.#deleteDatabases(),
    });
  }

  /**
   * Ends the app for good: waits for what is in flight as a swap does, closes its sockets and
   * deletes the facet with its database (a discarded draft).
   */
  async remove(reason: string): Promise<void> {
    await this.swap(null, reason, {
      afterAbort: () => this.#deleteDatabases(),
    });
  }

  /** Deletes the App's database and every object's (with their rows in the registry). */
  #deleteDatabases(): void {
    this.#ctx.facets.delete(this.source.facet);
    for (const { id } of this.objects.list()) this.#ctx.facets.delete(this.source.objectFacet(id));
    this.objects.clear();
  }

  /**
   * Deletes one object of a Worker project with its database, while nothing runs in the app (the
   * gate is held as in a swap); the next call to it makes it anew, empty.
   */
  async deleteObject(ref: ObjectRef, reason: string): Promise<void> {
    await this.gate.swap(this.#drainDeadlineMs, () => {
      const name = this.#facetName(ref);
      this.#ctx.facets.abort(name, new Error(reason));
      this.#running.delete(name);
      this.#ctx.facets.delete(name);
      this.objects.remove(ref.id);
    });
  }
}

function isStartFailure(error: unknown): boolean {
  return String(error).includes("Failed to start");
}
