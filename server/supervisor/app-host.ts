/**
 * Runs one of the project's apps: the live one (facet "app") or the draft (facet "draft"). Starts
 * the code its source names (loader.ts), forwards requests to it, swaps versions through the
 * SwapGate, and lets the SQL console, dumps and alarms in through the same gate.
 */
import type { LogEntry, NewLogEntry } from "../../shared/logs";
import { AlarmOutcomeReport, isThrownReport, linesOnResponse, readThrownReport, within } from "./app-channel";
import { appLogEntries, HEADER_MAX_LINES } from "./app-logs";
import { METER_METHOD } from "./app-meter";
import { cutOffResponse, forClient, withVersion } from "./app-responses";
import { KV_METHOD, type KvCall } from "./data/kv-method";
import { DATA_SIZE_METHOD, type DumpableApp } from "./dump";
import { appErrorResponse, type ThrownError, thrownError } from "./errors";
import { SQL_METHOD } from "./sql-console";
import { cutOffError, cutOffMessage, drainDeadlineMs, SwapGate } from "./swap-gate";
import { ALARM_METHOD, type AlarmOutcome, CLOSE_SOCKETS_METHOD } from "./wrapper";

/**
 * The running app as the supervisor calls it: the wrapper's methods (wrapper.ts) besides fetch. What
 * they return comes from the app's isolate, so it is checked before use (app-channel.ts).
 */
export type AppStub = Fetcher &
  DumpableApp & {
    [SQL_METHOD](sql: string, params: unknown[], maxRows: number): Promise<unknown>;
    /** Checked by data/data-browser.ts. */
    [KV_METHOD](call: KvCall): Promise<unknown>;
    [ALARM_METHOD](info: AlarmInvocationInfo): Promise<unknown>;
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
  /** The secret its wrapper marks its reports with (app-channel.ts). */
  channel(): Promise<string>;
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
  /** Whether the facet's instance has started since it was last stopped (its start callback ran). */
  #started = false;
  /** Whether the app returned a WebSocket since the last swap (else a swap has no sockets to close). */
  #appHoldsSockets = false;
  /** How long a swap waits for requests in flight before cutting them off. */
  #drainDeadlineMs: number;
  /** Takes what the app's meter reports when a swap asks it before stopping the app (the live app's). */
  onMeterReport: ((report: unknown) => void) | null = null;

  /** Counts facet restarts (swaps, resets): SQLite's total_changes() starts again at each. */
  generation = 0;

  /** `log` stores lines and hands back what it stored (with seq), which serve()'s `observe` gets. */
  constructor(ctx: DurableObjectState, env: Env, source: AppSource, log: (entries: NewLogEntry[]) => LogEntry[]) {
    this.#ctx = ctx;
    this.#env = env;
    this.source = source;
    this.#log = (entries) => {
      const { draft } = source.marks();
      return log(draft === undefined ? entries : entries.map((e) => ({ ...e, draft })));
    };
    this.#drainDeadlineMs = drainDeadlineMs(env.SWAP_DRAIN_DEADLINE_MS);
  }

  #facet(): AppStub {
    return this.#ctx.facets.get(this.source.facet, () => {
      this.#started = true;
      return { class: this.source.worker().getDurableObjectClass("App") };
    }) as unknown as AppStub;
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
      let cutBy: Error | null = null;
      pass.stage = "no response yet";
      pass.onCut = (reason) => {
        cutBy = reason;
      };
      let response: Response;
      try {
        response = await this.#facet().fetch(request);
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
      const secret = await this.source.channel();
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
      if (response.webSocket) this.#appHoldsSockets = true;
      return forClient(response, header, pass);
    } finally {
      if (!handedOff) pass.release();
    }
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
      if (this.#appHoldsSockets) {
        // The app's code may never answer (or answer nonsense): the swap goes on regardless.
        const closing = this.#facet()
          [CLOSE_SOCKETS_METHOD](SWAP_CLOSE_CODE, reason.slice(0, 120))
          .then((n) => (typeof n === "number" && Number.isSafeInteger(n) ? n : 0))
          .catch(() => 0);
        socketsClosed = await within(closing, CLOSE_SOCKETS_TIMEOUT_MS, () => 0);
      }
      this.#appHoldsSockets = false;
      // What the app's meter counted since its last report would go with the instance.
      if (this.#started && this.onMeterReport) this.onMeterReport(await this.#meterOf(this.#facet()));
      try {
        await data.beforeAbort?.();
      } finally {
        this.#stop(reason);
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

  /** Runs the app's alarm() handler, as a request would run (through the swap gate). */
  async runAlarm(info: AlarmInvocationInfo): Promise<AlarmOutcome> {
    const refusal = this.source.refusal();
    if (refusal) return { ok: false, name: "Error", message: (await refusal.text()).trim(), stack: "" };
    const outcome = await this.inApp("alarm()", (app) => app[ALARM_METHOD](info));
    const parsed = AlarmOutcomeReport.safeParse(outcome);
    if (parsed.success) return parsed.data;
    return { ok: false, name: "Error", message: "alarm() finished, but its outcome could not be read", stack: "" };
  }

  /** What the app's meter counted since its last report; null if the app is not running or does not answer. */
  async takeMeterReport(): Promise<unknown> {
    if (!this.#started) return null;
    return this.inApp("meter", (app) => this.#meterOf(app));
  }

  #meterOf(app: AppStub): Promise<unknown> {
    return within(
      app[METER_METHOD]().catch(() => null),
      METER_TIMEOUT_MS,
      () => null,
    );
  }

  /** Runs `work` on the running app as a request would run (through the swap gate), under `label`. */
  inApp<T>(label: string, work: (app: AppStub) => Promise<T>): Promise<T> {
    return this.gate.run(label, () => work(this.#facet()));
  }

  /**
   * The database's size in bytes. Asked of the running instance when there is one (cheap); else the
   * database is opened under the neutral code, so no user code runs (a version that froze the
   * runtime included), and closed again. Call it where nothing else runs the facet (inside a swap).
   */
  async dataSize(): Promise<number> {
    if (this.#started) return this.#facet()[DATA_SIZE_METHOD]();
    try {
      return await this.#neutral()[DATA_SIZE_METHOD]();
    } finally {
      this.#stop("measured");
    }
  }

  /**
   * The database's size, asked outside a swap: of the running instance as a request would ask, or
   * (when none runs, so no request is in flight) under the neutral code while the gate is held.
   */
  async dataSizeNow(): Promise<number> {
    if (this.#started) return this.inApp("data size", (app) => app[DATA_SIZE_METHOD]());
    return this.withDatabase("data size", (app) => app[DATA_SIZE_METHOD]());
  }

  /** The facet under the neutral code; only where nothing else starts it (the gate is held). */
  #neutral(): AppStub {
    return this.#ctx.facets.get(this.source.facet, () => ({
      class: this.source.neutral().getDurableObjectClass("App"),
    })) as unknown as AppStub;
  }

  /**
   * Runs `work` on the app's database while no request runs in it (the gate is held as in a swap,
   * after waiting up to the drain deadline for requests in flight): on the running instance when
   * there is one, else under the neutral code, so no user code runs (a version that froze the
   * runtime included). `restart`: stop the instance afterwards, so the next request starts the
   * code on what `work` wrote.
   */
  async withDatabase<T>(label: string, work: (app: AppStub) => Promise<T>, { restart = false } = {}): Promise<T> {
    const { result } = await this.gate.swap(this.#drainDeadlineMs, async () => {
      const neutral = !this.#started;
      const app = neutral ? this.#neutral() : this.#facet();
      try {
        return await work(app);
      } finally {
        if (neutral || restart) this.#stop(`${label} done`);
      }
    });
    return result;
  }

  /** Stops the facet's instance (its database stays); the next request starts the code anew. */
  #stop(reason: string): void {
    this.#ctx.facets.abort(this.source.facet, new Error(reason));
    this.#started = false;
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
      afterAbort: () => this.#ctx.facets.delete(this.source.facet),
    });
  }

  /**
   * Ends the app for good: waits for what is in flight as a swap does, closes its sockets and
   * deletes the facet with its database (a discarded draft).
   */
  async remove(reason: string): Promise<void> {
    await this.swap(null, reason, {
      afterAbort: () => this.#ctx.facets.delete(this.source.facet),
    });
  }
}

function isStartFailure(error: unknown): boolean {
  return String(error).includes("Failed to start");
}
