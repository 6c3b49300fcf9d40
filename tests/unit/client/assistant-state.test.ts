import { describe, expect, it } from "vitest";
import {
  initialTask,
  pendingDraft,
  stateOfRecord,
  type TaskAction,
  type TaskState,
  taskReducer,
} from "../../../client/assistant/task-state";
import type { AssistantEvent, AssistantTask, DoneEvent } from "../../../shared/assistant";

const run = (actions: TaskAction[], from: TaskState = initialTask({ stepLimit: 20, tokenBudget: 1000 })) =>
  actions.reduce(taskReducer, from);
const ev = (event: AssistantEvent): TaskAction => ({ type: "event", event });

const done = (over: Partial<DoneEvent> = {}): DoneEvent => ({
  taskId: "abcd1234",
  reason: "finished",
  summary: "Added /api/top",
  draftRevision: 2,
  tokens: { input: 300, output: 40 },
  steps: 3,
  files: [{ path: "app.ts", status: "modified", diff: "" }],
  dataEffect: { tables: [], schemaChanges: [] },
  ...over,
});

const editTurn: TaskAction[] = [
  { type: "send", prompt: "add /api/top" },
  ev({ event: "start", data: { taskId: "abcd1234", continued: false, stepLimit: 5, tokenBudget: 500 } }),
  ev({ event: "step", data: { n: 1, kind: "model" } }),
  ev({ event: "text", data: { delta: "I will " } }),
  ev({ event: "text", data: { delta: "read the code." } }),
  ev({ event: "step", data: { n: 2, kind: "tool", name: "read_code", args: { path: "app.ts" } } }),
];

describe("the assistant's task state", () => {
  it("follows a turn: the bounds from start, text joined into its model step, a tool call waiting for its outcome", () => {
    const state = run(editTurn);
    expect(state).toMatchObject({ taskId: "abcd1234", running: true, steps: 1, stepLimit: 5, tokenBudget: 500 });
    expect(state.turns).toHaveLength(1);
    expect(state.turns[0]?.steps).toEqual([
      { kind: "model", n: 1, text: "I will read the code." },
      { kind: "tool", n: 2, name: "read_code", args: { path: "app.ts" }, outcome: null },
    ]);
    expect(pendingDraft(state)).toBeNull();
  });

  it("puts a tool's outcome on its call, and ends with the draft to decide on", () => {
    const state = run([
      ...editTurn,
      ev({
        event: "tool",
        data: { n: 2, name: "read_code", args: {}, ok: true, result: "export class App {}", truncated: false, ms: 4 },
      }),
      ev({ event: "done", data: done() }),
    ]);
    expect(state.turns[0]?.steps[1]).toMatchObject({
      kind: "tool",
      outcome: { ok: true, result: "export class App {}" },
    });
    expect(state.turns[0]?.steps).toHaveLength(2);
    expect(state).toMatchObject({ running: false, steps: 3, tokens: { input: 300, output: 40 } });
    expect(pendingDraft(state)?.draftRevision).toBe(2);
    const promoted = run([{ type: "decided", decision: { kind: "promoted", data: "live" } }], state);
    expect(pendingDraft(promoted)).toBeNull();
  });

  it("shows a tool event without its step as a step of its own", () => {
    const state = run([
      { type: "send", prompt: "x" },
      ev({
        event: "tool",
        data: { n: 4, name: "run_sql", args: { sql: "select 1" }, ok: false, result: "no", truncated: false, ms: 1 },
      }),
    ]);
    expect(state.turns[0]?.steps).toEqual([
      {
        kind: "tool",
        n: 4,
        name: "run_sql",
        args: { sql: "select 1" },
        outcome: { ok: false, result: "no", truncated: false, ms: 1, diff: null },
      },
    ]);
  });

  it("answers a question without a draft: nothing to promote", () => {
    const state = run([
      { type: "send", prompt: "why 500?" },
      ev({ event: "done", data: done({ draftRevision: null, files: [] }) }),
    ]);
    expect(pendingDraft(state)).toBeNull();
    expect(state.turns[0]?.end).toMatchObject({ kind: "done", done: { summary: "Added /api/top" } });
  });

  it("keeps malformed events as problem lines and goes on", () => {
    const state = run([
      { type: "send", prompt: "x" },
      { type: "malformed", message: "A step event the IDE cannot read was skipped" },
      ev({ event: "text", data: { delta: "ok" } }),
    ]);
    expect(state.turns[0]?.steps.map((s) => s.kind)).toEqual(["problem", "model"]);
    expect(state.running).toBe(true);
  });

  it("ends a turn on an error, on a failure before the stream, and on a stream cut short", () => {
    const errored = run([
      { type: "send", prompt: "x" },
      ev({ event: "error", data: { code: "model_timeout", message: "too slow" } }),
    ]);
    expect(errored).toMatchObject({ running: false });
    expect(errored.turns[0]?.end).toEqual({ kind: "error", error: { code: "model_timeout", message: "too slow" } });

    const refused = run([
      { type: "send", prompt: "x" },
      { type: "failed", code: "unavailable", message: "No model" },
    ]);
    expect(refused.turns[0]?.end).toMatchObject({ kind: "error", error: { message: "No model" } });

    const cut = run([...editTurn, { type: "ended" }]);
    expect(cut.running).toBe(false);
    expect(cut.turns[0]?.end).toMatchObject({ kind: "cut" });

    // The stream's end after its done changes nothing.
    const finished = run([...editTurn, ev({ event: "done", data: done() }), { type: "ended" }]);
    expect(finished.turns[0]?.end).toMatchObject({ kind: "done" });
  });

  it("ignores events after a turn's end", () => {
    const state = run([
      ...editTurn,
      ev({ event: "done", data: done() }),
      ev({ event: "text", data: { delta: "late" } }),
    ]);
    expect(state.turns[0]?.steps).toHaveLength(2);
  });

  it("continues the task in a new turn, and starts over on New task", () => {
    const first = run([...editTurn, ev({ event: "done", data: done() })]);
    const second = run([{ type: "send", prompt: "also /api/bottom" }], first);
    // Steps and tokens are counted per prompt, as the limit and the budget are.
    expect(second).toMatchObject({ taskId: "abcd1234", running: true, steps: 0, tokens: null });
    expect(second.turns.map((t) => t.prompt)).toEqual(["add /api/top", "also /api/bottom"]);
    const fresh = run([{ type: "new" }], first);
    expect(fresh).toMatchObject({ taskId: null, turns: [], stepLimit: 5, tokenBudget: 500, tokens: null });
  });
});

describe("a task reopened from its record", () => {
  const task: AssistantTask = {
    id: "abcd1234",
    status: "done",
    createdAt: 1,
    updatedAt: 2,
    model: "m",
    turns: [
      { prompt: "add /api/top", at: 1, reason: "finished", summary: "Added it", error: null },
      {
        prompt: "and /api/bottom",
        at: 2,
        reason: null,
        summary: null,
        error: { code: "model_timeout", message: "slow" },
      },
    ],
    steps: [
      { n: 1, turn: 0, kind: "model", at: 1, text: "Reading" },
      { n: 2, turn: 0, kind: "tool", at: 1, name: "read_code", args: { path: "app.ts" }, ok: true, result: "x", ms: 3 },
      { n: 3, turn: 1, kind: "tool", at: 2, name: "write_file", args: {} },
    ],
    summary: "Added it",
    draftRevision: 1,
    tokens: { input: 10, output: 5 },
  };

  it("has its turns, steps and endings, and continues the same task", () => {
    const state = stateOfRecord(task, { stepLimit: 9, tokenBudget: 99 });
    expect(state).toMatchObject({
      taskId: "abcd1234",
      running: false,
      // The last prompt's model calls (its one step was a tool call).
      steps: 0,
      tokens: { input: 10, output: 5 },
      stepLimit: 9,
    });
    expect(state.turns[0]?.steps).toEqual([
      { kind: "model", n: 1, text: "Reading" },
      {
        kind: "tool",
        n: 2,
        name: "read_code",
        args: { path: "app.ts" },
        outcome: { ok: true, result: "x", truncated: false, ms: 3, diff: null },
      },
    ]);
    expect(state.turns[0]?.end).toEqual({ kind: "recorded", reason: "finished", summary: "Added it" });
    expect(state.turns[1]?.end).toEqual({ kind: "error", error: { code: "model_timeout", message: "slow" } });
    expect(state.turns[1]?.steps[0]).toMatchObject({ kind: "tool", outcome: null });
    expect(pendingDraft(state)).toBeNull();
  });

  it("is not opened over a task that is running", () => {
    const running = run(editTurn);
    expect(run([{ type: "opened", task }], running)).toBe(running);
  });
});
