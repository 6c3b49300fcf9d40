/**
 * Data snapshots: the app's database as each version left it, so a version can be restored with its
 * data. A snapshot is a copy of the facet "app" made with `ctx.facets.clone` into the facet
 * "snapshot:v<N>" while a swap holds the gate (nothing runs), just before version N is replaced. On
 * ext4 a clone is a full file copy (docs/platform.md), so retention keeps the newest `maxVersions`
 * snapshots within `maxBytes` in all, dropping the oldest first, and a database larger than the
 * budget is not copied at all. Each version's row says what happened (kept, dropped, not taken).
 *
 * Where the platform refuses `clone` (Cloudflare's docs do not list it yet), the first refusal is
 * recorded: snapshots and drafts turn off with that reason, and everything else keeps working.
 */
import type { VersionData } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { formatBytes } from "../../../shared/format";
import type { NewLogEntry } from "../../../shared/logs";
import type { SnapshotSettings, SnapshotsResponse } from "../../../shared/time-travel";
import type { ObjectRef } from "../../app-runtime/protocol";
import { type Failure, failure } from "../../outcome";
import type { ObjectRegistry } from "../objects/objects";

export const LIVE_FACET = "app";
export const DRAFT_FACET = "draft";
export const snapshotFacet = (version: number) => `snapshot:v${version}`;
/** A Worker project's object's facet under `base` (LIVE_FACET, DRAFT_FACET, a snapshot's): `app:o:<id>`. */
export const objectFacet = (base: string, id: string) => `${base}:o:${id}`;
/** Holds a snapshot while the version it belongs to is snapshotted again (restoring the live version's own). */
const RESTORING_FACET = "snapshot:restoring";

const MIB = 1024 * 1024;

/**
 * The deployment's defaults, from SNAPSHOT_MAX_VERSIONS and SNAPSHOT_MAX_MIB in wrangler.jsonc. A
 * value that is not a number in range is reported and the built-in default used.
 */
export function snapshotDefaults(env: { SNAPSHOT_MAX_VERSIONS?: unknown; SNAPSHOT_MAX_MIB?: unknown }) {
  const read = (name: string, configured: unknown, fallback: number, max: number) => {
    const value = typeof configured === "string" && configured.trim() ? Number(configured) : configured;
    if (typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= max) return value;
    if (configured !== undefined) {
      console.error(
        `${name} must be a number from 0 to ${max}; got ${JSON.stringify(configured)}, so ${fallback} is used`,
      );
    }
    return fallback;
  };
  return {
    maxVersions: Math.floor(read("SNAPSHOT_MAX_VERSIONS", env.SNAPSHOT_MAX_VERSIONS, 20, 1000)),
    maxBytes: Math.round(read("SNAPSHOT_MAX_MIB", env.SNAPSHOT_MAX_MIB, 200, 1024 * 1024) * MIB),
  } satisfies SnapshotSettings;
}

/** An object a snapshot holds. */
type SnapshotObject = { id: string; className: string; name: string | null; bytes: number | null };

type SettingsRow = { max_versions: number | null; max_bytes: number | null; clone_refused: string | null };

type SnapshotRow = {
  version: number;
  state: "kept" | "dropped" | "skipped";
  bytes: number | null;
  taken_at: number | null;
  note: string | null;
};

export class Snapshots {
  #ctx: DurableObjectState;
  #sql: SqlStorage;
  #defaults: SnapshotSettings;
  #log: (entries: NewLogEntry[]) => void;
  /** Whether a clone has worked in this supervisor's life (then no probe is needed). */
  #cloneWorked = false;

  /** A Worker project's live objects, each snapshotted with the App's facet. */
  #objects: ObjectRegistry;

  constructor(
    ctx: DurableObjectState,
    defaults: SnapshotSettings,
    log: (entries: NewLogEntry[]) => void,
    objects: ObjectRegistry,
  ) {
    this.#ctx = ctx;
    this.#sql = ctx.storage.sql;
    this.#defaults = defaults;
    this.#log = log;
    this.#objects = objects;
    // Which objects each snapshot holds (a Worker project's; the App's facet is the snapshot itself).
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS snapshot_objects (
      version INTEGER NOT NULL,
      id TEXT NOT NULL,
      class TEXT NOT NULL,
      name TEXT,
      bytes INTEGER,
      PRIMARY KEY (version, id)
    )`);
  }

  /** The objects a snapshot holds. */
  #objectsOf(version: number): SnapshotObject[] {
    return this.#sql
      .exec<{ id: string; class: string; name: string | null; bytes: number | null }>(
        "SELECT id, class, name, bytes FROM snapshot_objects WHERE version = ?",
        version,
      )
      .toArray()
      .map((r) => ({ id: r.id, className: r.class, name: r.name, bytes: r.bytes }));
  }

  /** Copies every live object into `version`'s snapshot, replacing what it held. */
  #takeObjects(version: number): void {
    this.#dropObjects(version);
    this.#objects.flush();
    for (const o of this.#objects.list()) {
      this.copy(objectFacet(LIVE_FACET, o.id), objectFacet(snapshotFacet(version), o.id));
      this.#sql.exec(
        "INSERT INTO snapshot_objects (version, id, class, name, bytes) VALUES (?, ?, ?, ?, ?)",
        version,
        o.id,
        o.class,
        o.name,
        o.bytes,
      );
    }
  }

  #dropObjects(version: number): void {
    for (const { id } of this.#objectsOf(version)) this.#ctx.facets.delete(objectFacet(snapshotFacet(version), id));
    this.#sql.exec("DELETE FROM snapshot_objects WHERE version = ?", version);
  }

  /**
   * Puts the objects of the snapshot under `base` (holding `rows`) in place of the live ones: live
   * objects the snapshot lacks are deleted, and the registry lists what the snapshot held.
   */
  #restoreObjects(base: string, rows: SnapshotObject[]): void {
    const keep = new Set(rows.map((r) => r.id));
    for (const { id } of this.#objects.list()) {
      if (!keep.has(id)) this.#ctx.facets.delete(objectFacet(LIVE_FACET, id));
    }
    for (const { id } of rows) this.copy(objectFacet(base, id), objectFacet(LIVE_FACET, id));
    this.#objects.replace(rows);
  }

  /**
   * The settings row as last read: a swap reads it three times, at about 0.1 ms of the supervisor's
   * CPU each (bench/profile/cpu-profile.mjs save), and only this class writes it (`forget` after the
   * store wipes every table).
   */
  #settingsCache: SettingsRow | null = null;

  #settingsRow(): SettingsRow {
    this.#settingsCache ??= this.#sql
      .exec<SettingsRow>("SELECT max_versions, max_bytes, clone_refused FROM snapshot_settings")
      .toArray()[0] ?? { max_versions: null, max_bytes: null, clone_refused: null };
    return this.#settingsCache;
  }

  /** Drops what is kept in memory of the tables (the store wiped them). */
  forget(): void {
    this.#settingsCache = null;
    this.#cloneWorked = false;
  }

  get settings(): SnapshotSettings {
    const row = this.#settingsRow();
    return {
      maxVersions: row.max_versions ?? this.#defaults.maxVersions,
      maxBytes: row.max_bytes ?? this.#defaults.maxBytes,
    };
  }

  /** Changes the project's retention; snapshots past the new limits are dropped at once. */
  setSettings(changes: Partial<SnapshotSettings>): void {
    const next = { ...this.settings, ...changes };
    this.#sql.exec(
      `INSERT INTO snapshot_settings (singleton, max_versions, max_bytes) VALUES (1, ?, ?)
       ON CONFLICT (singleton) DO UPDATE SET max_versions = excluded.max_versions, max_bytes = excluded.max_bytes`,
      next.maxVersions,
      next.maxBytes,
    );
    this.#settingsCache = null;
    this.#retain(null);
  }

  /**
   * Why snapshots and drafts are off (the platform refused to copy a database), or null when they
   * work. Until a copy has worked in this supervisor's life, a copy of an empty facet finds out.
   */
  unavailable(): string | null {
    const refused = this.#settingsRow().clone_refused;
    if (refused || this.#cloneWorked) return refused;
    try {
      this.copy("snapshot:probe", "snapshot:probe-copy");
      this.#ctx.facets.delete("snapshot:probe-copy");
      this.#ctx.facets.delete("snapshot:probe");
    } catch {
      // Recorded by copy().
    }
    return this.#settingsRow().clone_refused;
  }

  /** The 501 answer for what needs copies (restoring data, drafts) while they are off; else null. */
  refusal(): Failure | null {
    const reason = this.unavailable();
    return reason ? failure(501, "not_implemented", reason) : null;
  }

  /**
   * Copies facet `src` (with its database) over `dst`, which it replaces: requests running in `dst`
   * fail ("Facet was cloned-over"), so callers hold `dst`'s gate. A refusal turns snapshots off.
   */
  copy(src: string, dst: string): void {
    try {
      this.#ctx.facets.clone(src, dst);
      this.#cloneWorked = true;
    } catch (error) {
      const reason = `Snapshots and drafts are off: this platform refused to copy the app's database (ctx.facets.clone: ${messageOf(error)}). Everything else works.`;
      this.#sql.exec(
        `INSERT INTO snapshot_settings (singleton, clone_refused) VALUES (1, ?)
         ON CONFLICT (singleton) DO UPDATE SET clone_refused = excluded.clone_refused`,
        reason,
      );
      this.#settingsCache = null;
      this.#log([{ kind: "system", level: "warn", at: Date.now(), version: null, message: reason }]);
      throw error;
    }
  }

  /**
   * Copies a Worker project's objects (`from`'s, under the facet `fromBase`) over `to`'s (under
   * `toBase`): each database is copied, the objects `to` has and `from` does not are deleted, and
   * `to` then lists what `from` does. Callers hold the gate of `to`'s app, whose instances are stopped.
   */
  copyObjects(from: ObjectRegistry, fromBase: string, to: ObjectRegistry, toBase: string): void {
    from.flush();
    const keep = new Set(from.list().map((o) => o.id));
    for (const { id } of to.list()) if (!keep.has(id)) this.#ctx.facets.delete(objectFacet(toBase, id));
    for (const id of keep) this.copy(objectFacet(fromBase, id), objectFacet(toBase, id));
    to.copyFrom(from);
  }

  /**
   * Snapshots the live database as `version` leaves it. Called inside a swap, before the old
   * instance is stopped; `measure` gives the database's size. Never throws: a snapshot that cannot
   * be taken is recorded with the reason, and the swap goes on.
   */
  async take(version: number, measure: () => Promise<number>): Promise<VersionData> {
    const { maxVersions, maxBytes } = this.settings;
    const refused = this.#settingsRow().clone_refused;
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
      this.copy(LIVE_FACET, snapshotFacet(version));
      this.#takeObjects(version);
    } catch {
      return this.#skip(version, this.#settingsRow().clone_refused ?? "Not taken: the copy failed.", false);
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
    this.#dropObjects(version);
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
    return data.snapshot
      ? null
      : failure(404, "not_found", `v${version} has no data snapshot. ${data.note ?? ""}`.trim());
  }

  /**
   * The two steps of a swap that puts `version`'s snapshot in place of the live database, after
   * snapshotting the live one as `liveVersion` (so another restore undoes it). Restoring the live
   * version's own snapshot keeps it aside first, since snapshotting the live data replaces it.
   */
  restoreSteps(
    version: number,
    liveVersion: number | null,
    measure: () => Promise<number>,
    only: ObjectRef | null = null,
  ) {
    if (only) return this.#restoreObjectSteps(version, liveVersion, measure, only);
    const source = version === liveVersion ? RESTORING_FACET : snapshotFacet(version);
    let objects = this.#objectsOf(version);
    return {
      beforeAbort: async () => {
        if (source === RESTORING_FACET) {
          this.copy(snapshotFacet(version), RESTORING_FACET);
          objects = this.#objectsOf(version);
          for (const { id } of objects)
            this.copy(objectFacet(snapshotFacet(version), id), objectFacet(RESTORING_FACET, id));
        }
        if (liveVersion !== null) await this.take(liveVersion, measure);
      },
      afterAbort: () => {
        this.copy(source, LIVE_FACET);
        this.#restoreObjects(source, objects);
        if (source === RESTORING_FACET) {
          this.#ctx.facets.delete(RESTORING_FACET);
          for (const { id } of objects) this.#ctx.facets.delete(objectFacet(RESTORING_FACET, id));
        }
      },
    };
  }

  /**
   * Like restoreSteps for one object of a Worker project: its database goes back to the snapshot of
   * `version` (it is deleted if the snapshot does not hold it), the App's and the others' stay.
   */
  #restoreObjectSteps(version: number, liveVersion: number | null, measure: () => Promise<number>, only: ObjectRef) {
    const held = this.#objectsOf(version).find((o) => o.id === only.id);
    const aside = objectFacet(RESTORING_FACET, only.id);
    return {
      beforeAbort: async () => {
        if (held) this.copy(objectFacet(snapshotFacet(version), only.id), aside);
        if (liveVersion !== null) await this.take(liveVersion, measure);
      },
      afterAbort: () => {
        const live = objectFacet(LIVE_FACET, only.id);
        if (held) {
          this.copy(aside, live);
          this.#ctx.facets.delete(aside);
          this.#objects.restore(held);
        } else {
          this.#ctx.facets.delete(live);
          this.#objects.remove(only.id);
        }
      },
    };
  }

  /** An object `version`'s snapshot holds, by ID, Class:name or name (for a restore of one object). */
  objectIn(version: number, selector: string): ObjectRef | null {
    const found = this.#objectsOf(version).find(
      (o) => o.id === selector || (o.name !== null && (`${o.className}:${o.name}` === selector || o.name === selector)),
    );
    return found ? { class: found.className, id: found.id, name: found.name } : null;
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
