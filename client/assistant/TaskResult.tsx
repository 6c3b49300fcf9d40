import type { DoneEvent } from "../../shared/assistant";
import { DraftActions } from "../project/DraftActions";
import type { DraftState } from "../project/useDraft";
import { DataEffectView } from "./DataEffectView";
import { PatchView } from "./PatchView";
import { REASON_TEXT } from "./step-text";
import type { Decision } from "./task-state";

interface Props {
  done: DoneEvent;
  /** Whether the person is still to choose (the last turn, not promoted or discarded yet). */
  pending: boolean;
  decision: Decision | null;
  busy: DraftState["busy"];
  onPromote(data: "live" | "draft"): void;
  onDiscard(): void;
}

/** The end of a turn: its summary (or answer), and with a draft, every file's diff, the data effect and the choice. */
export function TaskResult({ done, pending, decision, busy, onPromote, onDiscard }: Props) {
  const reason = REASON_TEXT[done.reason];
  const drafted = done.draftRevision !== null;
  return (
    <section className="assistant-result" aria-label="Result" data-testid="assistant-result">
      {reason && <p className="assistant-reason">{reason}</p>}
      {done.summary !== "" && <p className="assistant-summary">{done.summary}</p>}
      {drafted && (
        <>
          <h3 className="assistant-heading">
            Changes on draft r{done.draftRevision}{" "}
            <span className="muted small">
              ({done.files.length} {done.files.length === 1 ? "file" : "files"})
            </span>
          </h3>
          {done.files.length === 0 && <p className="muted small">No file differs from the live version.</p>}
          {done.files.map((file) => (
            <PatchView key={file.path} path={file.path} status={file.status} patch={file.diff} />
          ))}
          <h3 className="assistant-heading">Data effect</h3>
          <DataEffectView effect={done.dataEffect} />
          {pending && (
            <fieldset className="assistant-decision" aria-label="Promote or discard the draft">
              <DraftActions busy={busy} onPromote={onPromote} onDiscard={onDiscard} />
            </fieldset>
          )}
          {decision && (
            <p className="assistant-decided" role="status">
              {decision.kind === "discarded"
                ? "Discarded: the live app is as it was."
                : `Promoted${decision.data === "draft" ? " with the draft's data" : ""}: the live app runs it now.`}
            </p>
          )}
        </>
      )}
    </section>
  );
}
