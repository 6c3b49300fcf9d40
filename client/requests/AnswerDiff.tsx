import { diffLines } from "diff";
import type { ReplayAnswer, ReplayOneResponse } from "../../shared/requests";
import { statusClass } from "./messages";

/** One row of the side-by-side diff: the recorded side, the replayed side, each absent where the other added. */
type Row = { left: string | null; right: string | null; kind: "same" | "changed" };

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

function DiffCells({ row }: { row: Row }) {
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

/** Lines paired across the two bodies: kept lines on both sides, removed beside added where they meet. */
function sideBySide(recorded: ReplayAnswer, replayed: ReplayAnswer): Row[] {
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
  const rows: Row[] = [];
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
