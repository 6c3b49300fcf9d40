/**
 * Restoring a version's data: the two steps of a swap (app-host/app-swap.ts, SwapData) that put a
 * snapshot in place of the live database, after snapshotting the live one (so another restore
 * undoes it): for the App's database with every object's, or for one object of a Worker project.
 */
import type { VersionData } from "../../../shared/api";
import type { ObjectRef } from "../../app-runtime/protocol";
import type { SwapData } from "../app-host/app-swap";
import { LIVE_FACET, objectFacet, RESTORING_FACET, snapshotFacet } from "../app-host/facet-names";
import type { ObjectRegistry } from "../objects/objects";
import type { FacetCopies } from "./facet-copies";
import type { SnapshotObjects } from "./snapshot-objects";

/** What a restore works with: the copies, the snapshots' objects, the live registry, and `take`. */
export interface RestoreParts {
  ctx: DurableObjectState;
  copies: FacetCopies;
  objects: SnapshotObjects;
  live: ObjectRegistry;
  /** Snapshots the live data as `version` leaves it (snapshots.ts). */
  take(version: number, measure: () => Promise<number>): Promise<VersionData>;
}

/**
 * The two steps of a swap that puts `version`'s snapshot in place of the live database, after
 * snapshotting the live one as `liveVersion` (so another restore undoes it). Restoring the live
 * version's own snapshot keeps it aside first, since snapshotting the live data replaces it.
 */
export function restoreSteps(
  parts: RestoreParts,
  version: number,
  liveVersion: number | null,
  measure: () => Promise<number>,
): SwapData {
  const { ctx, copies } = parts;
  const source = version === liveVersion ? RESTORING_FACET : snapshotFacet(version);
  let objects = parts.objects.of(version);
  return {
    beforeAbort: async () => {
      if (source === RESTORING_FACET) {
        copies.copy(snapshotFacet(version), RESTORING_FACET);
        objects = parts.objects.of(version);
        for (const { id } of objects)
          copies.copy(objectFacet(snapshotFacet(version), id), objectFacet(RESTORING_FACET, id));
      }
      if (liveVersion !== null) await parts.take(liveVersion, measure);
    },
    afterAbort: () => {
      copies.copy(source, LIVE_FACET);
      parts.objects.restore(source, objects);
      if (source === RESTORING_FACET) {
        ctx.facets.delete(RESTORING_FACET);
        for (const { id } of objects) ctx.facets.delete(objectFacet(RESTORING_FACET, id));
      }
    },
  };
}

/**
 * Like restoreSteps for one object of a Worker project: its database goes back to the snapshot of
 * `version` (it is deleted if the snapshot does not hold it), the App's and the others' stay.
 */
export function restoreObjectSteps(
  parts: RestoreParts,
  version: number,
  liveVersion: number | null,
  measure: () => Promise<number>,
  only: ObjectRef,
): SwapData {
  const { ctx, copies } = parts;
  const held = parts.objects.of(version).find((o) => o.id === only.id);
  const aside = objectFacet(RESTORING_FACET, only.id);
  return {
    beforeAbort: async () => {
      if (held) copies.copy(objectFacet(snapshotFacet(version), only.id), aside);
      if (liveVersion !== null) await parts.take(liveVersion, measure);
    },
    afterAbort: () => {
      const live = objectFacet(LIVE_FACET, only.id);
      if (held) {
        copies.copy(aside, live);
        ctx.facets.delete(aside);
        parts.live.restore(held);
      } else {
        ctx.facets.delete(live);
        parts.live.remove(only.id);
      }
    },
  };
}
