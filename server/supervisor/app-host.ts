/**
 * Runs the project's app: loads the current version with the Worker Loader, starts it as the facet
 * "app", forwards requests to it, swaps versions through the SwapGate, and runs console SQL in it.
 */
import { type Diagnostic, LIMITS } from "../../shared/api";
import type { NewLogEntry } from "../../shared/logs";
import type { SqlParam, SqlResult } from "../../shared/sql";
import { appLogEntries, appLogEntriesOf, LOG_BINDING } from "./app-logs";
import { notAnAppDiagnostic, ProbeReport } from "./app-model";
import { cutOffResponse, forClient, hungResponse, noCodeResponse, withVersion } from "./app-responses";
import { compileProject, type LoadableCode } from "./compile";
import { appErrorResponse, diagnosticsFromError, type ThrownError, thrownError } from "./errors";
import type { SupervisorStore } from "./store";
import { cutOffError, cutOffMessage, drainDeadlineMs, SwapGate } from "./swap-gate";
import {
  ALARM_BINDING,
  ALARM_METHOD,
  type AlarmOutcome,
  CLOSE_SOCKETS_METHOD,
  EXCEPTION_HEADER,
  PROBE_HOST,
  SQL_METHOD,
} from "./wrapper";

const FACET = "app";
const COMPATIBILITY_DATE = "2026-10-01";
/** Enforced by Cloudflare once deployed; local workerd ignores them (see "Limits and safety"). */
const LIMITS_DEPLOYED = { cpuMs: 5_000, subRequests: 50 };

/** The app a project runs before its first save, so the SQL console has a database to open. */
const EMPTY_APP = {
  "app.ts": `import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject {}`,
};

type AppStub = Fetcher & {
  [SQL_METHOD](sql: string, params: unknown[], maxRows: number): Promise<SqlResult>;
  [ALARM_METHOD](info: AlarmInvocationInfo): Promise<AlarmOutcome>;
  [CLOSE_SOCKETS_METHOD](code: number, reason: string): Promise<number>;
};

/** What a probe found: why the code cannot go live (if it cannot), and what its modules logged. */
export interface ProbeResult {
  diagnostics: Diagnostic[];
  startupLogs: unknown;
}

/** Close code for sockets the app held when its code was replaced: "Service Restart" (RFC 6455 registry). */
export const SWAP_CLOSE_CODE = 1012;

export class AppHost {
  readonly gate = new SwapGate();
  #ctx: DurableObjectState;
  #env: Env;
  #store: SupervisorStore;
  #log: (entries: NewLogEntry[]) => void;
  /** Whether the app returned a WebSocket since the last swap (else a swap has no sockets to close). */
  #appHoldsSockets = false;
  /** How long a swap waits for requests in flight before cutting them off. */
  #drainDeadlineMs: number;

  constructor(ctx: DurableObjectState, env: Env, store: SupervisorStore, log: (entries: NewLogEntry[]) => void) {
    this.#ctx = ctx;
    this.#env = env;
    this.#store = store;
    this.#log = log;
    this.#drainDeadlineMs = drainDeadlineMs(env.SWAP_DRAIN_DEADLINE_MS);
  }

  /**
   * A loaded worker for `codeId`; `modules` is only compiled when the loader has no isolate for it.
   * The loader caches by ID, and `env` is part of what it caches, so the ID carries the env's hash:
   * changing a variable loads the same code afresh without a save.
   */
  #worker(codeId: string, modules: () => Promise<LoadableCode>): WorkerStub {
    const projectId = this.#store.project?.id ?? "";
    const { values, hash } = this.#store.appEnv();
    return this.#env.LOADER.get(`${codeId}:env-${hash}`, async () => ({
      compatibilityDate: COMPATIBILITY_DATE,
      ...(await modules()),
      env: {
        ...values,
        [ALARM_BINDING]: this.#ctx.exports.AlarmBridge({ props: { projectId } satisfies AlarmBridgeProps }),
        [LOG_BINDING]: this.#ctx.exports.LogBridge({ props: { projectId, codeId } satisfies LogBridgeProps }),
      },
      globalOutbound: null,
      limits: LIMITS_DEPLOYED,
    }));
  }

  #currentCode(): { codeId: string; files: Record<string, string>; main: string } {
    const current = this.#store.currentVersion();
    if (current) return current;
    return { codeId: `${this.#store.project?.id}:empty`, files: EMPTY_APP, main: "app.ts" };
  }

  #facet(): AppStub {
    return this.#ctx.facets.get(FACET, () => {
      const { codeId, files, main } = this.#currentCode();
      const worker = this.#worker(codeId, async () => {
        const compiled = await compileProject(files, main);
        if (!compiled.ok) throw new Error(`stored code no longer compiles: ${compiled.diagnostics[0]?.message}`);
        return compiled;
      });
      return { class: worker.getDurableObjectClass("App") };
    }) as unknown as AppStub;
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
   * Loads new code under its code ID and checks that its modules evaluate and export a Durable Object
   * class, without touching the running facet. The isolate stays cached for the swap that follows.
   */
  async probe(codeId: string, compiled: LoadableCode, main: string, mainSource: string): Promise<ProbeResult> {
    try {
      const response = await this.#worker(codeId, async () => compiled)
        .getEntrypoint()
        .fetch(`http://${PROBE_HOST}/`);
      const report = ProbeReport.parse(await response.json());
      if (report.isDurableObject) return { diagnostics: [], startupLogs: report.logs };
      return { diagnostics: [notAnAppDiagnostic(main, mainSource, report.shapes)], startupLogs: report.logs };
    } catch (error) {
      return { diagnostics: diagnosticsFromError(error, main), startupLogs: [] };
    }
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
    return this.gate.run("alarm()", () => this.#facet()[ALARM_METHOD](info));
  }

  async sql(query: string, params: SqlParam[]): Promise<SqlResult> {
    const values = params.map((p) => (typeof p === "boolean" ? Number(p) : p));
    return this.gate.run("SQL console query", () => this.#facet()[SQL_METHOD](query, values, LIMITS.sqlMaxRows));
  }
}

function isStartFailure(error: unknown): boolean {
  return String(error).includes("Failed to start");
}
