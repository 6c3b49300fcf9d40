/**
 * The draft: new code tried on a copy of the live data before it goes live. Its first save copies
 * the live database into the facet "draft" (`ctx.facets.clone`, as snapshots do) and runs the code
 * there, served on `<id>--draft.<domain>`; later saves swap the draft's code as saves swap the live
 * app's, keeping the draft's data. The live app never sees the draft's writes: they are separate
 * databases. The draft has its own log lines (marked with its revision), its own SQL console target
 * and its own alarm (copied from the live app's when the draft starts). Promoting makes the draft's
 * code the next live version, with the live data or the draft's; discarding deletes it.
 */

import type { LogEntry, NewLogEntry } from "../../../shared/logs";
import { VersionCode } from "../../../shared/project-config";
import type { DraftCodeRequest, DraftCodeResponse, DraftInfo, PromoteDraftResponse } from "../../../shared/time-travel";
import { failure, type Outcome, success } from "../../outcome";
import type { AppAlarms } from "../app-host/app-alarms";
import { appLogEntries } from "../app-host/app-channel";
import { AppHost, type AppSource } from "../app-host/app-host";
import { saveWarnings } from "../app-host/app-model";
import { hungResponse, noDraftResponse } from "../app-host/app-responses";
import type { AppLoader } from "../app-host/loader";
import type { ObjectAlarms } from "../objects/object-alarms";
import type { ObjectRegistry } from "../objects/objects";
import type { CodeSaves } from "../versions/saves";
import type { SupervisorStore } from "../versions/store";
import { DRAFT_FACET, LIVE_FACET, objectFacet, type Snapshots } from "./snapshots";

interface DraftRow {
  revision: number;
  codeId: string;
  contentHash: string;
  main: string;
  files: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  basedOnVersion: number | null;
}

/**
 * The hung mark of the draft (the launcher writes it, scripts/hung-marker.mjs): versions start at 1,
 * so it blames no live version.
 */
export const DRAFT_HANG_VERSION = 0;

export class Drafts {
  readonly host: AppHost;
  #ctx: DurableObjectState;
  #store: SupervisorStore;
  #saves: CodeSaves;
  #snapshots: Snapshots;
  #alarms: { live: AppAlarms; draft: AppAlarms };
  #objectAlarms: { live: ObjectAlarms; draft: ObjectAlarms };
  #liveObjects: ObjectRegistry;
  #record: (entries: NewLogEntry[]) => LogEntry[];
  #row: DraftRow | null;

  constructor(
    ctx: DurableObjectState,
    env: Env,
    parts: {
      store: SupervisorStore;
      loader: AppLoader;
      saves: CodeSaves;
      snapshots: Snapshots;
      alarms: { live: AppAlarms; draft: AppAlarms };
      objectAlarms: { live: ObjectAlarms; draft: ObjectAlarms };
      record: (entries: NewLogEntry[]) => LogEntry[];
      /** The live app's objects and the draft's copies of them (a Worker project's). */
      objects: { live: ObjectRegistry; draft: ObjectRegistry };
    },
  ) {
    this.#ctx = ctx;
    this.#store = parts.store;
    this.#saves = parts.saves;
    this.#snapshots = parts.snapshots;
    this.#alarms = parts.alarms;
    this.#objectAlarms = parts.objectAlarms;
    this.#liveObjects = parts.objects.live;
    this.#record = parts.record;
    this.#row = this.#read();
    const { store, loader } = parts;
    const code = new VersionCode();
    const draftCode = () => code.get(`r${this.#row?.revision ?? "none"}`, () => this.#row?.files ?? null);
    const source: AppSource = {
      facet: DRAFT_FACET,
      config: () => draftCode().config,
      files: () => draftCode().files,
      objectFacet: (id) => objectFacet(DRAFT_FACET, id),
      marks: () => ({ version: store.project?.currentVersion ?? null, draft: this.#row?.revision ?? 0 }),
      header: () => `draft-${this.#row?.revision ?? 0}`,
      worker: () => (this.#row ? loader.stored(this.#row, true) : loader.neutral()),
      neutral: () => loader.neutral(),
      refusal: () => {
        if (!this.#row) return noDraftResponse(store.project?.id ?? "");
        const hung = store.project?.hung;
        if (hung?.version === DRAFT_HANG_VERSION) return hungResponse(hung.detail, `draft-${this.#row.revision}`);
        return null;
      },
      channel: () => (this.#row ? loader.channel(this.#row.codeId, true) : loader.channel(loader.neutralCodeId())),
    };
    this.host = new AppHost(ctx, env, source, parts.record, parts.objects.draft);
  }

  #read(): DraftRow | null {
    const row = this.#ctx.storage.sql
      .exec<{
        revision: number;
        code_id: string;
        content_hash: string;
        main: string;
        files: string;
        created_at: number;
        updated_at: number;
        based_on_version: number | null;
      }>("SELECT * FROM draft")
      .toArray()[0];
    if (!row) return null;
    return {
      revision: row.revision,
      codeId: row.code_id,
      contentHash: row.content_hash,
      main: row.main,
      files: JSON.parse(row.files),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      basedOnVersion: row.based_on_version,
    };
  }

  #write(row: DraftRow): void {
    this.#ctx.storage.sql.exec(
      `INSERT OR REPLACE INTO draft (singleton, revision, code_id, content_hash, main, files, created_at, updated_at, based_on_version)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.revision,
      row.codeId,
      row.contentHash,
      row.main,
      JSON.stringify(row.files),
      row.createdAt,
      row.updatedAt,
      row.basedOnVersion,
    );
    this.#row = row;
  }

  get exists(): boolean {
    return this.#row !== null;
  }

  /** The draft as the API shows it, less its preview URL (the worker knows the origin). */
  info(): Omit<DraftInfo, "previewUrl"> | null {
    const row = this.#row;
    if (!row) return null;
    const { contentHash: _, ...info } = row;
    return info;
  }

  /** Saves code into the draft; the first save copies the live data into it. */
  save({ files, main }: DraftCodeRequest): Promise<Outcome<Omit<DraftCodeResponse, "previewUrl">>> {
    return this.#saves.queue(async () => {
      const refusal = this.#snapshots.refusal();
      if (refusal) return refusal;
      const identity = await this.#saves.identify(files, main);
      if (!identity.ok) return identity;
      const row = this.#row;
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
      this.#write({
        revision,
        codeId,
        contentHash,
        main: resolvedMain,
        files,
        createdAt: row?.createdAt ?? now,
        updatedAt: now,
        basedOnVersion: row ? row.basedOnVersion : live,
      });
      this.#store.clearHung(DRAFT_HANG_VERSION);
      try {
        await this.host.swap(
          live,
          `The draft was replaced by r${revision}`,
          row
            ? {}
            : {
                afterAbort: () => {
                  this.#snapshots.copy(LIVE_FACET, DRAFT_FACET);
                  this.#snapshots.copyObjects(this.#liveObjects, LIVE_FACET, this.host.objects, DRAFT_FACET);
                },
              },
        );
      } catch (error) {
        // Only the first save copies; a refused copy leaves no draft behind.
        if (!row) this.#forget();
        return this.#snapshots.refusal() ?? failure(500, "internal", `The draft could not start: ${String(error)}`);
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
      const row = this.#row;
      if (!row) return failure(404, "not_found", "There is no draft to promote");
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
        saved = await this.#saves.commit(
          checked.value,
          (version) => `The draft r${row.revision} was promoted to v${version}${withData}`,
          data === "draft"
            ? (previous) => ({
                ...this.#saves.snapshotStep(previous),
                afterAbort: () => {
                  this.#snapshots.copy(DRAFT_FACET, LIVE_FACET);
                  this.#snapshots.copyObjects(this.host.objects, DRAFT_FACET, this.#liveObjects, LIVE_FACET);
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
      const row = this.#row;
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
    await this.host.remove(reason);
    this.#forget();
    await this.#alarms.draft.delete();
    await this.#objectAlarms.draft.clear();
  }

  #forget(): void {
    this.#ctx.storage.sql.exec("DELETE FROM draft");
    this.#row = null;
  }
}
