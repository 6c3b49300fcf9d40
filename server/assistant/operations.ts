/**
 * The assistant's routes that answer JSON (operations.ts joins them): the configuration with the
 * latest tasks, a task's record, Stop. The prompt's stream is served by ask.ts.
 * Tables: none (assistant_tasks and assistant_steps are task-table.ts').
 */
import type { OperationGroup } from "../api/operation-types";
import { failure } from "../outcome";

export const assistantOperations = {
  getAssistant: async () => failure("not_implemented", "The assistant is being built"),
  getAssistantTask: async () => failure("not_implemented", "The assistant is being built"),
  stopAssistantTask: async () => failure("not_implemented", "The assistant is being built"),
} satisfies OperationGroup;
