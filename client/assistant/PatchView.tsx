import { DiffCells } from "../requests/AnswerDiff";
import { rowsOfPatch } from "./unified-diff";

interface Props {
  /** The file's path, when the patch is one file's change. */
  path: string;
  /** "added", "modified" or "deleted", when known. */
  status?: string;
  /** A unified diff. */
  patch: string;
}

/** A file's change before beside after (the Requests view's side-by-side diff), hunk by hunk. */
export function PatchView({ path, status, patch }: Props) {
  const rows = rowsOfPatch(patch);
  return (
    <section className="answer-diff assistant-diff" aria-label={`Diff of ${path}`} data-testid="assistant-diff">
      <p className="assistant-diff-title">
        <span className="assistant-path">{path}</span>
        {status && <span className={`assistant-file-status ${status}`}>{status}</span>}
      </p>
      {rows === null ? (
        // Not a unified diff after all: shown as the text it is.
        <pre className="request-body">{patch}</pre>
      ) : rows.length === 0 ? (
        <p className="muted small">No lines changed</p>
      ) : (
        <div className="diff-columns">
          <div className="diff-head">Before</div>
          <div className="diff-head">After</div>
          {rows.map((row, i) =>
            row.kind === "hunk" ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: the rows of one diff, never reordered
              <div key={i} className="assistant-hunk muted small">
                {row.text}
              </div>
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: the rows of one diff, never reordered
              <DiffCells key={i} row={row} />
            ),
          )}
        </div>
      )}
    </section>
  );
}
