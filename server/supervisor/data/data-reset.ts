/**
 * The Data view's reset: all of the app's data (or one object's) dropped, queued with saves and
 * restores, snapshotted first when snapshots work so that restoring the live version with its data
 * undoes it, and said in the log.
 */
import type { VersionData } from "../../../shared/api";
import type { ResetResponse } from "../../../shared/data";
import type { Target } from "../app-host/app-stub";
import { objectLabel } from "../objects/object-reference";
import { listTables, type RunStatement } from "./catalog";
import type { DataParts } from "./data-parts";

/**
 * Drops all of the app's data: once requests in flight are drained, the facet and its database
 * are deleted (every table, every storage.kv pair), and the next request starts the app's class
 * on an empty database, which its constructor sets up again. When snapshots work, the data is
 * first snapshotted as the live version's (in the same swap, so nothing is written between), and
 * restoring the live version with its data undoes the reset.
 */
export function resetData(parts: DataParts, target: Target, run: RunStatement): Promise<ResetResponse> {
  const { app, store, snapshots, saves, record } = parts;
  return saves.queue(async () => {
    const { tables } = await listTables(run);
    const version = store.project?.currentVersion ?? null;
    let snapshot: VersionData | null = null;
    const takeSnapshot =
      version !== null && snapshots.unavailable() === null
        ? async () => {
            snapshot = await snapshots.take(version, () => app.totalDataSize());
          }
        : undefined;
    if (target) {
      // One object of a Worker project: its database goes, the others stay.
      await takeSnapshot?.();
      await app.deleteObject(target, `${objectLabel(target)}'s data was reset`);
    } else {
      await app.deleteData(version, "The app's data was reset", takeSnapshot);
    }
    const dropped = tables.length === 0 ? "no tables" : tables.map((t) => t.name).join(", ");
    const undo = (snapshot as VersionData | null)?.snapshot
      ? `; a snapshot was taken first: restore v${version} with its data to undo it`
      : "; no snapshot was taken, so it cannot be undone";
    record([
      {
        kind: "system",
        level: "warn",
        at: Date.now(),
        version,
        ...(target ? { object: objectLabel(target) } : {}),
        message: `${target ? `${objectLabel(target)}'s` : "the app's"} data was reset from the Data view: dropped ${dropped} and every storage.kv pair${undo}`,
      },
    ]);
    return { droppedTables: tables.map((t) => t.name), version, snapshot };
  });
}
