/**
 * Saving code, one save at a time per project so that version numbers and swaps follow the order of
 * the saves: check the code (code-check.ts: main, content hash, compile, probe), store the version,
 * and swap it in, its App constructed before any request reaches it (first-start.ts). Every swap to a
 * new version first snapshots the data the old version leaves (snapshots.ts). Restoring a version
 * (restores.ts) and promoting a draft are saves too, and queue here.
 *
 * The live app, the loader's probe and the snapshots are reached through narrow interfaces
 * (SaveParts), given at construction. Tables: none of its own (versions are the store's).
 */
import type { PutCodeRequest, PutCodeResponse, VersionData } from "../../../shared/api";
import type { NewLogEntry } from "../../../shared/logs";
import type { PackageLock } from "../../../shared/packages";
import type { RestoreResponse } from "../../../shared/time-travel";
import { type Failure, failure, type Outcome, success } from "../../outcome";
import type { SaveTypeChecks } from "../../type-check/save-check";
import { appLogEntries } from "../app-host/app-channel";
import { saveWarnings } from "../app-host/app-model";
import type { SwapData } from "../app-host/app-swap";
import { MANIFEST_FILE } from "../app-host/compile/packages";
import { type CheckedCode, type CodeIdentity, type CodeProbe, checkCode, identifyCode } from "./code-check";
import type { Cooldowns } from "./cooldowns";
import { startRefusal, withFirstStart } from "./first-start";
import { type RestoreParts, restoreVersion } from "./restores";
import type { SupervisorStore } from "./store";

/** What saves work with, each a narrow view of the capability that has it (built before them). */
export interface SaveParts {
  store: SupervisorStore;
  /** The loader (app-host/loader.ts): starts new code in a probe, without touching what runs. */
  loader: CodeProbe;
  /** The live app (app-host/app-host.ts): swapped to each new version. */
  live: RestoreParts["live"] & {
    swap(version: number | null, reason: string, data: SwapData): Promise<void>;
    /** Starts the App on the current code while a swap holds requests back: what it threw, or null. */
    firstStart(reason: string): Promise<unknown>;
  };
  /** The data snapshots (time-travel/snapshots.ts): taken on each swap, restored with a version. */
  snapshots: RestoreParts["snapshots"] & {
    take(version: number, measure: () => Promise<number>): Promise<VersionData>;
  };
  record(entries: NewLogEntry[]): void;
  /** After the project's code froze the runtime, saves are refused for a while (cooldowns.ts). */
  cooldowns: Cooldowns;
  /** TypeScript's check of a save, run beside its compile and probe (server/type-check/). */
  typeChecks?: SaveTypeChecks;
}

export class CodeSaves {
  #store: SaveParts["store"];
  #loader: SaveParts["loader"];
  #live: SaveParts["live"];
  #snapshots: SaveParts["snapshots"];
  #record: (entries: NewLogEntry[]) => void;
  #cooldowns: Cooldowns;
  #typeChecks: SaveTypeChecks | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(parts: SaveParts) {
    this.#store = parts.store;
    this.#loader = parts.loader;
    this.#live = parts.live;
    this.#snapshots = parts.snapshots;
    this.#record = parts.record;
    this.#cooldowns = parts.cooldowns;
    this.#typeChecks = parts.typeChecks;
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

  /**
   * Saves code. `lock`: the npm packages to keep where they still fit (a fork's or an import's);
   * the live version's otherwise.
   */
  save(request: PutCodeRequest, lock?: PackageLock): Promise<Outcome<PutCodeResponse>> {
    return this.queue(() => this.#saveNow(request, lock));
  }

  /** The main module and content hash of `files` (code-check.ts). */
  identify(files: Record<string, string>, requestedMain: string | undefined): Promise<Outcome<CodeIdentity>> {
    return identifyCode(this.#store, files, requestedMain);
  }

  /**
   * Compiles and probes code without touching what runs (code-check.ts). `lock`: the packages to keep
   * where they fit (a restored version's); the live version's by default, so a save that changes no
   * package.json asks the registry nothing.
   */
  check(
    files: Record<string, string>,
    identity: CodeIdentity,
    marks: { version: number | null; draft?: number },
    lock: PackageLock | null = this.#store.currentVersion()?.lock ?? null,
  ): Promise<Outcome<CheckedCode>> {
    return checkCode(this.#loader, this.#record, files, identity, marks, lock);
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
      lock: code.packages.lock,
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
    return success({ version, codeId, created: true, warnings, ...packagesAnswer(code) });
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

  async #saveNow(
    { files, main: requestedMain, baseVersion, message }: PutCodeRequest,
    lock: PackageLock | undefined,
  ): Promise<Outcome<PutCodeResponse>> {
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
    // TypeScript's check runs beside the compile when package.json is the live version's (its lock
    // then has the packages' types), else once the compile has the new lock; beside the swap either way.
    const sameManifest = current?.files[MANIFEST_FILE] === files[MANIFEST_FILE];
    let typing = sameManifest ? this.#typeChecks?.start(files, current?.lock ?? []) : undefined;
    const checked = await this.check(files, identity.value, { version: live }, lock);
    if (!checked.ok) return checked;
    typing ??= this.#typeChecks?.start(files, checked.value.packages.lock);
    const labelled = message ? { ...checked.value, message } : checked.value;
    const committed = await this.commit(labelled, (version) => `The app was replaced by v${version}`);
    if (!committed.ok || !typing) return committed;
    const typed = await typing.settle(committed.value.version);
    const answer = committed.value;
    return success({ ...answer, warnings: [...answer.warnings, ...typed.diagnostics], typeCheck: typed.state });
  }

  /**
   * A new version with `version`'s code, and with `data` its snapshot in place of the live database
   * (restores.ts).
   */
  restore(version: number, data: boolean, object?: string): Promise<Outcome<RestoreResponse>> {
    const parts = { store: this.#store, live: this.#live, snapshots: this.#snapshots, saves: this };
    return restoreVersion(parts, version, data, object);
  }
}

/** What a save answers about its packages (nothing when it has none, as before packages existed). */
export function packagesAnswer(code: CheckedCode): Pick<PutCodeResponse, "packages" | "installed"> {
  const { packages, installed } = code.packages;
  return packages.length === 0 && installed.length === 0 ? {} : { packages, installed };
}
