/**
 * The project's snapshot retention (how many versions' data, within how many bytes) over the
 * deployment's defaults, and whether the platform refused to copy a database (then snapshots and
 * drafts are off, and this says why).
 *
 * Table: `snapshot_settings`, one row once either was set (createSnapshotSettingsTable).
 */
import type { SnapshotSettings } from "../../../shared/time-travel";
import { type Ceilings, ceilingName, DEFAULT_CEILINGS } from "../metering/ceilings";

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

/** Makes `snapshot_settings`. */
export function createSnapshotSettingsTable(sql: SqlStorage): void {
  sql.exec(`
    -- The project's snapshot retention (null: the deployment's default), and whether the platform
    -- refused to copy a database (then snapshots and drafts are off, and this says why).
    CREATE TABLE IF NOT EXISTS snapshot_settings (
      singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
      max_versions INTEGER,
      max_bytes INTEGER,
      clone_refused TEXT
    );`);
}

type SettingsRow = { max_versions: number | null; max_bytes: number | null; clone_refused: string | null };

export class SnapshotSettingsTable {
  #sql: SqlStorage;
  #defaults: SnapshotSettings;
  /**
   * The row as last read: a swap reads it three times, at about 0.1 ms of the supervisor's CPU each
   * (bench/profile/cpu-profile.mjs save), and only this class writes it (`forget` after the store
   * wipes every table).
   */
  #cache: SettingsRow | null = null;

  #ceilings: Ceilings;

  /** `ceilings`: the operator's (metering/ceilings.ts); a default or stored setting above one is held to it. */
  constructor(sql: SqlStorage, defaults: SnapshotSettings, ceilings: Ceilings = DEFAULT_CEILINGS) {
    this.#sql = sql;
    this.#defaults = defaults;
    this.#ceilings = ceilings;
  }

  /** Why a change cannot be made (a setting above the operator's ceiling), or null. */
  refusal(changes: Partial<SnapshotSettings>): string | null {
    const { snapshots, snapshotBytes } = this.#ceilings;
    if (changes.maxVersions !== undefined && changes.maxVersions > snapshots) {
      return `maxVersions ${changes.maxVersions} is above the operator's ceiling of ${snapshots} snapshots per project (${ceilingName("snapshots")})`;
    }
    if (changes.maxBytes !== undefined && changes.maxBytes > snapshotBytes) {
      return `maxBytes ${changes.maxBytes} is above the operator's ceiling of ${snapshotBytes} bytes of snapshots per project (${ceilingName("snapshotBytes")})`;
    }
    return null;
  }

  #row(): SettingsRow {
    this.#cache ??= this.#sql
      .exec<SettingsRow>("SELECT max_versions, max_bytes, clone_refused FROM snapshot_settings")
      .toArray()[0] ?? { max_versions: null, max_bytes: null, clone_refused: null };
    return this.#cache;
  }

  /** Drops the row kept in memory (the store wiped the table). */
  forget(): void {
    this.#cache = null;
  }

  get settings(): SnapshotSettings {
    const row = this.#row();
    return {
      maxVersions: Math.min(row.max_versions ?? this.#defaults.maxVersions, this.#ceilings.snapshots),
      maxBytes: Math.min(row.max_bytes ?? this.#defaults.maxBytes, this.#ceilings.snapshotBytes),
    };
  }

  /** Changes the project's retention (the snapshots past it are dropped by their owner, snapshots.ts). */
  set(changes: Partial<SnapshotSettings>): void {
    const next = { ...this.settings, ...changes };
    this.#sql.exec(
      `INSERT INTO snapshot_settings (singleton, max_versions, max_bytes) VALUES (1, ?, ?)
       ON CONFLICT (singleton) DO UPDATE SET max_versions = excluded.max_versions, max_bytes = excluded.max_bytes`,
      next.maxVersions,
      next.maxBytes,
    );
    this.#cache = null;
  }

  /** Why the platform refused to copy a database, once it did; else null. */
  get cloneRefused(): string | null {
    return this.#row().clone_refused;
  }

  /** Records that the platform refused to copy a database, and why: snapshots and drafts turn off. */
  refuseClones(reason: string): void {
    this.#sql.exec(
      `INSERT INTO snapshot_settings (singleton, clone_refused) VALUES (1, ?)
       ON CONFLICT (singleton) DO UPDATE SET clone_refused = excluded.clone_refused`,
      reason,
    );
    this.#cache = null;
  }
}
