/**
 * Runs one of the project's apps: the live one (facet "app") or the draft (facet "draft"), whose
 * code its source names (app-source.ts). Lets everything that touches the app in through one swap
 * gate: requests (app-serve.ts), swaps (app-swap.ts), a Worker project's calls to its objects
 * (request-calls.ts), alarms, the SQL console, dumps and database sizes. The facets themselves
 * (started, pinned to a generation's code, stopped) are app-facets.ts's.
 *
 * What it needs of other capabilities comes in at construction, each as a narrow interface: the
 * log (a function), the objects it runs (HostedObjects, the objects registry's), and the live app's
 * meter (AppMeter, metering's; none for the draft). Tables: none (the app's data is its facet's
 * database; the app-host's alarm tables are app-alarms.ts's).
 */
import type { LogEntry, NewLogEntry } from "../../../shared/logs";
import type { ObjectInfo } from "../../../shared/objects";
import { ALARM_METHOD, type AlarmOutcome, DATA_SIZE_METHOD, type ObjectRef } from "../../app-runtime/protocol";
import { failure, type Outcome, success } from "../../outcome";
import { drainDeadlineMs, type GatePass, SwapGate } from "../versions/swap-gate";
import { AlarmOutcomeReport, within } from "./app-channel";
import { AppFacets } from "./app-facets";
import { type ServingParts, serveRequest } from "./app-serve";
import type { AppSource } from "./app-source";
import type { AppStub, Target } from "./app-stub";
import { readMeter, type SwapData, type SwapParts, swapApp } from "./app-swap";
import { RequestCalls, type RequestObserver } from "./request-calls";

/** How long a save waits for the new App's constructor before it lets the version go live. */
const FIRST_START_WAIT_MS = 5_000;

// The SQL console (console/sql-console.ts) and the handle name these through this module.
export type { AppStub, Target } from "./app-stub";

/** A Worker project's objects as the host that runs them needs them (the objects registry, objects.ts). */
export interface HostedObjects {
  list(): ObjectInfo[];
  ref(id: string): ObjectRef | null;
  /** The object `selector` names (its ID, Class:name or name); without one, the one the app uses most. */
  resolve(selector: string | undefined): { ok: true; ref: ObjectRef } | { ok: false; message: string };
  setBytes(id: string, bytes: number): void;
  remove(id: string): void;
  clear(): void;
}

/** The live app's meter (metering.ts): what its isolate reports, and how long something runs inside it. */
export interface AppMeter {
  appReport(report: unknown): void;
  busy(busy: boolean): void;
}

export class AppHost {
  readonly source: AppSource;
  #gate = new SwapGate();
  #facets: AppFacets;
  #calls: RequestCalls;
  #objects: HostedObjects;
  #log: (entries: NewLogEntry[]) => LogEntry[];
  #serving: ServingParts;
  #swapping: SwapParts;
  /** How long a swap waits for requests in flight before cutting them off. */
  #drainDeadlineMs: number;

  /**
   * `log` stores lines and hands back what it stored (with seq), which serve()'s `observe` gets;
   * `objects`: the objects this app runs (a Worker project's); `meter`: the live app's meter.
   */
  constructor(
    ctx: DurableObjectState,
    env: Env,
    source: AppSource,
    log: (entries: NewLogEntry[]) => LogEntry[],
    objects: HostedObjects,
    meter: AppMeter | null,
  ) {
    this.source = source;
    this.#objects = objects;
    this.#facets = new AppFacets(ctx, source);
    this.#calls = new RequestCalls(this.#gate);
    this.#log = (entries) => {
      const { draft } = source.marks();
      return log(draft === undefined ? entries : entries.map((e) => ({ ...e, draft })));
    };
    this.#drainDeadlineMs = drainDeadlineMs(env.SWAP_DRAIN_DEADLINE_MS);
    if (meter) this.#gate.onBusyChange = (busy) => meter.busy(busy);
    this.#serving = {
      gate: this.#gate,
      source,
      facets: this.#facets,
      calls: this.#calls,
      log: this.#log,
      showErrors: env.ENVIRONMENT === "development",
    };
    this.#swapping = {
      gate: this.#gate,
      facets: this.#facets,
      drainDeadlineMs: this.#drainDeadlineMs,
      meterReport: meter ? (report) => meter.appReport(report) : null,
      log: this.#log,
    };
  }

  /** Counts facet restarts (swaps, resets): SQLite's total_changes() starts again at each. */
  get generation(): number {
    return this.#facets.generation;
  }

  /** The facet of `target` (the App's, or an object's), started with the current code if it is not running. */
  facet(target: Target = null): AppStub {
    return this.#facets.get(target);
  }

  /** Stores lines about this app (marked as the draft's for the draft) and hands back what it stored. */
  log(entries: NewLogEntry[]): LogEntry[] {
    return this.#log(entries);
  }

  /** The secret of the code this generation runs (app-facets.ts). */
  channel(): Promise<string> {
    return this.#facets.channel();
  }

  /**
   * The facet a tool means: an App project's App (no `object`), or a Worker project's object named by
   * `object` (its ID, Class:name, or a name one object has), the one the app uses most without it.
   */
  target(object: string | undefined): Outcome<Target> {
    if (this.source.config() === null) {
      if (object === undefined) return success(null);
      return failure(
        "bad_request",
        "This is an App project (no wrangler.jsonc): its one object is the App, so leave object out",
      );
    }
    const found = this.#objects.resolve(object);
    return found.ok ? success(found.ref) : failure("not_found", found.message);
  }

  /** Whether `target`'s facet has started since it was last stopped. */
  isRunning(target: Target = null): boolean {
    return this.#facets.isRunning(target);
  }

  /** Notes that `target`'s facet handed a WebSocket out, so a swap closes what it holds. */
  holdsSockets(target: Target): void {
    this.#facets.holdsSockets(target);
  }

  /**
   * Enters the gate for work on the app: as part of the request `call` names when that request is
   * still inside (a Worker's call to one of its objects), else as a request (request-calls.ts).
   */
  enter(label: string, call: string | null): Promise<GatePass> {
    return this.#calls.enter(label, call);
  }

  /** The observer of the request `call` names, while it is inside (request-calls.ts). */
  observer(call: string | null): RequestObserver | undefined {
    return this.#calls.observer(call);
  }

  /** Runs `request` on the app (app-serve.ts); `observe` gets the lines logged for it as they are stored. */
  serve(request: Request, observe?: RequestObserver): Promise<Response> {
    return serveRequest(this.#serving, request, observe);
  }

  /**
   * Makes what the store holds now (a new version, or new env vars) live (app-swap.ts); `data`
   * changes the database on the way, while nothing runs.
   */
  swap(version: number | null, reason = `The app was replaced by v${version}`, data: SwapData = {}): Promise<void> {
    return swapApp(this.#swapping, version, reason, data);
  }

  /**
   * Starts the App on the code the store names now, while a swap holds every request back, so that a
   * constructor that throws is seen before anything reaches it: the error (with the app's frames in
   * its message, app-class.ts), and every facet stopped so the next start takes the code the store
   * names then; null when it started (or still starts after FIRST_START_WAIT_MS). A Worker project's objects start when they are first called,
   * each under its own name, so none is started here.
   */
  async firstStart(reason: string): Promise<unknown> {
    if (this.source.config() !== null) return null;
    try {
      // A constructor still waiting (on blockConcurrencyWhile, say) goes live as it would have
      // before this check: the gate may not stay closed on the app's word.
      await within(this.#facets.get()[DATA_SIZE_METHOD](), FIRST_START_WAIT_MS, () => 0);
      return null;
    } catch (error) {
      this.#facets.stopAll(reason);
      return error ?? new Error("The App's constructor failed");
    }
  }

  /**
   * Runs the alarm() handler of the App (or of a Worker project's object), as a request would run
   * (through the swap gate); the objects it calls run as part of it.
   */
  async runAlarm(info: AlarmInvocationInfo, target: Target = null): Promise<AlarmOutcome> {
    const refusal = this.source.refusal();
    if (refusal) return { ok: false, name: "Error", message: (await refusal.text()).trim(), stack: "" };
    const pass = await this.#gate.enter("alarm()");
    let outcome: unknown;
    try {
      const call = target ? this.#calls.register(pass) : null;
      outcome = await this.#facets.get(target)[ALARM_METHOD](info, call);
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
    const running = this.#facets.running();
    if (running.length === 0) return [];
    return this.#gate.run("meter", () => Promise.all(running.map((r) => readMeter(this.#facets.get(r.ref)))));
  }

  /**
   * Runs `work` on the running app (the App, or the object `target`) as a request would run (through
   * the swap gate), under `label`.
   */
  inApp<T>(label: string, work: (app: AppStub) => Promise<T>, target: Target = null): Promise<T> {
    return this.#gate.run(label, () => work(this.#facets.get(target)));
  }

  /**
   * The size in bytes of the database of `target` (the App's, or an object's). Asked of the running
   * instance when there is one (cheap); else the database is opened under the neutral code, so no
   * user code runs (a version that froze the runtime included), and closed again. Call it where
   * nothing else runs the facet (inside a swap).
   */
  async dataSize(target: Target = null): Promise<number> {
    if (this.#facets.isRunning(target)) return this.#facets.get(target)[DATA_SIZE_METHOD]();
    try {
      return await this.#facets.neutral(target)[DATA_SIZE_METHOD]();
    } finally {
      this.#facets.stop(target, "measured");
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
      this.#objects.list().map(async ({ id }) => {
        const ref = this.#objects.ref(id);
        if (!ref) return 0;
        const bytes = await this.dataSize(ref);
        this.#objects.setBytes(id, bytes);
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
    if (this.#facets.isRunning(target)) return this.inApp("data size", (app) => app[DATA_SIZE_METHOD](), target);
    return this.withDatabase("data size", (app) => app[DATA_SIZE_METHOD](), { target });
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
    const { result } = await this.#gate.swap(this.#drainDeadlineMs, async () => {
      const neutral = !this.#facets.isRunning(target);
      const app = neutral ? this.#facets.neutral(target) : this.#facets.get(target);
      try {
        return await work(app);
      } finally {
        if (neutral || restart) this.#facets.stop(target, `${label} done`);
      }
    });
    return result;
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
    this.#facets.deleteDatabases(this.#objects.list());
    this.#objects.clear();
  }

  /**
   * Deletes one object of a Worker project with its database, while nothing runs in the app (the
   * gate is held as in a swap); the next call to it makes it anew, empty.
   */
  async deleteObject(ref: ObjectRef, reason: string): Promise<void> {
    await this.#gate.swap(this.#drainDeadlineMs, () => {
      this.#facets.delete(ref, reason);
      this.#objects.remove(ref.id);
    });
  }
}
