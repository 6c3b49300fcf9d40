import { PatchView } from "./PatchView";
import { argumentsText, keyArgument, resultText } from "./step-text";
import type { StepView } from "./task-state";

interface Props {
  step: StepView;
  /** The step being taken now: a model call without text yet shows that it is thinking. */
  current: boolean;
}

/** One step of a turn: the model's text, a tool call with what it sent and got back, or a problem. */
export function StepItem({ step, current }: Props) {
  if (step.kind === "problem") {
    return (
      <li className="assistant-step problem" data-testid="assistant-step">
        {step.text}
      </li>
    );
  }
  if (step.kind === "model") {
    // A model call that only asked for tools says nothing once it is done.
    if (step.text === "" && !current) return null;
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
            <pre className="request-body">{resultText(outcome.result)}</pre>
          </>
        )}
      </details>
      {outcome?.diff && <PatchView path={path || step.name} patch={outcome.diff} />}
      {outcome && !outcome.ok && <p className="assistant-tool-error">{firstLine(outcome.result)}</p>}
    </li>
  );
}

const firstLine = (text: string) => text.split("\n", 1)[0] ?? "";
