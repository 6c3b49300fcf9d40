import type { Diagnostic } from "../../shared/api";
import type { SaveState } from "../project/useSave";

interface Props {
  state: Extract<SaveState, { kind: "rejected" | "failed" }>;
  onReveal(diagnostic: Diagnostic): void;
  onDismiss(): void;
}

export function DiagnosticsPanel({ state, onReveal, onDismiss }: Props) {
  return (
    <div className="diagnostics" role="alert" data-testid="save-problem">
      <div className="diagnostics-head">
        <p>
          <strong>
            {state.kind === "rejected" ? "Not deployed: the code did not compile or start." : "Save failed."}
          </strong>
          <span className="muted">
            {state.kind === "rejected" ? " The live app keeps running the previous version." : ` ${state.message}`}
          </span>
        </p>
        <button type="button" className="icon-button" onClick={onDismiss} aria-label="Dismiss" title="Dismiss">
          ×
        </button>
      </div>
      {state.kind === "rejected" ? (
        <ul>
          {state.diagnostics.map((d) => (
            <li key={`${d.file}:${d.line}:${d.column}:${d.message}`}>
              <button type="button" className="link-button" onClick={() => onReveal(d)}>
                {d.file}:{d.line}:{d.column}
              </button>{" "}
              {d.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
