/**
 * Runs the project's app: starts the live version (loader.ts) as the facet "app", forwards requests
 * to it, swaps versions through the SwapGate, and lets the SQL console and alarms in through the
 * same gate.
 */
import type { NewLogEntry } from "../../shared/logs";
import type { SqlResult } from "../../shared/sql";
import { EXCEPTION_HEADER } from "../internal";
import { appLogEntries, appLogEntriesOf } from "./app-logs";
import { cutOffResponse, forClient, hungResponse, noCodeResponse, withVersion } from "./app-responses";
import { appErrorResponse, type ThrownError, thrownError } from "./errors";
import type { AppLoader } from "./loader";
import { SQL_METHOD } from "./sql-console";
import type { SupervisorStore } from "./store";
import { cutOffError, cutOffMessage, drainDeadlineMs, SwapGate } from "./swap-gate";
import { ALARM_METHOD, type AlarmOutcome, CLOSE_SOCKETS_METHOD } from "./wrapper";

const FACET = "app";

/** The running app as the supervisor calls it: the wrapper's methods (wrapper.ts) besides fetch. */
type AppStub = Fetcher & {
  [SQL_METHOD](sql: string, params: unknown[], maxRows: number): Promise<SqlResult>;
  [ALARM_METHOD](info: AlarmInvocationInfo): Promise<AlarmOutcome>;
  [CLOSE_SOCKETS_METHOD](code: number, reason: string): Promise<number>;
};

/** Close code for sockets the app held when its code was replaced: "Service Restart" (RFC 6455 registry). */
const SWAP_CLOSE_CODE = 1012;

export class AppHost {
  readonly gate = new SwapGate();
  #ctx: DurableObjectState;
  #env: Env;
  #store: SupervisorStore;
  #loader: AppLoader;
  #log: (entries: NewLogEntry[]) => void;
  /** Whether the app returned a WebSocket since the last swap (else a swap has no sockets to close). */
  #appHoldsSockets = false;
  /** How long a swap waits for requests in flight before cutting them off. */
  #drainDeadlineMs: number;

  constructor(
    ctx: DurableObjectState,
    env: Env,
    store: SupervisorStore,
    loader: AppLoader,
    log: (entries: NewLogEntry[]) => void,
  ) {
    this.#ctx = ctx;
    this.#env = env;
    this.#store = store;
    this.#loader = loader;
    this.#log = log;
    this.#drainDeadlineMs = drainDeadlineMs(env.SWAP_DRAIN_DEADLINE_MS);
  }

  #facet(): AppStub {
    return this.#ctx.facets.get(FACET, () => ({
      class: this.#loader.current().getDurableObjectClass("App"),
    })) as unknown as AppStub;
  }

  async serve(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname + url.search;
    const pass = await this.gate.enter(`${request.method} ${path}`);
    let handedOff = false;
    try {
      const version = this.#store.project?.currentVersion ?? null;
      if (version === null) return noCodeResponse(this.#store.project?.id ?? "");
      const hung = this.#store.project?.hung;
      if (hung && hung.version === version) return hungResponse(hung.detail, version);
      // Recorded before the app runs, so that if it freezes the runtime, the launcher can tell which
      // version and request did it, and that version is not run again after the restart.
      this.#store.recordRequestStart(request.method, path, version);
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
          this.#log([requestLine(503, "cut off")]);
          return withVersion(cutOffResponse(cutBy), version);
        }
        const line = requestLine(500, "exception");
        return this.#thrown(thrownError(error), request, version, [line], isStartFailure(error));
      }
      if (response.headers.has(EXCEPTION_HEADER)) {
        const thrown = (await response.json()) as ThrownError & { logs?: unknown };
        const lines = appLogEntries(thrown.logs, version) ?? [];
        return this.#thrown(thrown, request, version, [requestLine(500, "exception"), ...lines]);
      }
      handedOff = true;
      this.#log([requestLine(response.status, "ok"), ...appLogEntriesOf(response, version)]);
      if (response.webSocket) this.#appHoldsSockets = true;
      return forClient(response, version, pass);
    } finally {
      if (!handedOff) pass.release();
    }
  }

  #thrown(
    error: ThrownError,
    request: Request,
    version: number,
    before: NewLogEntry[],
    startFailure = false,
  ): Response {
    this.#log([
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
    return withVersion(appErrorResponse(error, request, this.#env.ENVIRONMENT === "development"), version);
  }

  /**
   * Makes what the store holds now (a new version, or new env vars) live: waits for requests in
   * flight (up to the drain deadline), cuts off what is still running then, and restarts the facet.
   */
  async swap(version: number | null, reason = `The app was replaced by v${version}`): Promise<void> {
    let socketsClosed = 0;
    const deadline = this.#drainDeadlineMs;
    const { cutOff } = await this.gate.swap(deadline, async (cutOff) => {
      // Before the abort: a body cut by the abort itself could end as if it were complete.
      for (const pass of cutOff) pass.onCut?.(cutOffError(pass, deadline, reason));
      if (this.#appHoldsSockets) {
        socketsClosed = await this.#facet()
          [CLOSE_SOCKETS_METHOD](SWAP_CLOSE_CODE, reason.slice(0, 120))
          .catch(() => 0);
      }
      this.#appHoldsSockets = false;
      this.#ctx.facets.abort(FACET, new Error(reason));
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
    const project = this.#store.project;
    if (project?.hung && project.hung.version === project.currentVersion) {
      return {
        ok: false,
        name: "Error",
        message: `v${project.currentVersion} froze the runtime and does not run`,
        stack: "",
      };
    }
    if (project?.currentVersion != null) this.#store.recordRequestStart("ALARM", "alarm()", project.currentVersion);
    return this.inApp("alarm()", (app) => app[ALARM_METHOD](info));
  }

  /** Runs `work` on the running app as a request would run (through the swap gate), under `label`. */
  inApp<T>(label: string, work: (app: AppStub) => Promise<T>): Promise<T> {
    return this.gate.run(label, () => work(this.#facet()));
  }
}

function isStartFailure(error: unknown): boolean {
  return String(error).includes("Failed to start");
}
