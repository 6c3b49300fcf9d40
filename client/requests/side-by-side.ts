/** Two answers' bodies as the rows of a side-by-side diff (the `diff` library finds the lines). */
import { diffLines } from "diff";
import type { ReplayAnswer } from "../../shared/requests";

/** One row: the recorded side and the replayed side, null where the other side has lines this one lacks. */
export type DiffRow = { left: string | null; right: string | null; kind: "same" | "changed" };

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
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      rows.push({ left: removed[i] ?? null, right: added[i] ?? null, kind: "changed" });
    }
    removed = [];
    added = [];
  };
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
