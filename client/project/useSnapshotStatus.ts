/**
 * Whether the next save will snapshot the live data, asked when the editor gets edits (before the
 * save, not after) and after each new version: a database past the snapshot budget is not copied,
 * and where the platform cannot copy databases, snapshots and drafts are off. Null while all is well.
 */
import { useEffect, useState } from "react";
import { formatBytes } from "../../shared/format";
import type { SnapshotsResponse } from "../../shared/time-travel";
import { api } from "../lib/api";

export function useSnapshotStatus(projectId: string, token: string, dirty: boolean, liveVersion: number | null) {
  const [status, setStatus] = useState<SnapshotsResponse | null>(null);

  // Asked on open, whenever the editor gets edits (or loses them by a save), and after each new live
  // version: `dirty` and `liveVersion` are what should trigger it, though the body does not read them.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    let cancelled = false;
    api.snapshots(projectId, token).then(
      (answer) => !cancelled && setStatus(answer),
      () => {
        // Without an answer there is nothing to warn about.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [projectId, token, dirty, liveVersion]);

  return {
    status,
    /** What to say beside Save, or null. */
    warning: warningOf(status, liveVersion),
    /** Why "Try on a copy" cannot work here, or null. */
    draftsOff: status && !status.enabled ? (status.reason ?? "Drafts are off") : null,
  };
}

function warningOf(status: SnapshotsResponse | null, liveVersion: number | null): string | null {
  if (!status || liveVersion === null || status.liveFits) return null;
  if (!status.enabled) return null;
  if (status.settings.maxVersions === 0) return null;
  return `The database (${formatBytes(status.liveBytes ?? 0)}) is larger than the ${formatBytes(status.settings.maxBytes)} snapshot budget: saving will keep no copy of the data v${liveVersion} leaves, so it cannot be restored with it.`;
}
