/**
 * The assistant's tasks, kept with the project in its supervisor's SQLite (tables `assistant_tasks`,
 * `assistant_steps`; not in exports or forks, which carry the app's code and data only). The loop
 * runs in the worker beside the request whose stream it feeds (loop.ts) and records through an
 * opened project's handle (`assistant()`), which hands out this object: a task's turns, its steps
 * (tool results already cut), the conversation to continue it with, its tokens, and a Stop flag any
 * isolate can set and the loop polls.
 */
import { RpcTarget } from "cloudflare:workers";
import type {
  AssistantTask,
  DoneReason,
  ErrorEvent,
  TaskStatus,
  TaskStep,
  TaskSummary,
  TaskTurn,
  TokenUsage,
} from "../../shared/assistant";
import { failure, type Outcome, success } from "../outcome";

/** Tasks a project keeps; older ones are deleted with their steps. */
export const TASKS_KEPT = 50;
/**
 * A running turn beats every second (`heartbeat`); a task still marked running after this long
 * without a beat is taken as abandoned (its worker went away mid-turn), so it can be stopped and
 * continued.
 */
export const RUNNING_STALE_MS = 30_000;

export function createAssistantTables(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS assistant_tasks (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    model TEXT NOT NULL,
    turns TEXT NOT NULL,
    summary TEXT,
    draft_revision INTEGER,
    tokens_in INTEGER NOT NULL,
    tokens_out INTEGER NOT NULL,
    messages TEXT NOT NULL,
    stop_requested INTEGER NOT NULL
  )`);
  sql.exec(`CREATE TABLE IF NOT EXISTS assistant_steps (
    task_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    turn INTEGER NOT NULL,
    detail TEXT NOT NULL,
    PRIMARY KEY (task_id, turn, n)
  )`);
}

type TaskRow = {
  id: string;
  status: string;
  created_at: number;
  updated_at: number;
  model: string;
  turns: string;
  summary: string | null;
  draft_revision: number | null;
  tokens_in: number;
  tokens_out: number;
  messages: string;
  stop_requested: number;
};

/** What a turn starts with: the task, which turn this is, and the conversation so far (JSON). */
export interface BegunTurn {
  taskId: string;
  turn: number;
  continued: boolean;
  messages: string;
}

export interface TurnEnd {
  status: Exclude<TaskStatus, "running">;
  reason: DoneReason | null;
  summary: string | null;
  error: ErrorEvent | null;
  draftRevision: number | null;
  /** This turn's tokens (added to the task's). */
  tokens: TokenUsage;
  /** The conversation to continue from (JSON). */
  messages: string;
}

const newTaskId = () => crypto.randomUUID().replaceAll("-", "").slice(0, 20);

export class AssistantTasks extends RpcTarget {
  #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    super();
    this.#sql = sql;
  }

  #row(id: string): TaskRow | null {
    return this.#sql.exec<TaskRow>("SELECT * FROM assistant_tasks WHERE id = ?", id).toArray()[0] ?? null;
  }

  /** The latest tasks, newest first. */
  list(limit = 20): TaskSummary[] {
    const rows = this.#sql
      .exec<TaskRow>("SELECT * FROM assistant_tasks ORDER BY created_at DESC LIMIT ?", limit)
      .toArray();
    return rows.map((row) => {
      const turns = JSON.parse(row.turns) as TaskTurn[];
      return {
        id: row.id,
        status: row.status as TaskStatus,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        summary: row.summary,
        tokens: { input: row.tokens_in, output: row.tokens_out },
        prompt: turns[0]?.prompt ?? "",
      };
    });
  }

  task(id: string): Outcome<AssistantTask> {
    const row = this.#row(id);
    if (!row) return failure("not_found", `No assistant task ${id}`);
    const steps = this.#sql
      .exec<{ detail: string }>("SELECT detail FROM assistant_steps WHERE task_id = ? ORDER BY turn, n", id)
      .toArray()
      .map((s) => JSON.parse(s.detail) as TaskStep);
    return success({
      id: row.id,
      status: row.status as TaskStatus,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      model: row.model,
      turns: JSON.parse(row.turns) as TaskTurn[],
      steps,
      summary: row.summary,
      draftRevision: row.draft_revision,
      tokens: { input: row.tokens_in, output: row.tokens_out },
    });
  }

  /** Starts a turn: of a new task, or of `taskId` (refused while another of its turns runs). */
  begin(taskId: string | null, prompt: string, model: string, now: number): Outcome<BegunTurn> {
    const turn: TaskTurn = { prompt, at: now, reason: null, summary: null, error: null };
    if (taskId === null) {
      const id = newTaskId();
      this.#sql.exec(
        `INSERT INTO assistant_tasks (id, status, created_at, updated_at, model, turns, summary, draft_revision,
          tokens_in, tokens_out, messages, stop_requested) VALUES (?, 'running', ?, ?, ?, ?, NULL, NULL, 0, 0, '[]', 0)`,
        id,
        now,
        now,
        model,
        JSON.stringify([turn]),
      );
      this.#prune();
      return success({ taskId: id, turn: 0, continued: false, messages: "[]" });
    }
    const row = this.#row(taskId);
    if (!row) return failure("not_found", `No assistant task ${taskId}`);
    if (row.status === "running" && now - row.updated_at < RUNNING_STALE_MS) {
      return failure(
        "conflict",
        `Task ${taskId} is running: stop it, or wait for its done event, before continuing it`,
      );
    }
    const turns = JSON.parse(row.turns) as TaskTurn[];
    turns.push(turn);
    this.#sql.exec(
      "UPDATE assistant_tasks SET status = 'running', updated_at = ?, model = ?, turns = ?, stop_requested = 0 WHERE id = ?",
      now,
      model,
      JSON.stringify(turns),
      taskId,
    );
    return success({ taskId, turn: turns.length - 1, continued: true, messages: row.messages });
  }

  /** Records a step; answers whether Stop was asked for meanwhile. */
  step(taskId: string, step: TaskStep): boolean {
    this.#sql.exec(
      "INSERT OR REPLACE INTO assistant_steps (task_id, n, turn, detail) VALUES (?, ?, ?, ?)",
      taskId,
      step.n,
      step.turn,
      JSON.stringify(step),
    );
    this.#sql.exec("UPDATE assistant_tasks SET updated_at = ? WHERE id = ?", step.at, taskId);
    return this.#stopRequested(taskId);
  }

  /** A running turn's sign of life; answers whether Stop was asked for. */
  heartbeat(taskId: string, now: number): boolean {
    this.#sql.exec("UPDATE assistant_tasks SET updated_at = ? WHERE id = ? AND status = 'running'", now, taskId);
    return this.#stopRequested(taskId);
  }

  #stopRequested(taskId: string): boolean {
    const row = this.#sql
      .exec<{ stop_requested: number }>("SELECT stop_requested FROM assistant_tasks WHERE id = ?", taskId)
      .toArray()[0];
    return row?.stop_requested === 1;
  }

  /** Asks a running task to stop (its loop polls the flag); false when it is not running. */
  requestStop(taskId: string, now: number): Outcome<{ stopped: boolean }> {
    const row = this.#row(taskId);
    if (!row) return failure("not_found", `No assistant task ${taskId}`);
    if (row.status !== "running") return success({ stopped: false });
    if (now - row.updated_at >= RUNNING_STALE_MS) {
      // No turn is left to see the flag: the task is stopped here.
      this.#sql.exec("UPDATE assistant_tasks SET status = 'stopped', updated_at = ? WHERE id = ?", now, taskId);
      return success({ stopped: true });
    }
    this.#sql.exec("UPDATE assistant_tasks SET stop_requested = 1 WHERE id = ?", taskId);
    return success({ stopped: true });
  }

  end(taskId: string, turn: number, end: TurnEnd, now: number): void {
    const row = this.#row(taskId);
    if (!row) return;
    const turns = JSON.parse(row.turns) as TaskTurn[];
    const current = turns[turn];
    if (current) Object.assign(current, { reason: end.reason, summary: end.summary, error: end.error });
    this.#sql.exec(
      `UPDATE assistant_tasks SET status = ?, updated_at = ?, turns = ?, summary = COALESCE(?, summary),
        draft_revision = ?, tokens_in = tokens_in + ?, tokens_out = tokens_out + ?, messages = ?, stop_requested = 0
        WHERE id = ?`,
      end.status,
      now,
      JSON.stringify(turns),
      end.summary,
      end.draftRevision,
      end.tokens.input,
      end.tokens.output,
      end.messages,
      taskId,
    );
  }

  #prune(): void {
    const old = this.#sql
      .exec<{ id: string }>("SELECT id FROM assistant_tasks ORDER BY created_at DESC LIMIT -1 OFFSET ?", TASKS_KEPT)
      .toArray();
    for (const { id } of old) {
      this.#sql.exec("DELETE FROM assistant_steps WHERE task_id = ?", id);
      this.#sql.exec("DELETE FROM assistant_tasks WHERE id = ?", id);
    }
  }
}
