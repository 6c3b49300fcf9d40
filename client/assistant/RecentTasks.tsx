import type { TaskSummary } from "../../shared/assistant";
import { ago } from "../lib/time";

interface Props {
  tasks: TaskSummary[];
  onOpen(taskId: string): void;
}

/** The project's latest tasks, newest first: one opens to its steps and summary, and continues. */
export function RecentTasks({ tasks, onOpen }: Props) {
  if (tasks.length === 0) return null;
  return (
    <section className="assistant-recent" aria-label="Recent tasks">
      <h3 className="assistant-heading">Recent tasks</h3>
      <ul>
        {tasks.map((task) => (
          <li key={task.id}>
            <button type="button" className="assistant-recent-task" onClick={() => onOpen(task.id)}>
              <span className="assistant-recent-prompt">{task.prompt}</span>
              <span className="muted small">
                {task.status} · {ago(task.updatedAt)} ·{" "}
                {(task.tokens.input + task.tokens.output).toLocaleString("en-US")} tokens
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
