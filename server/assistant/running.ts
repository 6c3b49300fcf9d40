/**
 * The turns running in this isolate, by project and task, so Stop aborts one at once when it lands
 * here; in another isolate (deployed, where requests spread), Stop sets the task's flag, which the
 * turn polls (task-table.ts).
 * Tables: none.
 */
const running = new Map<string, AbortController>();

const keyOf = (project: string, taskId: string) => `${project}/${taskId}`;

export function startRunning(project: string, taskId: string): AbortController {
  const controller = new AbortController();
  running.set(keyOf(project, taskId), controller);
  return controller;
}

export function finishRunning(project: string, taskId: string, controller: AbortController): void {
  if (running.get(keyOf(project, taskId)) === controller) running.delete(keyOf(project, taskId));
}

/** Aborts the turn when it runs here; false when it does not. */
export function abortRunning(project: string, taskId: string): boolean {
  const controller = running.get(keyOf(project, taskId));
  controller?.abort(new Error("Stopped by the person"));
  return controller !== undefined;
}
