/**
 * Comparing a recorded answer with a replayed one (pure): which of status, body and exception
 * changed, the bodies' diff by line (the `diff` library), and the replay report's totals.
 */
import { diffLines } from "diff";
import type { AnswerChange, DiffPart, ReplayAnswer, ReplayItem, ReplayReport } from "../../../shared/requests";

/** Parts of a diff returned at most, and characters of each: a replay's answer stays small. */
const MAX_DIFF_PARTS = 200;
const MAX_PART_CHARS = 4000;

export function answerChanges(recorded: ReplayAnswer, replayed: ReplayAnswer): AnswerChange[] {
  const changes: AnswerChange[] = [];
  if (recorded.status !== replayed.status) changes.push("status");
  if (recorded.body !== replayed.body || recorded.encoding !== replayed.encoding) changes.push("body");
  if (replayed.exception !== null && replayed.exception !== recorded.exception) changes.push("exception");
  return changes;
}

/** The bodies' diff by line; a binary body is one part each way. */
export function bodyDiff(recorded: ReplayAnswer, replayed: ReplayAnswer): DiffPart[] {
  if (recorded.encoding !== "text" || replayed.encoding !== "text") {
    if (recorded.body === replayed.body && recorded.encoding === replayed.encoding) return [];
    return [
      { op: "removed", text: `(${recorded.encoding} body)` },
      { op: "added", text: `(${replayed.encoding} body)` },
    ];
  }
  const parts = diffLines(recorded.body, replayed.body).map(
    (change): DiffPart => ({
      op: change.added ? "added" : change.removed ? "removed" : "same",
      text: change.value.length > MAX_PART_CHARS ? `${change.value.slice(0, MAX_PART_CHARS)}…` : change.value,
    }),
  );
  return parts.length > MAX_DIFF_PARTS ? parts.slice(0, MAX_DIFF_PARTS) : parts;
}

/** Whether an answer counts as failed: a server error or an exception. */
function failed(status: number | null, exception: string | null): boolean {
  return exception !== null || (status !== null && status >= 500);
}

/** One replayed request's line in the report. */
export function reportItem(
  base: { id: number; method: string; path: string },
  recorded: ReplayAnswer,
  replayed: ReplayAnswer,
): ReplayItem {
  const changes = answerChanges(recorded, replayed);
  const wasFailed = failed(recorded.status, recorded.exception);
  const isFailed = failed(replayed.status, replayed.exception);
  return {
    ...base,
    recordedStatus: recorded.status,
    status: replayed.status,
    outcome: changes.length === 0 ? "same" : "changed",
    changes,
    fixed: changes.length > 0 && wasFailed && !isFailed,
    broken: changes.length > 0 && !wasFailed && isFailed,
  };
}

export function reportTotals(items: readonly ReplayItem[]): ReplayReport["totals"] {
  const totals = { same: 0, changed: 0, skipped: 0, fixed: 0, broken: 0 };
  for (const item of items) {
    totals[item.outcome]++;
    if (item.fixed) totals.fixed++;
    if (item.broken) totals.broken++;
  }
  return totals;
}
