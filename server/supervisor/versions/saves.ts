/**
 * Saving code, one save at a time per project so that version numbers and swaps follow the order of
 * the saves: check the code (main, content hash, compile, probe), store the version, and swap it in.
 * Every swap to a new version first snapshots the data the old version leaves (snapshots.ts).
 * Restoring a version (with or without its data) and promoting a draft are saves too, and queue here.
 *
 * The live app, the loader's probe and the snapshots are reached through narrow interfaces
 * (SaveParts), given at construction. Tables: none of its own (versions are the store's).
 */
import type { Diagnostic, PutCodeRequest, PutCodeResponse, VersionData } from "../../../shared/api";
import type { NewLogEntry } from "../../../shared/logs";
import { configFileOf, readProjectConfig } from "../../../shared/project-config";
import type { RestoreResponse } from "../../../shared/time-travel";
import type { ObjectRef } from "../../app-runtime/protocol";
import { type Failure, failure, type Outcome, success } from "../../outcome";
import { appLogEntries } from "../app-host/app-channel";
import { saveWarnings } from "../app-host/app-model";
import type { SwapData } from "../app-host/app-swap";
import { type CompiledApp, compileProject } from "../app-host/compile/compile";
import { objectLabel } from "../objects/object-reference";
import type { Cooldowns } from "./cooldowns";
import { startRefusal, withFirstStart } from "./first-start";
import { contentHash } from "./hashing";
import type { SupervisorStore } from "./store";

/** What identifies code: its main module, its content hash, and the code ID the loader caches it by. */
export interface CodeIdentity {
  main: string;
  contentHash: string;
  codeId: string;
}

/** What saves work with, each a narrow view of the capability that has it (built before them). */
export interface SaveParts {
  store: SupervisorStore;
  /** The loader (app-host/loader.ts): starts new code in a probe, without touching what runs. */
  loader: {
    probe(
      codeId: string,
      compiled: CompiledApp,
      main: string,
      files: Record<string, string>,
      draft?: boolean,
    ): Promise<{ diagnostics: Diagnostic[]; startupLogs: unknown }>;
  };
  /** The live app (app-host/app-host.ts): swapped to each new version. */
  live: {
    swap(version: number | null, reason: string, data: SwapData): Promise<void>;
    totalDataSize(): Promise<number>;
    /** Starts the App on the current code while a swap holds requests back: what it threw, or null. */
    firstStart(reason: string): Promise<unknown>;
    /** The object a restore of one object names (the tools' selector). */
    target(object: string | undefined): Outcome<ObjectRef | null>;
  };
  /** The data snapshots (time-travel/snapshots.ts): taken on each swap, restored with a version. */
  snapshots: {
    take(version: number, measure: () => Promise<number>): Promise<VersionData>;
    restorable(version: number, live: number | null): Failure | null;
    objectIn(version: number, selector: string): ObjectRef | null;
    restoreSteps(
      version: number,
      liveVersion: number | null,
      measure: () => Promise<number>,
      only: ObjectRef | null,
    ): SwapData;
    data(version: number, live: number | null): VersionData;
  };
  record(entries: NewLogEntry[]): void;
  /** After the project's code froze the runtime, saves are refused for a while (cooldowns.ts). */
  cooldowns: Cooldowns;
}

/** Code that compiled and started in a probe: ready to go live (or into the draft). */
export interface CheckedCode {
  codeId: string;
  contentHash: string;
  main: string;
  files: Record<string, string>;
  warnings: Diagnostic[];
  startupLogs: unknown;
  /** The label the version is saved with (write_code's message, a promoted draft's). */
  message?: string | null;
}

export class CodeSaves {
  #store: SaveParts["store"];
  #loader: SaveParts["loader"];
  #live: SaveParts["live"];
  #snapshots: SaveParts["snapshots"];
  #record: (entries: NewLogEntry[]) => void;
  #cooldowns: Cooldowns;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(parts: SaveParts) {
    this.#store = parts.store;
    this.#loader = parts.loader;
    this.#live = parts.live;
    this.#snapshots = parts.snapshots;
    this.#record = parts.record;
    this.#cooldowns = parts.cooldowns;
  }

  /** Runs `work` after every save queued before it. */
  queue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => {});
    return run;
  }

  /**
   * The refusal of anything that would run code again (a save, the draft's, a restore, a promotion)
   * while the project cools down after its code froze the runtime; null otherwise.
   */
  cooldownRefusal(): Failure | null {
    return this.#cooldowns.refusal("code");
  }

  save(request: PutCodeRequest): Promise<Outcome<PutCodeResponse>> {
    return this.queue(() => this.#saveNow(request));
  }

  /** The main module and content hash of `files` (main: as asked, else app.ts, else the only file). */
  async identify(files: Record<string, string>, requestedMain: string | undefined): Promise<Outcome<CodeIdentity>> {
    const project = this.#store.project;
    if (!project) return failure("not_found", "No such project");
    const names = Object.keys(files);
    // A Worker project's configuration names its main module; one that cannot be read is reported
    // by the compile step, with where in the file.
    const configFile = configFileOf(files);
    const read = configFile ? readProjectConfig(files) : null;
    const configured = read?.ok ? read.config?.main : (configFile ?? undefined);
    const main =
      configured ?? requestedMain ?? (names.includes("app.ts") ? "app.ts" : names.length === 1 ? names[0] : undefined);
    if (!main || !Object.hasOwn(files, main)) {
      return failure("bad_request", main ? `main '${main}' is not one of the files` : "say which file is main");
    }
    if (!configFile && !/\.(ts|js|mjs)$/.test(main)) return failure("bad_request", "main must be a .ts or .js file");
    const hash = await contentHash({ main, files });
    return success({ main, contentHash: hash, codeId: `${project.id}:${hash.slice(0, 32)}` });
  }

  /**
   * Compiles and probes code without touching what runs. A failure is a 422 with diagnostics, also
   * shown in the terminal (`marks` marks the line, as the draft's for a draft save).
   */
  async check(
    files: Record<string, string>,
    identity: CodeIdentity,
    marks: { version: number | null; draft?: number },
  ): Promise<Outcome<CheckedCode>> {
    const { main, codeId } = identity;
    const compiled = await compileProject(files, main);
    const draft = marks.draft !== undefined;
    const { diagnostics, startupLogs } = compiled.ok
      ? await this.#loader.probe(codeId, compiled, main, files, draft)
      : { diagnostics: compiled.diagnostics, startupLogs: [] };
    if (diagnostics.length > 0) {
      const first = diagnostics[0];
      const message = `${first?.file}:${first?.line}:${first?.column} ${first?.message}`;
      this.#record([{ kind: "save-error", at: Date.now(), ...marks, message, diagnostics }]);
      return failure("compile_error", `The code was not deployed: ${message}`, { diagnostics });
    }
    return success({ ...identity, files, warnings: saveWarnings(files), startupLogs });
  }

  /**
   * Makes checked code the next live version: stores it and swaps it in, snapshotting the data the
   * old version leaves unless `data` does its own steps (a restore). `reason` names the change for
   * the terminal and the 1012 close of the app's sockets.
   *
   * Without `data` steps, the new App is constructed on the live data before any request reaches it
   * (the swap holds them back): a constructor that throws (a SQL error in it, say) refuses the version,
   * 422 with the line it threw at, and the version that was live keeps serving, with its data. With
   * data steps (a restore or promotion with data) the database is already replaced by then, so the
   * App starts at its first request, as before.
   */
  async commit(
    code: CheckedCode,
    reason: (version: number) => string,
    data?: (previous: number | null) => SwapData,
    lines: (version: number) => NewLogEntry[] = () => [],
  ): Promise<Outcome<PutCodeResponse>> {
    const previous = this.#store.project?.currentVersion ?? null;
    const version = this.#store.nextVersionNumber();
    const { codeId, contentHash: hash, main, files, warnings } = code;
    this.#store.addVersion({
      version,
      codeId,
      contentHash: hash,
      main,
      files,
      createdAt: Date.now(),
      message: code.message ?? null,
    });
    const steps = data ? data(previous) : this.snapshotStep(previous);
    const start = () => this.#live.firstStart(`v${version}'s App did not start`);
    const starting = withFirstStart(steps, start, () => this.#store.removeVersion(version, previous));
    await this.#live.swap(version, reason(version), data ? steps : starting.data);
    const startError = data ? null : starting.error();
    if (startError !== null) return this.refusedStart(startError, code, { version: previous });
    const at = Date.now();
    this.#record([
      { kind: "deploy", at, version, codeId },
      ...lines(version),
      ...(appLogEntries(code.startupLogs, version) ?? []),
      ...warnings.map((w) => ({
        kind: "system" as const,
        level: "warn" as const,
        at,
        version,
        message: `${w.file}:${w.line}:${w.column} ${w.message}`,
      })),
    ]);
    return success({ version, codeId, created: true, warnings });
  }

  /** The refusal of code whose App's constructor threw (first-start.ts), shown in the terminal too. */
  refusedStart(error: unknown, code: CheckedCode, marks: { version: number | null; draft?: number }): Failure {
    const { refusal, entry } = startRefusal(error, code, marks);
    this.#record([entry]);
    return refusal;
  }

  /** The swap step that snapshots the live data as `previous` leaves it (none before the first version). */
  snapshotStep(previous: number | null): SwapData {
    if (previous === null) return {};
    return { beforeAbort: async () => void (await this.#snapshots.take(previous, () => this.#live.totalDataSize())) };
  }

  async #saveNow({
    files,
    main: requestedMain,
    baseVersion,
    message,
  }: PutCodeRequest): Promise<Outcome<PutCodeResponse>> {
    const cooling = this.cooldownRefusal();
    if (cooling) return cooling;
    const identity = await this.identify(files, requestedMain);
    if (!identity.ok) return identity;
    const warnings = saveWarnings(files);
    const current = this.#store.currentVersion();
    if (current && current.contentHash === identity.value.contentHash) {
      // Saving the same code again is how an owner says "run it again" after it froze the runtime.
      if (this.#store.project?.hung?.version === current.version) {
        this.#store.clearHung(current.version);
        this.#record([
          {
            kind: "system",
            level: "info",
            at: Date.now(),
            version: current.version,
            message: `v${current.version} was saved again, so it runs again (it had frozen the runtime)`,
          },
        ]);
      }
      return success({ version: current.version, codeId: current.codeId, created: false, warnings });
    }
    const live = this.#store.project?.currentVersion ?? null;
    if (baseVersion !== undefined && baseVersion !== live) {
      return failure(
        "conflict",
        `v${live} was saved elsewhere after ${baseVersion === null ? "the project was created" : `v${baseVersion}`}; load it, or save without baseVersion to replace it`,
        { liveVersion: live },
      );
    }
    const checked = await this.check(files, identity.value, { version: live });
    if (!checked.ok) return checked;
    const labelled = message ? { ...checked.value, message } : checked.value;
    return this.commit(labelled, (version) => `The app was replaced by v${version}`);
  }

  /**
   * A new version with `version`'s code, and with `data` its snapshot in place of the live database
   * (the live data is snapshotted first, so restoring the version that was live undoes it).
   */
  restore(version: number, data: boolean, object?: string): Promise<Outcome<RestoreResponse>> {
    return this.queue(async () => {
      const cooling = this.cooldownRefusal();
      if (cooling) return cooling;
      const row = this.#store.version(version);
      if (!row) return failure("not_found", `No version ${version}`);
      const live = this.#store.project?.currentVersion ?? null;
      if (data) {
        const refusal = this.#snapshots.restorable(version, live);
        if (refusal) return refusal;
      }
      // One object of a Worker project: named by the tools' selector, or one the snapshot holds.
      let only: ObjectRef | null = null;
      if (object !== undefined) {
        if (!data) return failure("bad_request", "object names the object whose data to restore: pass data: true");
        const chosen = this.#live.target(object);
        if (chosen.ok && chosen.value) only = chosen.value;
        else {
          const held = this.#snapshots.objectIn(version, object);
          if (!held)
            return chosen.ok ? failure("not_found", `v${version}'s snapshot holds no object '${object}'`) : chosen;
          only = held;
        }
      }
      const identity = await this.identify(row.files, row.main);
      if (!identity.ok) return identity;
      const current = this.#store.currentVersion();
      if (!data && current && current.contentHash === identity.value.contentHash) {
        const warnings = saveWarnings(row.files);
        return success({
          version: current.version,
          codeId: current.codeId,
          created: false,
          warnings,
          restoredData: false,
          undoWith: null,
        });
      }
      const checked = await this.check(row.files, identity.value, { version: live });
      if (!checked.ok) return checked;
      const what = data ? `code and data` : "code";
      const saved = await this.commit(
        checked.value,
        (next) => `The app was restored to v${version}'s ${what} as v${next}`,
        data
          ? (previous) => this.#snapshots.restoreSteps(version, previous, () => this.#live.totalDataSize(), only)
          : undefined,
        (next) => [
          {
            kind: "system",
            level: "info",
            at: Date.now(),
            version: next,
            message: only
              ? `restored v${version}'s code as v${next}, and ${objectLabel(only)}'s data as v${version} left it; the other objects keep theirs`
              : data
                ? `restored v${version}'s code and data as v${next}${live === null ? "" : `; the data v${live} left is its snapshot (restore v${live} with data to undo)`}`
                : `restored v${version}'s code as v${next}; the data stays as it was`,
          },
        ],
      );
      if (!saved.ok) return saved;
      const undoWith = data && live !== null && this.#snapshots.data(live, null).snapshot ? live : null;
      return success({ ...saved.value, restoredData: data, undoWith });
    });
  }
}
