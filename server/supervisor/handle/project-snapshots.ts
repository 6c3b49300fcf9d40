/**
 * An opened project's snapshot operations (project-handle.ts calls these): the retention settings and
 * the use of the budget, and a snapshot of the live data taken now, queued with the saves.
 * Tables: none (the snapshots' are time-travel's, snapshots.ts).
 */
import type { SetSnapshotSettingsRequest, SnapshotNowResponse, SnapshotsResponse } from "../../../shared/time-travel";
import { DATA_SIZE_METHOD } from "../../app-runtime/protocol";
import { failure, type Outcome, success } from "../../outcome";
import type { ProjectParts } from "./project-parts";

type SnapshotParts = Pick<ProjectParts, "app" | "snapshots" | "store">;

/** Snapshot retention and use, and whether the live database fits the budget (asked before a save). */
export async function snapshotStatus({ app, snapshots, store }: SnapshotParts): Promise<Outcome<SnapshotsResponse>> {
  const live = store.project?.currentVersion ?? null;
  const bytes = live === null ? null : await app.dataSizeNow().catch(() => null);
  return success(snapshots.status(bytes));
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
