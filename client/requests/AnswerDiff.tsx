import type { ReplayOneResponse } from "../../shared/requests";
import { statusClass } from "./messages";
import { type DiffRow, sideBySide } from "./side-by-side";

/** The recorded answer and the replayed one side by side, the lines that differ marked. */
export function AnswerDiff({ replay }: { replay: ReplayOneResponse }) {
  const { recorded, replayed } = replay;
  const rows = sideBySide(recorded, replayed);
  return (
    <section className="answer-diff" aria-label="Replay" data-testid="answer-diff">
      <p className={`replay-verdict ${replay.same ? "same" : "changed"}`}>
        Replayed on {replay.target}: {replay.same ? "the same answer" : `changed (${replay.changes.join(", ")})`}
      </p>
      {replay.notes.map((note) => (
        <p key={note} className="muted small">
          {note}
        </p>
      ))}
      <div className="diff-columns">
        <div className="diff-head">
          Recorded <span className={statusClass(recorded.status, recorded.exception)}>{recorded.status}</span>
          {recorded.exception && <span className="status-bad"> {recorded.exception}</span>}
        </div>
        <div className="diff-head">
          Now <span className={statusClass(replayed.status, replayed.exception)}>{replayed.status}</span>
          {replayed.exception && <span className="status-bad"> {replayed.exception}</span>}
        </div>
        {rows.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the rows of one diff, never reordered
          <DiffCells key={i} row={row} />
        ))}
      </div>
    </section>
  );
}

/** One row of a side-by-side diff: its two cells, marked where they differ (the assistant's file diffs too). */
export function DiffCells({ row }: { row: DiffRow }) {
  const cell = (text: string | null, side: "removed" | "added") => (
    <pre className={`diff-cell${row.kind === "changed" ? ` ${side}` : ""}${text === null ? " empty" : ""}`}>
      {text ?? ""}
    </pre>
  );
  return (
    <>
      {cell(row.left, "removed")}
      {cell(row.right, "added")}
    </>
  );
}
