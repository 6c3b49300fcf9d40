/**
 * Data snapshots: the app's database as each version left it, so a version can be restored with its
 * data. A snapshot is a copy of the facet "app" made with `ctx.facets.clone` into the facet
 * "snapshot:v<N>" while a swap holds the gate (nothing runs), just before version N is replaced. On
 * ext4 a clone is a full file copy (docs/platform.md), so retention keeps the newest `maxVersions`
 * snapshots within `maxBytes` in all, dropping the oldest first, and a database larger than the
 * budget is not copied at all. Each version's row says what happened (kept, dropped, not taken).
 *
 * Its parts, each in a file of its own: the retention settings (snapshot-settings.ts), the copies
 * and what happens when the platform refuses them (facet-copies.ts), the objects each snapshot holds
 * (snapshot-objects.ts), and the steps of a restore (snapshot-restore.ts).
 *
 * Tables (createSnapshotTables): `snapshots`, a row per version; `snapshot_settings`
 * (snapshot-settings.ts); `snapshot_objects` (snapshot-objects.ts).
 */
import type { VersionData } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { formatBytes } from "../../../shared/format";
import type { NewLogEntry } from "../../../shared/logs";
import type { SnapshotSettings, SnapshotsResponse } from "../../../shared/time-travel";
import type { ObjectRef } from "../../app-runtime/protocol";
import { type Failure, failure } from "../../outcome";
import type { SwapData } from "../app-host/app-swap";
import { LIVE_FACET, snapshotFacet } from "../app-host/facet-names";
import { type Ceilings, DEFAULT_CEILINGS } from "../metering/ceilings";
import type { ObjectRegistry } from "../objects/objects";
import { FacetCopies } from "./facet-copies";
import { createSnapshotObjectsTable, SnapshotObjects } from "./snapshot-objects";
import { type RestoreParts, restoreObjectSteps, restoreSteps } from "./snapshot-restore";
import { createSnapshotSettingsTable, SnapshotSettingsTable } from "./snapshot-settings";

export { snapshotDefaults } from "./snapshot-settings";

/** Makes `snapshots`, `snapshot_settings` and `snapshot_objects`. */
export function createSnapshotTables(sql: SqlStorage): void {
  sql.exec(`
    -- Each version's data snapshot (the facet "snapshot:v<version>"): kept, or why there is none.
    CREATE TABLE IF NOT EXISTS snapshots (
      version INTEGER PRIMARY KEY,
      state TEXT NOT NULL CHECK (state IN ('kept', 'dropped', 'skipped')),
      bytes INTEGER,
      taken_at INTEGER,
      note TEXT
    );`);
  createSnapshotSettingsTable(sql);
  createSnapshotObjectsTable(sql);
}

type SnapshotRow = {
  version: number;
  state: "kept" | "dropped" | "skipped";
  bytes: number | null;
  taken_at: number | null;
  note: string | null;
};

export class Snapshots {
  /** Copies of facets (the draft's copy of the live data uses them too). */
  readonly copies: FacetCopies;
  #ctx: DurableObjectState;
  #sql: SqlStorage;
  #settings: SnapshotSettingsTable;
  #objects: SnapshotObjects;
  #log: (entries: NewLogEntry[]) => void;
  #restore: RestoreParts;

  /** `live`: a Worker project's live objects, each snapshotted with the App's facet. */
  constructor(
    ctx: DurableObjectState,
    defaults: SnapshotSettings,
    log: (entries: NewLogEntry[]) => void,
    live: ObjectRegistry,
    ceilings: Ceilings = DEFAULT_CEILINGS,
  ) {
    this.#ctx = ctx;
    this.#sql = ctx.storage.sql;
    this.#log = log;
    this.#settings = new SnapshotSettingsTable(this.#sql, defaults, ceilings);
    this.copies = new FacetCopies(ctx, this.#settings, log);
    this.#objects = new SnapshotObjects(ctx, this.copies, live);
    this.#restore = {
      ctx,
      copies: this.copies,
      objects: this.#objects,
      live,
      take: (version, measure) => this.take(version, measure),
    };
  }

  /** Drops what is kept in memory of the tables (the store wiped them). */
  forget(): void {
    this.#settings.forget();
    this.copies.forget();
  }

  get settings(): SnapshotSettings {
    return this.#settings.settings;
  }

  /**
   * Changes the project's retention; snapshots past the new limits are dropped at once. A setting
   * above the operator's ceiling changes nothing: the answer is why.
   */
  setSettings(changes: Partial<SnapshotSettings>): string | null {
    const refusal = this.#settings.refusal(changes);
    if (refusal) return refusal;
    this.#settings.set(changes);
    this.#retain(null);
    return null;
  }

  /** Why snapshots and drafts are off (facet-copies.ts), or null when they work. */
  unavailable(): string | null {
    return this.copies.unavailable();
  }

  /** The 501 answer for what needs copies (restoring data, drafts) while they are off; else null. */
  refusal(): Failure | null {
    return this.copies.refusal();
  }

  /**
   * Snapshots the live database as `version` leaves it. Called inside a swap, before the old
   * instance is stopped; `measure` gives the database's size. Never throws: a snapshot that cannot
   * be taken is recorded with the reason, and the swap goes on.
   */
  async take(version: number, measure: () => Promise<number>): Promise<VersionData> {
    const { maxVersions, maxBytes } = this.settings;
    const refused = this.#settings.cloneRefused;
    if (refused) return this.#skip(version, refused, false);
    if (maxVersions === 0) {
      return this.#skip(version, "Not taken: this project keeps no snapshots (maxVersions is 0).", false);
    }
    let bytes: number;
    try {
      bytes = await measure();
    } catch (error) {
      return this.#skip(version, `Not taken: the database's size could not be measured (${messageOf(error)}).`);
    }
    if (bytes > maxBytes) {
      return this.#skip(
        version,
        `Not taken: the database (${formatBytes(bytes)}) is larger than the ${formatBytes(maxBytes)} snapshot budget.`,
      );
    }
    try {
      this.copies.copy(LIVE_FACET, snapshotFacet(version));
      this.#objects.take(version);
    } catch {
      return this.#skip(version, this.#settings.cloneRefused ?? "Not taken: the copy failed.", false);
    }
    const takenAt = Date.now();
    this.#sql.exec(
      "INSERT OR REPLACE INTO snapshots (version, state, bytes, taken_at, note) VALUES (?, 'kept', ?, ?, NULL)",
      version,
      bytes,
      takenAt,
    );
    this.#retain(version);
    return this.data(version, null);
  }

  /** Records why `version` has no snapshot; `warn`: say so in the terminal (the budget, a failed measure). */
  #skip(version: number, note: string, warn = true): VersionData {
    // A snapshot this version already has (from "snapshot now") stays; it is older but still its data.
    const existing = this.#row(version);
    if (existing?.state === "kept") return this.data(version, null);
    this.#sql.exec(
      "INSERT OR REPLACE INTO snapshots (version, state, bytes, taken_at, note) VALUES (?, 'skipped', NULL, NULL, ?)",
      version,
      note,
    );
    if (warn) {
      this.#log([
        { kind: "system", level: "warn", at: Date.now(), version, message: `no data snapshot of v${version}: ${note}` },
      ]);
    }
    return { snapshot: false, note };
  }

  /** Drops the oldest snapshots until the newest `maxVersions` fit in `maxBytes`; `justTaken` is kept. */
  #retain(justTaken: number | null): void {
    const { maxVersions, maxBytes } = this.settings;
    const kept = this.#sql
      .exec<{ version: number; bytes: number | null }>(
        "SELECT version, bytes FROM snapshots WHERE state = 'kept' ORDER BY version DESC",
      )
      .toArray();
    let total = 0;
    kept.forEach(({ version, bytes }, index) => {
      total += bytes ?? 0;
      const why =
        index >= maxVersions
          ? `Dropped: only the newest ${maxVersions} snapshot${maxVersions === 1 ? " is" : "s are"} kept.`
          : total > maxBytes && version !== justTaken
            ? `Dropped: the snapshots had reached their ${formatBytes(maxBytes)} budget.`
            : null;
      if (why) this.drop(version, why);
    });
  }

  drop(version: number, note: string): void {
    this.#ctx.facets.delete(snapshotFacet(version));
    this.#objects.drop(version);
    this.#sql.exec("UPDATE snapshots SET state = 'dropped', note = ? WHERE version = ?", note, version);
    this.#log([
      { kind: "system", level: "info", at: Date.now(), version, message: `v${version}'s data snapshot: ${note}` },
    ]);
  }

  #row(version: number): SnapshotRow | null {
    return this.#sql.exec<SnapshotRow>("SELECT * FROM snapshots WHERE version = ?", version).toArray()[0] ?? null;
  }

  /** What the API says of a version's data (`live`: the live version, whose data is the database itself). */
  data(version: number, live: number | null): VersionData {
    return this.#describe(this.#row(version), version === live);
  }

  /** `data` for every version, in one query. */
  all(live: number | null): (version: number) => VersionData {
    const rows = new Map(
      this.#sql
        .exec<SnapshotRow>("SELECT * FROM snapshots")
        .toArray()
        .map((r) => [r.version, r]),
    );
    return (version) => this.#describe(rows.get(version) ?? null, version === live);
  }

  #describe(row: SnapshotRow | null, live: boolean): VersionData {
    if (row?.state === "kept") return { snapshot: true, bytes: row.bytes ?? 0, takenAt: row.taken_at ?? 0 };
    if (row?.note) return { snapshot: false, note: row.note };
    return {
      snapshot: false,
      note: live
        ? "The live version: its data is the app's database now (a snapshot is taken when the next version goes live)."
        : "Saved before data snapshots were kept.",
    };
  }

  /** Whether `version` has a snapshot to restore; else why not (a 404 or the 501). */
  restorable(version: number, live: number | null): Failure | null {
    const refused = this.refusal();
    if (refused) return refused;
    const data = this.data(version, live);
    return data.snapshot ? null : failure("not_found", `v${version} has no data snapshot. ${data.note ?? ""}`.trim());
  }

  /**
   * The two steps of a swap that puts `version`'s snapshot in place of the live database, after
   * snapshotting the live one as `liveVersion` (snapshot-restore.ts); `only`: one object's database.
   */
  restoreSteps(
    version: number,
    liveVersion: number | null,
    measure: () => Promise<number>,
    only: ObjectRef | null = null,
  ): SwapData {
    if (only) return restoreObjectSteps(this.#restore, version, liveVersion, measure, only);
    return restoreSteps(this.#restore, version, liveVersion, measure);
  }

  /** An object `version`'s snapshot holds, by ID, Class:name or name (for a restore of one object). */
  objectIn(version: number, selector: string): ObjectRef | null {
    return this.#objects.objectIn(version, selector);
  }

  /** Disk the kept snapshots hold, as measured when each was taken (the meter's gauge). */
  keptBytes(): number {
    return (
      this.#sql.exec<{ bytes: number | null }>("SELECT sum(bytes) AS bytes FROM snapshots WHERE state = 'kept'").one()
        .bytes ?? 0
    );
  }

  status(liveBytes: number | null): SnapshotsResponse {
    const reason = this.unavailable();
    const settings = this.settings;
    const { count, bytes } = this.#sql
      .exec<{ count: number; bytes: number | null }>(
        "SELECT count(*) AS count, sum(bytes) AS bytes FROM snapshots WHERE state = 'kept'",
      )
      .one();
    return {
      enabled: reason === null,
      ...(reason ? { reason } : {}),
      settings,
      count,
      bytes: bytes ?? 0,
      liveBytes,
      liveFits: reason === null && settings.maxVersions > 0 && (liveBytes ?? 0) <= settings.maxBytes,
    };
  }
}
