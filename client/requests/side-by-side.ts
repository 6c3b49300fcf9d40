/** Two answers' bodies as the rows of a side-by-side diff (the `diff` library finds the lines). */
import { diffLines } from "diff";
import type { ReplayAnswer } from "../../shared/requests";

/** One row: the recorded side and the replayed side, null where the other side has lines this one lacks. */
export type DiffRow = { left: string | null; right: string | null; kind: "same" | "changed" };

/**
 * A run of removed and added lines, written into `rows` side by side (removed beside the added that
 * replace it) by `flush`, when a kept line or the end closes the run.
 */
export function changedRun(rows: { push(row: DiffRow): unknown }) {
  const removed: string[] = [];
  const added: string[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      rows.push({ left: removed[i] ?? null, right: added[i] ?? null, kind: "changed" });
    }
    removed.length = 0;
    added.length = 0;
  };
  return { removed, added, flush };
}

/** Lines paired across the two bodies: kept lines on both sides, removed beside added where they meet. */
export function sideBySide(recorded: ReplayAnswer, replayed: ReplayAnswer): DiffRow[] {
  if (recorded.encoding !== "text" || replayed.encoding !== "text") {
    const same = recorded.body === replayed.body;
    return [
      {
        left: "(binary body)",
        right: same ? "(the same binary body)" : "(a different binary body)",
        kind: same ? "same" : "changed",
      },
    ];
  }
  const rows: DiffRow[] = [];
  const { removed, added, flush } = changedRun(rows);
  for (const part of diffLines(recorded.body, replayed.body)) {
    const lines = part.value.replace(/\n$/, "").split("\n");
    if (part.removed) removed.push(...lines);
    else if (part.added) added.push(...lines);
    else {
      flush();
      for (const line of lines) rows.push({ left: line, right: line, kind: "same" });
    }
  }
  flush();
  return rows;
}
