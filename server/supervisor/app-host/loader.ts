/**
 * Loads a project's code with the Worker Loader: the sandbox every version runs in (the network only
 * through the project's gateway, the project's variables and its bridges in `env`, Cloudflare's limits once deployed), the
 * cache key that names a version, the secret its wrapper marks its reports with (app-channel.ts),
 * and the probe that proves new code starts before it goes live.
 */
import type { Diagnostic } from "../../../shared/api";
// How the activity markers name the draft's code (its verdicts too: versions/verdicts.ts).
import {
  beaconMagic,
  DRAFT_MARK,
  isMarkerKey,
  MARKER_BEACONS_VARIABLE,
  MARKER_KEY_VARIABLE,
  markerTag,
} from "../../../shared/launcher-contract.mjs";
import type { PackageLock } from "../../../shared/packages";
import { ALARM_BINDING, type GuardMarkers, LOG_BINDING, OBJECTS_BINDING, PROBE_HOST } from "../../app-runtime/protocol";
import { checkProbeReport } from "../../app-runtime/protocol-checks";
import { packageBundler } from "../../packages/bundler";
import emptyApp from "../../templates/empty/app.ts?raw";
import type { Metering } from "../metering/metering";
import type { NetworkPolicies } from "../network/network-policy";
import type { SupervisorStore } from "../versions/store";
import { channelSecret, readJsonBounded } from "./app-channel";
import { notAnAppDiagnostic, workerProjectDiagnostics } from "./app-model";
import { type CompiledApp, compileProject, loadable } from "./compile/compile";
import type { Bundler } from "./compile/packages";
import { diagnosticsFromError } from "./errors";

const COMPATIBILITY_DATE = "2026-10-01";
/** Largest probe report read (the shapes of the exports and what the modules logged). */
const PROBE_MAX_BYTES = 256 * 1024;

/** The app a project runs before its first save, so the SQL console has a database to open. */
const EMPTY_APP = { "app.ts": emptyApp };

/** What a probe found: why the code cannot go live (if it cannot), and what its modules logged. */
export interface ProbeResult {
  diagnostics: Diagnostic[];
  startupLogs: unknown;
}

/**
 * The guard's activity markers for `projectId`'s code `codeId`, with their tag, when the launcher asked
 * for markers (its key in FACET_IDE_ACTIVITY_MARKERS; the key itself never reaches an app's env).
 */
export async function markersFor(env: Env, projectId: string, codeId: string): Promise<GuardMarkers | null> {
  const variables = env as unknown as Record<string, unknown>;
  const key = String(variables[MARKER_KEY_VARIABLE] ?? "");
  if (!isMarkerKey(key)) return null;
  const beacon = variables[MARKER_BEACONS_VARIABLE] === "1" ? await beaconMagic(key) : null;
  return { projectId, codeId, tag: await markerTag(key, projectId, codeId), beacon };
}

export class AppLoader {
  #ctx: DurableObjectState;
  #env: Env;
  #store: SupervisorStore;
  #metering: Metering;
  #network: NetworkPolicies;
  /** Channel secrets by cache key (derived, so the same after the supervisor restarts). */
  #channels = new Map<string, Promise<string>>();

  constructor(ctx: DurableObjectState, env: Env, store: SupervisorStore, metering: Metering, network: NetworkPolicies) {
    this.#ctx = ctx;
    this.#env = env;
    this.#store = store;
    this.#metering = metering;
    this.#network = network;
  }

  /** The project's variables the app sees: all but the secrets its network policy injects (network/). */
  #appValues(): Record<string, string> {
    const withheld = this.#network.withheld();
    const { values } = this.#store.appEnv();
    return Object.fromEntries(Object.entries(values).filter(([name]) => !withheld.has(name)));
  }

  /**
   * A loaded worker for `codeId`; `modules` is only compiled when the loader has no isolate for it.
   * The loader caches by ID (a failed start included), so an ID names content: the project, a hash
   * of the code and, since `env` and the limits are part of what it caches, a hash of the env and
   * the limits the code is loaded with. Changing a variable or one of those limits loads the same
   * code afresh without a save.
   */
  load(codeId: string, compile: () => Promise<CompiledApp>, { draft = false } = {}): WorkerStub {
    const projectId = this.#store.project?.id ?? "";
    const values = this.#appValues();
    const limits = this.#metering.limits;
    const key = this.#cacheKey(codeId, draft);
    return this.#env.LOADER.get(key, async () => {
      const compiled = await compile();
      const { config } = compiled;
      return {
        compatibilityDate: COMPATIBILITY_DATE,
        ...loadable(compiled, {
          channel: await this.channel(codeId, draft),
          markers: await markersFor(this.#env, projectId, `${codeId}${draft ? DRAFT_MARK : ""}`),
        }),
        env: {
          // A Worker project's vars, under the project's own variables (set in the IDE, like secrets).
          ...config?.vars,
          ...values,
          // A Worker project's Durable Object namespaces call back into this supervisor (app-runtime/objects/objects.ts).
          ...(config
            ? {
                [OBJECTS_BINDING]: this.#ctx.exports.ObjectBridge({
                  props: { projectId, draft } satisfies ObjectBridgeProps,
                }),
              }
            : {}),
          [ALARM_BINDING]: this.#ctx.exports.AlarmBridge({ props: { projectId, draft } satisfies AlarmBridgeProps }),
          [LOG_BINDING]: this.#ctx.exports.LogBridge({ props: { projectId, codeId, draft } satisfies LogBridgeProps }),
          // The draft gets the database size limit but no meter: its traffic is not the app's.
          ...this.#metering.appEnv(
            draft ? null : () => this.#ctx.exports.MeterBridge({ props: { projectId } satisfies MeterBridgeProps }),
          ),
        },
        // Every fetch() and WebSocket of the app goes through the project's gateway (network/).
        globalOutbound: this.#ctx.exports.Gateway({ props: { projectId, draft } satisfies GatewayProps }),
        // Enforced by Cloudflare once deployed; local workerd ignores them (see docs/platform.md).
        limits: { cpuMs: limits.current.cpuMs, subRequests: limits.current.subRequests },
      };
    });
  }

  /**
   * The loader's cache key. The draft's isolate is its own even for the same code: its bridges reach
   * the draft's alarm and mark its log lines, and module state is not shared with the live app.
   */
  #cacheKey(codeId: string, draft: boolean): string {
    return `${codeId}${draft ? DRAFT_MARK : ""}:env-${this.#store.appEnv().hash}:limits-${this.#metering.limits.loadedKey()}${this.#withheldKey()}`;
  }

  /** The secrets withheld from the env, in the cache key since the env is (none: nothing added). */
  #withheldKey(): string {
    const withheld = [...this.#network.withheld()].sort();
    return withheld.length === 0 ? "" : `:withheld-${withheld.join(",")}`;
  }

  /** The secret the wrapper of this code's load marks its reports with (app-channel.ts). */
  channel(codeId: string, draft = false): Promise<string> {
    const key = this.#cacheKey(codeId, draft);
    let secret = this.#channels.get(key);
    if (!secret) {
      if (this.#channels.size > 1_000) this.#channels.clear();
      secret = channelSecret(this.#store.channelKey(), key);
      this.#channels.set(key, secret);
    }
    return secret;
  }

  /** The live version's worker (an empty App before the first save). */
  current(): WorkerStub {
    const current = this.#store.currentVersion();
    return current ? this.stored(current) : this.neutral();
  }

  /**
   * A stored version's (or the draft's) worker, compiled again if the loader has no isolate for it,
   * with the packages of its lock (the draft has none of its own: the live version's fit it).
   */
  stored(
    { codeId, files, main, lock }: { codeId: string; files: Record<string, string>; main: string; lock?: PackageLock },
    draft = false,
  ) {
    return this.load(
      codeId,
      async () => {
        const kept = lock ?? this.#store.currentVersion()?.lock ?? null;
        const compiled = await compileProject(files, main, this.bundler(kept));
        if (!compiled.ok) throw new Error(`stored code no longer compiles: ${compiled.diagnostics[0]?.message}`);
        return compiled;
      },
      { draft },
    );
  }

  /** Installs the packages a compile imports, keeping `lock` where it fits (server/packages/bundler.ts). */
  bundler(lock: PackageLock | null): Bundler {
    return packageBundler(this.#env, lock);
  }

  /** An App with no code of its own: it runs no user code, so a database can be measured or loaded under it. */
  neutral(): WorkerStub {
    return this.stored({ codeId: this.neutralCodeId(), files: EMPTY_APP, main: "app.ts" });
  }

  neutralCodeId(): string {
    return `${this.#store.project?.id}:empty`;
  }

  /**
   * Loads new code under its code ID and checks that its modules evaluate and export a Durable Object
   * class, without touching the running facet. The isolate stays cached for the swap that follows.
   */
  async probe(
    codeId: string,
    compiled: CompiledApp,
    requestedMain: string,
    files: Record<string, string>,
    draft = false,
  ): Promise<ProbeResult> {
    const { config } = compiled;
    const main = config?.main ?? requestedMain;
    const mainSource = files[main] ?? "";
    try {
      const response = await this.load(codeId, async () => compiled, { draft })
        .getEntrypoint()
        .fetch(`http://${PROBE_HOST}/`);
      // The app's code ran first and may have replaced what the wrapper answers with: read it bounded and checked.
      const report = checkProbeReport(await readJsonBounded(response, PROBE_MAX_BYTES));
      if (!report) {
        const message = `${main} did not start as an app: the wrapper's report could not be read (did the code replace Response.json?)`;
        return { diagnostics: [{ file: main, line: 1, column: 1, message }], startupLogs: [] };
      }
      if (config) {
        const diagnostics = workerProjectDiagnostics(config, mainSource, files[config.file] ?? "", report.shapes);
        return { diagnostics, startupLogs: report.logs };
      }
      if (report.isDurableObject) return { diagnostics: [], startupLogs: report.logs };
      return { diagnostics: [notAnAppDiagnostic(main, mainSource, report.shapes)], startupLogs: report.logs };
    } catch (error) {
      return { diagnostics: diagnosticsFromError(error, main, Object.keys(files)), startupLogs: [] };
    }
  }
}
