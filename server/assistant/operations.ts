/**
 * The assistant's routes that answer JSON (api/operations.ts joins them): the configuration with the
 * latest tasks, a task's record, Stop. The prompt's stream is served by ask.ts.
 * Tables: none (assistant_tasks and assistant_steps are task-table.ts').
 */
import type { OperationGroup } from "../api/operation-types";
import { type Outcome, success } from "../outcome";
import { assistantSettings, publicConfig } from "./config";
import { abortRunning } from "./running";

export const assistantOperations = {
  getAssistant: async ({ project, context }) =>
    success({ config: publicConfig(assistantSettings(context.env)), tasks: await project.assistant().list() }),

  getAssistantTask: async ({ params, project }) => project.assistant().task(params.taskId),

  stopAssistantTask: async ({ params, project }) => {
    const flagged = (await project.assistant().requestStop(params.taskId, Date.now())) as Outcome<{ stopped: boolean }>;
    if (!flagged.ok) return flagged;
    const here = abortRunning(params.id, params.taskId);
    return success({ stopped: flagged.value.stopped || here });
  },
} satisfies OperationGroup;
