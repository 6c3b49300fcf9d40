import { useEffect, useState } from "react";
import type { ReplayReport } from "../../shared/requests";
import { api } from "../lib/api";
import { ModalDialog } from "../lib/ModalDialog";
import { messageOf, statusClass } from "./messages";

interface Props {
  projectId: string;
  token: string;
  open: boolean;
  /** Bumped for each run, so opening it again replays again. */
  run: number;
  busy: boolean;
  onClose(): void;
  onPromote(): void;
}

/** "Replay recent traffic": the last live requests sent to the draft, and what each answers now, before promoting. */
export function ReplayReportDialog({ projectId, token, open, run, busy, onClose, onPromote }: Props) {
  const [report, setReport] = useState<ReplayReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `run` asks for a new replay
  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    setReport(null);
    setError(null);
    api.replayRecent(projectId, token).then(
      (answer) => !cancelled && setReport(answer),
      (failure) => !cancelled && setError(messageOf(failure)),
    );
    return () => {
      cancelled = true;
    };
  }, [open, run, projectId, token]);

  const totals = report?.totals;
  return (
    <ModalDialog open={open} title="Replay recent traffic on the draft" className="replay-dialog" onClose={onClose}>
      <div className="replay-body" data-testid="replay-report">
        {error && <p className="requests-note bad">{error}</p>}
        {!report && !error && <p className="muted">Sending the latest live requests to the draft…</p>}
        {totals && (
          <p className="replay-totals">
            <strong>{report.items.length}</strong> requests: <span className="status-ok">{totals.same} same</span>,{" "}
            <span className={totals.changed > 0 ? "status-warn" : undefined}>{totals.changed} changed</span>
            {totals.fixed > 0 && <span className="status-ok">, {totals.fixed} fixed</span>}
            {totals.broken > 0 && <span className="status-bad">, {totals.broken} broken</span>}
            {totals.skipped > 0 && <span className="muted">, {totals.skipped} skipped</span>}
          </p>
        )}
        {report && report.items.length > 0 && (
          <table className="replay-table">
            <thead>
              <tr>
                <th>Request</th>
                <th>Was</th>
                <th>Now</th>
                <th>Result</th>
              </tr>
            </thead>
            <tbody>
              {report.items.map((item) => (
                <tr key={item.id} data-testid="replay-item" data-outcome={item.outcome}>
                  <td className="replay-request" title={item.note}>
                    {item.method} {item.path}
                  </td>
                  <td className={statusClass(item.recordedStatus)}>{item.recordedStatus}</td>
                  <td className={statusClass(item.status)}>{item.status ?? "—"}</td>
                  <td>
                    {item.fixed ? "fixed" : item.broken ? "broken" : item.outcome}
                    {item.changes.length > 0 && <span className="muted small"> ({item.changes.join(", ")})</span>}
                    {item.note && <span className="muted small"> · {item.note}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {report?.notes.map((note) => (
          <p key={note} className="muted small">
            {note}
          </p>
        ))}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Close
          </button>
          <button type="button" className="primary" disabled={!report || busy} onClick={onPromote}>
            Promote
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}
