/**
 * What the Assistant panel shows, as a reducer of what happens: a prompt sent, each event of its
 * stream, a message the stream had that the contract rejects, a failure before or during the stream,
 * the stream's end, and the person's Promote or Discard. Pure, so the order of events and every odd
 * case (an event after the end, a stream cut short) is tested without a browser.
 */
import type {
  AssistantEvent,
  AssistantTask,
  DoneEvent,
  DoneReason,
  ErrorEvent,
  TokenUsage,
} from "../../shared/assistant";

/** One line of a turn: the model's text, a tool call (and its outcome once it came), or a problem. */
export type StepView =
  | { kind: "model"; n: number; text: string }
  | {
      kind: "tool";
      n: number;
      name: string;
      args: unknown;
      outcome: { ok: boolean; result: string; truncated: boolean; ms: number; diff: string | null } | null;
    }
  | { kind: "problem"; text: string };

/**
 * How a turn ended: its `done`, its `error`, a stream that stopped without either, or (a task
 * reopened from its record) the reason and summary the record kept.
 */
export type TurnEnd =
  | { kind: "done"; done: DoneEvent }
  | { kind: "recorded"; reason: DoneReason; summary: string }
  | { kind: "error"; error: Pick<ErrorEvent, "message"> & { code: string } }
  | { kind: "cut"; message: string };

/** One prompt and what the assistant did for it. */
export interface Turn {
  prompt: string;
  steps: StepView[];
  end: TurnEnd | null;
}

/** What the person did with a turn's draft. */
export type Decision = { kind: "promoted"; data: "live" | "draft" } | { kind: "discarded" };

export interface TaskState {
  /** The task a follow-up continues (from the start event); null before the first one. */
  taskId: string | null;
  running: boolean;
  /** Model calls the current prompt took, and the limit (both per prompt, as the server counts them). */
  steps: number;
  stepLimit: number;
  /** Tokens the current prompt used (known when it ends), and the budget. */
  tokens: TokenUsage | null;
  tokenBudget: number;
  turns: Turn[];
  /** Promote or Discard, once chosen for the last turn's draft. */
  decision: Decision | null;
}

export type TaskAction =
  | { type: "send"; prompt: string }
  | { type: "event"; event: AssistantEvent }
  | { type: "malformed"; message: string }
  | { type: "failed"; code: string; message: string }
  | { type: "ended" }
  | { type: "decided"; decision: Decision }
  | { type: "opened"; task: AssistantTask }
  | { type: "new" };

export function initialTask(bounds: { stepLimit: number; tokenBudget: number }): TaskState {
  const { stepLimit, tokenBudget } = bounds;
  return { taskId: null, running: false, steps: 0, tokens: null, turns: [], decision: null, stepLimit, tokenBudget };
}

/** The last turn with `change` applied (the state as it was when there is none). */
function withLastTurn(state: TaskState, change: (turn: Turn) => Turn): TaskState {
  const last = state.turns.at(-1);
  if (!last) return state;
  return { ...state, turns: [...state.turns.slice(0, -1), change(last)] };
}

const addStep = (state: TaskState, step: StepView) =>
  withLastTurn(state, (turn) => ({ ...turn, steps: [...turn.steps, step] }));

const endTurn = (state: TaskState, end: TurnEnd) =>
  withLastTurn({ ...state, running: false }, (turn) => (turn.end ? turn : { ...turn, end }));

export function taskReducer(state: TaskState, action: TaskAction): TaskState {
  switch (action.type) {
    case "send":
      return {
        ...state,
        running: true,
        decision: null,
        steps: 0,
        tokens: null,
        turns: [...state.turns, { prompt: action.prompt, steps: [], end: null }],
      };
    case "new":
      return initialTask(state);
    case "opened":
      return state.running ? state : { ...stateOfRecord(action.task, state), decision: null };
    case "decided":
      return { ...state, decision: action.decision };
    case "malformed":
      return addStep(state, { kind: "problem", text: action.message });
    case "failed":
      return endTurn(state, { kind: "error", error: { code: action.code, message: action.message } });
    case "ended":
      if (!state.running) return state;
      return endTurn(state, { kind: "cut", message: "The answer stopped before the assistant finished" });
    case "event":
      // What a turn sends after its end (a server bug, or a replay) changes nothing shown.
      if (state.turns.at(-1)?.end) return state;
      return applyEvent(state, action.event);
  }
}

function applyEvent(state: TaskState, { event, data }: AssistantEvent): TaskState {
  switch (event) {
    case "start":
      return { ...state, taskId: data.taskId, stepLimit: data.stepLimit, tokenBudget: data.tokenBudget };
    case "step": {
      if (data.kind === "model") {
        return addStep({ ...state, steps: state.steps + 1 }, { kind: "model", n: data.n, text: "" });
      }
      return addStep(state, { kind: "tool", n: data.n, name: data.name ?? "tool", args: data.args, outcome: null });
    }
    case "tool": {
      const outcome = {
        ok: data.ok,
        result: data.result,
        truncated: data.truncated,
        ms: data.ms,
        diff: data.diff ?? null,
      };
      const turn = state.turns.at(-1);
      const index = turn?.steps.findLastIndex((s) => s.kind === "tool" && s.n === data.n && s.outcome === null) ?? -1;
      // A tool event without its step event still shows, as a step of its own.
      if (!turn || index < 0)
        return addStep(state, { kind: "tool", n: data.n, name: data.name, args: data.args, outcome });
      return withLastTurn(state, (t) => ({
        ...t,
        steps: t.steps.map((s, i) => (i === index && s.kind === "tool" ? { ...s, outcome } : s)),
      }));
    }
    case "text": {
      const last = state.turns.at(-1)?.steps.at(-1);
      if (last?.kind === "model") {
        return withLastTurn(state, (t) => ({
          ...t,
          steps: [...t.steps.slice(0, -1), { ...last, text: last.text + data.delta }],
        }));
      }
      return addStep(state, { kind: "model", n: state.steps, text: data.delta });
    }
    case "done":
      return endTurn(
        { ...state, taskId: data.taskId, tokens: data.tokens, steps: data.steps },
        { kind: "done", done: data },
      );
    case "error":
      return endTurn(state, { kind: "error", error: data });
  }
}

/** The last turn's draft the person has to decide on: its done event, while nothing is chosen yet. */
export function pendingDraft(state: TaskState): DoneEvent | null {
  const end = state.turns.at(-1)?.end;
  if (state.running || state.decision || end?.kind !== "done") return null;
  return end.done.draftRevision !== null ? end.done : null;
}

/** A task reopened from its record (GET .../assistant/{taskId}): its turns and steps, to read and continue. */
export function stateOfRecord(task: AssistantTask, bounds: { stepLimit: number; tokenBudget: number }): TaskState {
  const turns: Turn[] = task.turns.map((turn, index) => {
    const steps: StepView[] = task.steps
      .filter((step) => step.turn === index)
      .map((step) =>
        step.kind === "model"
          ? { kind: "model", n: step.n, text: step.text ?? "" }
          : {
              kind: "tool",
              n: step.n,
              name: step.name ?? "tool",
              args: step.args,
              outcome:
                step.ok === undefined
                  ? null
                  : { ok: step.ok, result: step.result ?? "", truncated: false, ms: step.ms ?? 0, diff: null },
            },
      );
    const end: TurnEnd = turn.error
      ? { kind: "error", error: turn.error }
      : turn.reason
        ? { kind: "recorded", reason: turn.reason, summary: turn.summary ?? "" }
        : {
            kind: "cut",
            message:
              task.status === "running"
                ? "Still running: reopen the task to see how it ends"
                : "It ended without a summary",
          };
    return { prompt: turn.prompt, steps, end };
  });
  return {
    ...initialTask(bounds),
    taskId: task.id,
    steps: task.steps.filter((step) => step.turn === turns.length - 1 && step.kind === "model").length,
    tokens: task.tokens,
    turns,
  };
}
