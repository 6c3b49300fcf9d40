/**
 * Restoring a version: a new version with its code, and with `data` its snapshot in place of the live
 * database (all of it, or one object of a Worker project's). The live data is snapshotted first, so
 * restoring the version that was live undoes it. A save like any other: queued, checked and committed
 * by the saves (saves.ts), which call this.
 * Tables: none (versions are the store's, snapshots time-travel's).
 */

import type { VersionData } from "../../../shared/api";
import type { RestoreResponse } from "../../../shared/time-travel";
import type { ObjectRef } from "../../app-runtime/protocol";
import { type Failure, failure, type Outcome, success } from "../../outcome";
import { saveWarnings } from "../app-host/app-model";
import type { SwapData } from "../app-host/app-swap";
import { objectLabel } from "../objects/object-reference";
import type { CodeSaves } from "./saves";
import type { SupervisorStore } from "./store";

/** What a restore works with: the saves' own steps and narrow views of the live app and the snapshots. */
export interface RestoreParts {
  store: SupervisorStore;
  live: {
    totalDataSize(): Promise<number>;
    /** The object a restore of one object names (the tools' selector). */
    target(object: string | undefined): Outcome<ObjectRef | null>;
  };
  snapshots: {
    restorable(version: number, live: number | null): Failure | null;
    objectIn(version: number, selector: string): ObjectRef | null;
    restoreSteps(
      version: number,
      liveVersion: number | null,
      measure: () => Promise<number>,
      only: ObjectRef | null,
    ): SwapData;
    data(version: number, live: number | null): VersionData;
  };
  /** The saves' own steps (saves.ts, which calls this: a type-only import, so no cycle at runtime). */
  saves: Pick<CodeSaves, "queue" | "cooldownRefusal" | "identify" | "check" | "commit">;
}

export function restoreVersion(
  { store, live: app, snapshots, saves }: RestoreParts,
  version: number,
  data: boolean,
  object?: string,
): Promise<Outcome<RestoreResponse>> {
  return saves.queue(async () => {
    const cooling = saves.cooldownRefusal();
    if (cooling) return cooling;
    const row = store.version(version);
    if (!row) return failure("not_found", `No version ${version}`);
    const live = store.project?.currentVersion ?? null;
    if (data) {
      const refusal = snapshots.restorable(version, live);
      if (refusal) return refusal;
    }
    // One object of a Worker project: named by the tools' selector, or one the snapshot holds.
    let only: ObjectRef | null = null;
    if (object !== undefined) {
      if (!data) return failure("bad_request", "object names the object whose data to restore: pass data: true");
      const chosen = app.target(object);
      if (chosen.ok && chosen.value) only = chosen.value;
      else {
        const held = snapshots.objectIn(version, object);
        if (!held)
          return chosen.ok ? failure("not_found", `v${version}'s snapshot holds no object '${object}'`) : chosen;
        only = held;
      }
    }
    const identity = await saves.identify(row.files, row.main);
    if (!identity.ok) return identity;
    const current = store.currentVersion();
    if (!data && current && current.contentHash === identity.value.contentHash) {
      const warnings = saveWarnings(row.files);
      return success({
        version: current.version,
        codeId: current.codeId,
        created: false,
        warnings,
        restoredData: false,
        undoWith: null,
      });
    }
    // Its packages exactly as it had them (its lock), not what the live version's would resolve to.
    const checked = await saves.check(row.files, identity.value, { version: live }, row.lock);
    if (!checked.ok) return checked;
    const what = data ? `code and data` : "code";
    const saved = await saves.commit(
      checked.value,
      (next) => `The app was restored to v${version}'s ${what} as v${next}`,
      data ? (previous) => snapshots.restoreSteps(version, previous, () => app.totalDataSize(), only) : undefined,
      (next) => [
        {
          kind: "system",
          level: "info",
          at: Date.now(),
          version: next,
          message: only
            ? `restored v${version}'s code as v${next}, and ${objectLabel(only)}'s data as v${version} left it; the other objects keep theirs`
            : data
              ? `restored v${version}'s code and data as v${next}${live === null ? "" : `; the data v${live} left is its snapshot (restore v${live} with data to undo)`}`
              : `restored v${version}'s code as v${next}; the data stays as it was`,
        },
      ],
    );
    if (!saved.ok) return saved;
    const undoWith = data && live !== null && snapshots.data(live, null).snapshot ? live : null;
    return success({ ...saved.value, restoredData: data, undoWith });
  });
}
