import { useEffect, useRef } from "react";
import type { DraftState } from "../project/useDraft";
import { NotConfigured } from "./NotConfigured";
import { PromptBox } from "./PromptBox";
import { RecentTasks } from "./RecentTasks";
import { TurnView } from "./TurnView";
import { pendingDraft } from "./task-state";
import { useAssistant } from "./useAssistant";

interface Props {
  projectId: string;
  token: string;
  /** Shown now: the configuration is read the first time it is. */
  active: boolean;
  draftBusy: DraftState["busy"];
  /** Whether the project has a draft now (Promote and Discard are offered only then). */
  hasDraft: boolean;
  /** The workbench's Promote and Discard of the draft (the Draft bar's), true when they went through. */
  onPromote(data: "live" | "draft"): Promise<boolean>;
  onDiscard(): Promise<boolean>;
  /** The assistant wrote to the draft: the workbench reads it again (the Draft bar appears). */
  onDraftChanged(): void;
  focusRef?: React.RefObject<(() => void) | null>;
}

const count = (n: number) => n.toLocaleString("en-US");

/** The Assistant view (Alt+7): a prompt, the steps as they happen, and the draft to promote or discard. */
export function AssistantPanel({
  projectId,
  token,
  active,
  draftBusy,
  hasDraft,
  onPromote,
  onDiscard,
  onDraftChanged,
  focusRef,
}: Props) {
  const { overview, overviewError, state, send, stop, open, newTask, decided } = useAssistant(
    projectId,
    token,
    active,
    onDraftChanged,
  );
  const config = overview?.config;
  const pending = pendingDraft(state);
  const used = state.tokens ? state.tokens.input + state.tokens.output : null;

  // Follows the steps as they arrive, unless the person scrolled up to read.
  const body = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scrolls on every change of the task
  useEffect(() => {
    if (atBottom.current && body.current) body.current.scrollTop = body.current.scrollHeight;
  }, [state]);

  return (
    <section className="pane assistant-pane" aria-label="Assistant" data-testid="assistant-view">
      <header className="pane-header assistant-header">
        <span className="pane-title">Assistant</span>
        {config?.configured && config.model && <span className="muted small assistant-model">{config.model}</span>}
        <span className="spacer" />
        {config?.configured && (
          <>
            <span
              className="assistant-meter small"
              data-testid="assistant-steps-used"
              title="Model calls this prompt took, and the limit per prompt"
            >
              {state.steps} / {state.stepLimit} steps
            </span>
            <span
              className="assistant-meter small"
              data-testid="assistant-tokens"
              title="Tokens this prompt used (known when it ends), and the budget per prompt"
            >
              {used === null ? "–" : count(used)} / {count(state.tokenBudget)} tokens
            </span>
            <button
              type="button"
              className="top-bar-button"
              disabled={state.running || state.turns.length === 0}
              title="Start over: the next prompt is a new task"
              onClick={newTask}
            >
              New task
            </button>
          </>
        )}
      </header>
      <div
        ref={body}
        className="assistant-body"
        onScroll={(event) => {
          const el = event.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {overviewError && <p className="requests-note bad">{overviewError}</p>}
        {!overview && !overviewError && <p className="requests-note">Loading…</p>}
        {config && !config.configured && <NotConfigured config={config} />}
        {config?.configured && state.turns.length === 0 && (
          <div className="assistant-empty">
            <p>
              Ask for a change (“add a leaderboard”) or a question (“why does /api/list answer 500?”). Changes are made
              on a draft with a copy of the live data; you see every step, each file's diff and what it did to the data,
              then Promote or Discard. The live app is untouched until you promote.
            </p>
            <RecentTasks tasks={overview?.tasks ?? []} onOpen={(taskId) => void open(taskId)} />
          </div>
        )}
        {state.turns.map((turn, i) => (
          <TurnView
            // biome-ignore lint/suspicious/noArrayIndexKey: turns are only ever appended
            key={i}
            turn={turn}
            last={i === state.turns.length - 1}
            // A draft promoted or discarded from the Draft bar is no longer there to decide on.
            pending={pending !== null && hasDraft}
            decision={state.decision}
            busy={draftBusy}
            onPromote={(data) => void onPromote(data).then((ok) => ok && decided({ kind: "promoted", data }))}
            onDiscard={() => void onDiscard().then((ok) => ok && decided({ kind: "discarded" }))}
          />
        ))}
      </div>
      {config?.configured && (
        <PromptBox
          running={state.running}
          continuing={state.taskId !== null}
          onSend={(prompt) => void send(prompt)}
          onStop={() => void stop()}
          focusRef={focusRef}
        />
      )}
    </section>
  );
}
