/**
 * The draft: new code tried on a copy of the live data before it goes live. Its first save copies
 * the live database into the facet "draft" (`ctx.facets.clone`, as snapshots do) and runs the code
 * there, served on `<id>--draft.<domain>`; later saves swap the draft's code as saves swap the live
 * app's, keeping the draft's data. The live app never sees the draft's writes: they are separate
 * databases. The draft has its own log lines (marked with its revision), its own SQL console target
 * and its own alarm (copied from the live app's when the draft starts). Promoting makes the draft's
 * code the next live version, with the live data or the draft's; discarding deletes it.
 *
 * This file is the workflow (save, promote, discard). The draft's row is draft-row.ts (table
 * `draft`), what its AppHost runs is draft-source.ts; the supervisor builds that host and hands it
 * in (DraftParts), with the save queue and the copies it needs.
 */

import type { LogEntry, NewLogEntry } from "../../../shared/logs";
import type { DraftCodeRequest, DraftCodeResponse, DraftInfo, PromoteDraftResponse } from "../../../shared/time-travel";
import { type Failure, failure, type Outcome, success } from "../../outcome";
import { appLogEntries } from "../app-host/app-channel";
import { saveWarnings } from "../app-host/app-model";
import type { SwapData } from "../app-host/app-swap";
import { DRAFT_FACET, LIVE_FACET } from "../app-host/facet-names";
import type { ObjectRegistry } from "../objects/objects";
import type { CheckedCode, CodeIdentity } from "../versions/code-check";
import { withFirstStart } from "../versions/first-start";
import type { ProjectRow, VersionRow } from "../versions/store";
import { DRAFT_HANG_VERSION, type DraftCode } from "./draft-row";

export { DRAFT_HANG_VERSION } from "./draft-row";

/** An alarm that can be made a copy of its counterpart's (the draft's of the live app's, and back). */
interface CopiedAlarm {
  copyFrom(other: CopiedAlarm): Promise<void>;
  delete(): Promise<void>;
}

interface CopiedObjectAlarms {
  copyFrom(other: CopiedObjectAlarms): Promise<void>;
  clear(): Promise<void>;
}

/** What the draft's workflow works with, each a narrow view of the capability that has it. */
export interface DraftParts {
  /** The draft's row (draft-row.ts). */
  draft: DraftCode;
  /** The draft's AppHost: swapped on a save, removed on a discard. */
  host: {
    swap(version: number | null, reason: string, data: SwapData): Promise<void>;
    remove(reason: string): Promise<void>;
    /** Starts the draft's App while the swap holds requests back: what its constructor threw, or null. */
    firstStart(reason: string): Promise<unknown>;
  };
  store: {
    readonly project: ProjectRow | null;
    currentVersion(): VersionRow | null;
    clearHung(version: number): void;
  };
  /** Saves (versions/saves.ts): a draft's saves, promotions and discards queue with the live app's. */
  saves: {
    queue<T>(work: () => Promise<T>): Promise<T>;
    identify(files: Record<string, string>, main: string | undefined): Promise<Outcome<CodeIdentity>>;
    check(
      files: Record<string, string>,
      identity: CodeIdentity,
      marks: { version: number | null; draft?: number },
    ): Promise<Outcome<CheckedCode>>;
    commit(
      code: CheckedCode,
      reason: (version: number) => string,
      data?: (previous: number | null) => SwapData,
      lines?: (version: number) => NewLogEntry[],
    ): Promise<Outcome<Omit<PromoteDraftResponse, "data">>>;
    snapshotStep(previous: number | null): SwapData;
    /** The refusal of code whose App's constructor threw (422 at the line it threw at). */
    refusedStart(error: unknown, code: CheckedCode, marks: { version: number | null; draft?: number }): Failure;
    /** Refuses while the project cools down after its code froze the runtime (versions/cooldowns.ts). */
    cooldownRefusal(): Failure | null;
  };
  /** Copies of databases (facet-copies.ts): the live data into the draft, and back on a promotion. */
  copies: {
    refusal(): Failure | null;
    copy(src: string, dst: string): void;
    copyObjects(from: ObjectRegistry, fromBase: string, to: ObjectRegistry, toBase: string): void;
  };
  /** The App's alarm and the draft's (app-host/app-alarms.ts): the draft starts with a copy. */
  alarms: { live: CopiedAlarm; draft: CopiedAlarm };
  /** The objects' alarms, live and the draft's (objects/object-alarms.ts). */
  objectAlarms: { live: CopiedObjectAlarms; draft: CopiedObjectAlarms };
  record(entries: NewLogEntry[]): LogEntry[];
  /** The live app's objects and the draft's copies of them (a Worker project's). */
  objects: { live: ObjectRegistry; draft: ObjectRegistry };
}

export class Drafts {
  #draft: DraftCode;
  #host: DraftParts["host"];
  #store: DraftParts["store"];
  #saves: DraftParts["saves"];
  /** The copies snapshots make too (facet-copies.ts): of the live data into the draft, and back. */
  #snapshots: DraftParts["copies"];
  #alarms: DraftParts["alarms"];
  #objectAlarms: DraftParts["objectAlarms"];
  #liveObjects: ObjectRegistry;
  #draftObjects: ObjectRegistry;
  #record: DraftParts["record"];

  constructor(parts: DraftParts) {
    this.#draft = parts.draft;
    this.#host = parts.host;
    this.#store = parts.store;
    this.#saves = parts.saves;
    this.#snapshots = parts.copies;
    this.#alarms = parts.alarms;
    this.#objectAlarms = parts.objectAlarms;
    this.#liveObjects = parts.objects.live;
    this.#draftObjects = parts.objects.draft;
    this.#record = parts.record;
  }

  get exists(): boolean {
    return this.#draft.exists;
  }

  /** The draft as the API shows it, less its preview URL (the worker knows the origin). */
  info(): Omit<DraftInfo, "previewUrl"> | null {
    return this.#draft.info();
  }

  /** Saves code into the draft; the first save copies the live data into it. */
  save({ files, main, message }: DraftCodeRequest): Promise<Outcome<Omit<DraftCodeResponse, "previewUrl">>> {
    return this.#saves.queue(async () => {
      const cooling = this.#saves.cooldownRefusal();
      if (cooling) return cooling;
      const refusal = this.#snapshots.refusal();
      if (refusal) return refusal;
      const identity = await this.#saves.identify(files, main);
      if (!identity.ok) return identity;
      const row = this.#draft.row;
      const warnings = saveWarnings(files);
      if (row && row.contentHash === identity.value.contentHash) {
        // As for the live app: saving the same code again lets a draft that froze the runtime run again.
        this.#store.clearHung(DRAFT_HANG_VERSION);
        return success({ revision: row.revision, codeId: row.codeId, created: false, warnings });
      }
      const live = this.#store.project?.currentVersion ?? null;
      const revision = (row?.revision ?? 0) + 1;
      const checked = await this.#saves.check(files, identity.value, { version: live, draft: revision });
      if (!checked.ok) return checked;
      const now = Date.now();
      const { codeId, contentHash, main: resolvedMain } = checked.value;
      this.#draft.write({
        revision,
        codeId,
        contentHash,
        main: resolvedMain,
        files,
        createdAt: row?.createdAt ?? now,
        updatedAt: now,
        basedOnVersion: row ? row.basedOnVersion : live,
        message: message ?? null,
      });
      this.#store.clearHung(DRAFT_HANG_VERSION);
      const copy: SwapData = row
        ? {}
        : {
            afterAbort: () => {
              this.#snapshots.copy(LIVE_FACET, DRAFT_FACET);
              this.#snapshots.copyObjects(this.#liveObjects, LIVE_FACET, this.#draftObjects, DRAFT_FACET);
            },
          };
      // As a live save: an App whose constructor throws on the draft's data is refused there.
      const starting = withFirstStart(
        copy,
        () => this.#host.firstStart(`draft r${revision}'s App did not start`),
        () => (row ? this.#draft.write(row) : this.#draft.forget()),
      );
      try {
        await this.#host.swap(live, `The draft was replaced by r${revision}`, starting.data);
      } catch (error) {
        // Only the first save copies; a refused copy leaves no draft behind.
        if (!row) this.#draft.forget();
        return this.#snapshots.refusal() ?? failure("internal", `The draft could not start: ${String(error)}`);
      }
      const startError = starting.error();
      if (startError !== null) {
        return this.#saves.refusedStart(startError, checked.value, { version: live, draft: revision });
      }
      if (!row) {
        await this.#alarms.draft.copyFrom(this.#alarms.live);
        await this.#objectAlarms.draft.copyFrom(this.#objectAlarms.live);
      }
      this.#record([
        {
          kind: "system",
          level: "info",
          at: Date.now(),
          version: live,
          draft: revision,
          message: row
            ? `draft r${revision} deployed`
            : `draft r1 deployed on a copy of ${live === null ? "the live data" : `v${live}'s data`}; the live app does not see its writes`,
        },
        ...(appLogEntries(checked.value.startupLogs, live) ?? []).map((e) => ({ ...e, draft: revision })),
      ]);
      return success({ revision, codeId, created: true, warnings });
    });
  }

  /** The draft's code becomes the next live version, with the live data or the draft's; the draft ends. */
  promote(data: "live" | "draft"): Promise<Outcome<PromoteDraftResponse>> {
    return this.#saves.queue(async () => {
      const cooling = this.#saves.cooldownRefusal();
      if (cooling) return cooling;
      const row = this.#draft.row;
      if (!row) return failure("not_found", "There is no draft to promote");
      if (data === "draft") {
        const refusal = this.#snapshots.refusal();
        if (refusal) return refusal;
      }
      const current = this.#store.currentVersion();
      const live = current?.version ?? null;
      let saved: Omit<PromoteDraftResponse, "data">;
      if (data === "live" && current?.contentHash === row.contentHash) {
        saved = {
          version: current.version,
          codeId: current.codeId,
          created: false,
          warnings: saveWarnings(row.files),
        };
      } else {
        const checked = await this.#saves.check(row.files, row, { version: live });
        if (!checked.ok) return checked;
        const withData = data === "draft" ? " with its data" : "";
        const committed = await this.#saves.commit(
          { ...checked.value, message: row.message },
          (version) => `The draft r${row.revision} was promoted to v${version}${withData}`,
          data === "draft"
            ? (previous) => ({
                ...this.#saves.snapshotStep(previous),
                afterAbort: () => {
                  this.#snapshots.copy(DRAFT_FACET, LIVE_FACET);
                  this.#snapshots.copyObjects(this.#draftObjects, DRAFT_FACET, this.#liveObjects, LIVE_FACET);
                },
              })
            : undefined,
          (version) => [
            {
              kind: "system",
              level: "info",
              at: Date.now(),
              version,
              message: `draft r${row.revision} promoted to v${version}${data === "draft" ? ", with the draft's data" : ", on the live data"}`,
            },
          ],
        );
        // A draft whose App does not start on the live data stays the draft.
        if (!committed.ok) return committed;
        saved = committed.value;
        if (data === "draft") {
          await this.#alarms.live.copyFrom(this.#alarms.draft);
          await this.#objectAlarms.live.copyFrom(this.#objectAlarms.draft);
        }
      }
      await this.#discardNow(`The draft r${row.revision} was promoted`);
      return success({ ...saved, data });
    });
  }

  /** Deletes the draft: its code, its database, its alarm. */
  discard(): Promise<Outcome<{ discarded: boolean }>> {
    return this.#saves.queue(async () => {
      const row = this.#draft.row;
      if (!row) return success({ discarded: false });
      await this.#discardNow(`The draft r${row.revision} was discarded`);
      this.#record([
        {
          kind: "system",
          level: "info",
          at: Date.now(),
          version: this.#store.project?.currentVersion ?? null,
          message: `draft r${row.revision} discarded`,
        },
      ]);
      return success({ discarded: true });
    });
  }

  async #discardNow(reason: string): Promise<void> {
    await this.#host.remove(reason);
    this.#draft.forget();
    await this.#alarms.draft.delete();
    await this.#objectAlarms.draft.clear();
  }
}
