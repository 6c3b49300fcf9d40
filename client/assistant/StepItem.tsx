import { PatchView } from "./PatchView";
import { argumentsText, keyArgument } from "./step-text";
import type { StepView } from "./task-state";

/** One step of a turn: the model's text, a tool call with what it sent and got back, or a problem. */
export function StepItem({ step }: { step: StepView }) {
  if (step.kind === "problem") {
    return (
      <li className="assistant-step problem" data-testid="assistant-step">
        {step.text}
      </li>
    );
  }
  if (step.kind === "model") {
    return (
      <li className="assistant-step model" data-testid="assistant-step">
        {step.text === "" ? <span className="muted">Thinking…</span> : <p className="assistant-text">{step.text}</p>}
      </li>
    );
  }
  const { outcome } = step;
  const state = outcome === null ? "running" : outcome.ok ? "ok" : "failed";
  const path = keyArgument(step.args);
  return (
    <li className={`assistant-step tool ${state}`} data-testid="assistant-step">
      <details>
        <summary>
          <span className="assistant-tool-name">{step.name}</span>
          {path && <span className="assistant-tool-arg">{path}</span>}
          <span className={`assistant-tool-state ${state}`}>
            {outcome === null ? "running…" : outcome.ok ? `${outcome.ms} ms` : "failed"}
          </span>
        </summary>
        <p className="assistant-detail-label">Arguments</p>
        <pre className="request-body">{argumentsText(step.args)}</pre>
        {outcome && (
          <>
            <p className="assistant-detail-label">
              {outcome.ok ? "Result" : "Error"}
              {outcome.truncated && <span className="muted"> (cut: the model got this much)</span>}
            </p>
            <pre className="request-body">{outcome.result}</pre>
          </>
        )}
      </details>
      {outcome?.diff && <PatchView path={path || step.name} patch={outcome.diff} />}
      {outcome && !outcome.ok && <p className="assistant-tool-error">{firstLine(outcome.result)}</p>}
    </li>
  );
}

const firstLine = (text: string) => text.split("\n", 1)[0] ?? "";
