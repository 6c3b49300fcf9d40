/**
 * An opened project's snapshot operations (project-handle.ts calls these): the retention settings and
 * the use of the budget, and a snapshot of the live data taken now, queued with the saves.
 * Tables: none (the snapshots' are time-travel's, snapshots.ts).
 */
import type { SetSnapshotSettingsRequest, SnapshotNowResponse, SnapshotsResponse } from "../../../shared/time-travel";
import { DATA_SIZE_METHOD } from "../../app-runtime/protocol";
import { failure, type Outcome, success } from "../../outcome";
import type { ProjectParts } from "./project-parts";

type SnapshotParts = Pick<ProjectParts, "app" | "snapshots" | "store" | "objects">;

/** Snapshot retention and use, and whether the live database fits the budget (asked before a save). */
export async function snapshotStatus(parts: SnapshotParts): Promise<Outcome<SnapshotsResponse>> {
  const live = parts.store.project?.currentVersion ?? null;
  const bytes = live === null ? null : await liveDataSize(parts).catch(() => null);
  return success(parts.snapshots.status(bytes));
}

/**
 * What a save's snapshot would copy: the App's database, or every object's of a Worker project (whose
 * App facet holds nothing). A running object is asked as a request would ask; one that is not has
 * not changed since it was last measured, so no gate is held for it unless it never was.
 */
async function liveDataSize({ app, objects }: Pick<SnapshotParts, "app" | "objects">): Promise<number> {
  if (app.source.config() === null) return app.dataSizeNow();
  const sizes = await Promise.all(
    objects.list().map(({ id, bytes }) => {
      const ref = objects.ref(id);
      if (!ref) return 0;
      return bytes !== null && !app.isRunning(ref) ? bytes : app.dataSizeNow(ref);
    }),
  );
  return sizes.reduce((sum, bytes) => sum + bytes, 0);
}

export async function setSnapshotSettings(
  parts: SnapshotParts,
  changes: SetSnapshotSettingsRequest,
): Promise<Outcome<SnapshotsResponse>> {
  const refusal = parts.snapshots.setSettings(changes);
  if (refusal) return failure("bad_request", refusal);
  return snapshotStatus(parts);
}

/**
 * Snapshots the live data now, as the live version's snapshot (replacing an earlier one of it):
 * for a change about to be made to the data (the Data view's Reset), which restoring the live
 * version with its data then undoes.
 */
export function snapshotNow({
  saves,
  app,
  snapshots,
  store,
}: SnapshotParts & Pick<ProjectParts, "saves">): Promise<Outcome<SnapshotNowResponse>> {
  return saves.queue(async () => {
    const refusal = snapshots.refusal();
    if (refusal) return refusal;
    const version = store.project?.currentVersion ?? null;
    if (version === null) return failure("conflict", "The project has no version yet, so no data to snapshot");
    const data = await app.withDatabase("snapshot", (facet) =>
      snapshots.take(version, () => (app.source.config() ? app.totalDataSize() : facet[DATA_SIZE_METHOD]())),
    );
    return success({ version, data });
  });
}
