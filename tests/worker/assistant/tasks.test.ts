/**
 * The assistant's tasks in the supervisor's SQLite (server/assistant/task-table.ts): turns, steps and
 * the conversation kept per task, one turn at a time, Stop through the flag or, for a turn whose
 * worker went away, at once; the oldest tasks pruned; none of it in an export. The turn itself, with
 * a model, is tests/process/assistant.test.ts'.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { AssistantTasks, RUNNING_STALE_MS, TASKS_KEPT } from "../../../server/assistant/task-table";
import type { Outcome } from "../../../server/outcome";
import { api, createProject, on } from "../support/helpers";

/** Runs `body` with the project's task table, in its supervisor. */
async function withTasks<T>(id: string, body: (tasks: AssistantTasks) => T): Promise<T> {
  return runInDurableObject(env.SUPERVISOR.getByName(id), async (_instance, state) =>
    body(new AssistantTasks(state.storage.sql)),
  );
}

const value = <T>(outcome: Outcome<T>): T => {
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.value;
};

describe("the assistant's tasks", () => {
  it("keep turns, steps and the conversation; one turn runs at a time", async () => {
    const project = await createProject();
    const t0 = Date.now();
    const record = await withTasks(project.id, (tasks) => {
      const first = value(tasks.begin(null, "add a page", "m", t0));
      tasks.step(first.taskId, { n: 1, turn: 0, kind: "model", at: t0, text: "reading" });
      tasks.step(first.taskId, {
        n: 2,
        turn: 0,
        kind: "tool",
        at: t0,
        name: "read_code",
        args: {},
        ok: true,
        result: "{}",
        ms: 3,
      });
      const busy = tasks.begin(first.taskId, "more", "m", t0 + 1);
      tasks.end(
        first.taskId,
        0,
        {
          status: "done",
          reason: "finished",
          summary: "Added.",
          error: null,
          draftRevision: 2,
          tokens: { input: 100, output: 10 },
          messages: '[{"role":"user","content":"add a page"}]',
        },
        t0 + 2,
      );
      const next = value(tasks.begin(first.taskId, "more", "m", t0 + 3));
      return { first, busy, next, task: value(tasks.task(first.taskId)), list: tasks.list() };
    });
    expect(record.busy).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(record.next).toMatchObject({
      turn: 1,
      continued: true,
      messages: '[{"role":"user","content":"add a page"}]',
    });
    expect(record.task).toMatchObject({
      status: "running",
      summary: "Added.",
      draftRevision: 2,
      tokens: { input: 100, output: 10 },
      turns: [
        { prompt: "add a page", reason: "finished", summary: "Added." },
        { prompt: "more", reason: null },
      ],
    });
    expect(record.task.steps.map((s) => [s.n, s.kind, s.name ?? s.text])).toEqual([
      [1, "model", "reading"],
      [2, "tool", "read_code"],
    ]);
    expect(record.list[0]).toMatchObject({ id: record.first.taskId, prompt: "add a page" });

    // Not in an export: the bundle carries the app's code and data only.
    const bundle = await api.call("exportProject", on(project));
    expect(JSON.stringify(bundle)).not.toContain("add a page");
  });

  it("Stop sets the flag a running turn sees; a turn that stopped beating is stopped at once", async () => {
    const project = await createProject();
    const t0 = Date.now();
    const outcome = await withTasks(project.id, (tasks) => {
      const live = value(tasks.begin(null, "work", "m", t0));
      const beforeStop = tasks.heartbeat(live.taskId, t0 + 500);
      const flagged = value(tasks.requestStop(live.taskId, t0 + 600));
      const seen = tasks.heartbeat(live.taskId, t0 + 1_000);
      const stillRunning = value(tasks.task(live.taskId)).status;
      const orphan = value(tasks.begin(null, "orphan", "m", t0));
      const orphanStop = value(tasks.requestStop(orphan.taskId, t0 + RUNNING_STALE_MS + 1));
      return { beforeStop, flagged, seen, stillRunning, orphanStop, orphan: value(tasks.task(orphan.taskId)).status };
    });
    expect(outcome).toEqual({
      beforeStop: false,
      flagged: { stopped: true },
      seen: true,
      stillRunning: "running",
      orphanStop: { stopped: true },
      orphan: "stopped",
    });
    const missing = await withTasks(project.id, (tasks) => tasks.requestStop("nosuchtask1", t0));
    expect(missing).toMatchObject({ ok: false, error: { code: "not_found" } });
  });

  it(`keeps the last ${TASKS_KEPT} tasks`, async () => {
    const project = await createProject();
    const ids = await withTasks(project.id, (tasks) =>
      Array.from({ length: TASKS_KEPT + 3 }, (_, i) => value(tasks.begin(null, `task ${i}`, "m", 1_000 + i)).taskId),
    );
    const kept = await withTasks(project.id, (tasks) => ({
      oldest: tasks.task(ids[0] ?? ""),
      newest: tasks.task(ids.at(-1) ?? ""),
      count: tasks.list(1_000).length,
    }));
    expect(kept.oldest.ok).toBe(false);
    expect(kept.newest.ok).toBe(true);
    expect(kept.count).toBe(TASKS_KEPT);
  });
});
