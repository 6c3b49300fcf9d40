/**
 * The operator's hard ceilings: environment variables (wrangler.jsonc vars) that no project setting,
 * limit or default can exceed. A PUT above one answers 400 naming it; a project's stored setting or a
 * deployment default above one is held to it (the lower applies). With them, the disk one project
 * holds in the data folder is at most FACET_IDE_MAX_DATABASE_BYTES (its app's database) plus
 * FACET_IDE_MAX_SNAPSHOT_BYTES_PER_PROJECT (its snapshots), plus drafts' copies of the database.
 *
 * Not covered here: the ceiling for all projects together, the data folder's total, which exists only
 * locally and is the launcher's (FACET_IDE_MAX_DATA_FOLDER_MB, server/data-folder.ts); and a Worker
 * project's objects' databases each have the database ceiling (so at most `objects` times it).
 */

/** What the operator allows a project at most. */
export interface Ceilings {
  /** Snapshots a project keeps (its maxVersions). */
  snapshots: number;
  /** Bytes of snapshots a project keeps (its maxBytes). */
  snapshotBytes: number;
  /** Bytes of an app's SQLite database (its databaseBytes limit). */
  databaseBytes: number;
  /** WebSocket messages a second one socket delivers to the app (its socketMessagesPerSecond limit). */
  socketMessagesPerSecond: number;
  /** WebSocket messages a second all of an app's sockets deliver (its projectSocketMessagesPerSecond limit). */
  projectSocketMessagesPerSecond: number;
}

const GIB = 1024 * 1024 * 1024;

/** The defaults when the operator set none: room for the built-in defaults (20 snapshots, 200 MiB, a 1 GiB database). */
export const DEFAULT_CEILINGS: Ceilings = {
  snapshots: 100,
  snapshotBytes: 2 * GIB,
  databaseBytes: 2 * GIB,
  socketMessagesPerSecond: 1_000,
  projectSocketMessagesPerSecond: 5_000,
};

/** The ceiling each variable sets, and the largest it may say (Cloudflare's 10 GB for a database). */
const VARIABLES = {
  snapshots: { name: "FACET_IDE_MAX_SNAPSHOTS_PER_PROJECT", max: 1000 },
  snapshotBytes: { name: "FACET_IDE_MAX_SNAPSHOT_BYTES_PER_PROJECT", max: 1e15 },
  databaseBytes: { name: "FACET_IDE_MAX_DATABASE_BYTES", max: 10_000_000_000 },
  socketMessagesPerSecond: { name: "FACET_IDE_MAX_SOCKET_MESSAGES_PER_SECOND", max: 100_000 },
  projectSocketMessagesPerSecond: { name: "FACET_IDE_MAX_PROJECT_SOCKET_MESSAGES_PER_SECOND", max: 1_000_000 },
} as const;

/** The ceilings from the environment; a value that is not a whole number in range is reported and the default used. */
export function operatorCeilings(env: Record<string, unknown>): Ceilings {
  const ceilings = { ...DEFAULT_CEILINGS };
  for (const key of Object.keys(VARIABLES) as (keyof Ceilings)[]) {
    const { name, max } = VARIABLES[key];
    const configured = env[name];
    if (configured === undefined || configured === null || configured === "") continue;
    const value = typeof configured === "string" ? Number(configured.trim()) : configured;
    if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= max) ceilings[key] = value;
    else {
      console.error(
        `${name} must be a whole number from 0 to ${max}; got ${JSON.stringify(configured)}, so ${DEFAULT_CEILINGS[key]} is used`,
      );
    }
  }
  return ceilings;
}

/** The variable that sets a ceiling, for messages. */
export function ceilingName(key: keyof Ceilings): string {
  return VARIABLES[key].name;
}
