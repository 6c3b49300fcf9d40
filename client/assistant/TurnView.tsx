import type { DraftState } from "../project/useDraft";
import { StepItem } from "./StepItem";
import { REASON_TEXT } from "./step-text";
import { TaskResult } from "./TaskResult";
import type { Decision, Turn } from "./task-state";

interface Props {
  turn: Turn;
  /** The last turn: its draft is the one to decide on, and its steps are the live ones. */
  last: boolean;
  pending: boolean;
  decision: Decision | null;
  busy: DraftState["busy"];
  onPromote(data: "live" | "draft"): void;
  onDiscard(): void;
}

/** One prompt, the steps the assistant took for it as they came, and how it ended. */
export function TurnView({ turn, last, pending, decision, busy, onPromote, onDiscard }: Props) {
  const { end } = turn;
  return (
    <article className="assistant-turn" aria-label={`Task: ${turn.prompt}`} data-testid="assistant-turn">
      <p className="assistant-prompt-text">{turn.prompt}</p>
      <ol
        className="assistant-steps"
        aria-label="Steps"
        aria-live={last ? "polite" : undefined}
        data-testid="assistant-steps"
      >
        {turn.steps.map((step, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: steps are only ever appended
          <StepItem key={i} step={step} current={end === null && i === turn.steps.length - 1} />
        ))}
        {end === null && (
          <li className="assistant-step working muted" aria-hidden="true">
            Working…
          </li>
        )}
      </ol>
      {end?.kind === "done" && (
        <TaskResult
          done={end.done}
          pending={last && pending}
          decision={last ? decision : null}
          busy={busy}
          onPromote={onPromote}
          onDiscard={onDiscard}
        />
      )}
      {end?.kind === "recorded" && (
        <section className="assistant-result" aria-label="Result" data-testid="assistant-result">
          {REASON_TEXT[end.reason] && <p className="assistant-reason">{REASON_TEXT[end.reason]}</p>}
          <p className="assistant-summary">{end.summary}</p>
        </section>
      )}
      {end?.kind === "error" && (
        <p className="assistant-error" role="alert">
          {end.error.message}
        </p>
      )}
      {end?.kind === "cut" && (
        <p className="assistant-error" role="alert">
          {end.message}
        </p>
      )}
    </article>
  );
}
