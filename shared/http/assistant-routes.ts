/**
 * The route table's part for the IDE's assistant (routes.ts spreads it in): its configuration and
 * tasks, a prompt answered as a stream of events, a task's record, and Stop. None is an MCP tool
 * (server/mcp/tools.ts says why).
 */
import { ProjectParams } from "../api";
import {
  ASSISTANT_EVENTS,
  AssistantOverview,
  AssistantRequest,
  AssistantTask,
  StopResponse,
  TaskParams,
} from "../assistant";
import type { RouteTable } from "./route-spec";

export const assistantRoutes = {
  getAssistant: {
    method: "get",
    path: "/api/projects/{id}/assistant",
    summary:
      "The assistant's configuration (whether a model is connected, which, its step limit and token budget, how to connect one; never the key) and the project's latest tasks",
    auth: "project",
    params: ProjectParams,
    status: 200,
    response: AssistantOverview,
  },
  askAssistant: {
    method: "post",
    path: "/api/projects/{id}/assistant",
    summary:
      "Runs the assistant on a prompt (a new task, or the task `taskId` continued) and answers a stream of Server-Sent Events: start, step, tool, text, then done or error. It changes code and data only on the draft (made on its first write); the person promotes or discards it",
    auth: "project",
    params: ProjectParams,
    body: AssistantRequest,
    status: 200,
    errors: {
      404: "No such task",
      409: "The task is running already (stop it first)",
      503: "No model is configured on the server (the message says how to connect one)",
    },
    response: null,
    events: ASSISTANT_EVENTS,
  },
  getAssistantTask: {
    method: "get",
    path: "/api/projects/{id}/assistant/{taskId}",
    summary:
      "A task's record: its prompts, steps (tool calls with their results, cut), summary, draft revision and tokens",
    auth: "project",
    params: TaskParams,
    status: 200,
    errors: { 404: "No such task" },
    response: AssistantTask,
  },
  stopAssistantTask: {
    method: "post",
    path: "/api/projects/{id}/assistant/{taskId}/stop",
    summary:
      "Stops a running task: its model call and tool calls are abandoned, and its stream ends with done (reason stopped); what it wrote on the draft stays",
    auth: "project",
    params: TaskParams,
    optionalBody: true,
    status: 200,
    errors: { 404: "No such task" },
    response: StopResponse,
  },
} as const satisfies RouteTable;
