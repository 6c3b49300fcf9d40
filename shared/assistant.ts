/**
 * The IDE's assistant (server/assistant/): a model the operator configures runs a project's MCP
 * tools, restricted to the draft, for a person's prompt. The one source of truth for what its routes
 * take and answer: the request, the Server-Sent Events a task streams, a task's record and the
 * configuration (which never carries the key).
 */
import { z } from "zod";
import { ProjectParams } from "./api";

/** Longest prompt, in characters. */
export const ASSISTANT_PROMPT_MAX = 8_000;
/** Bytes of a tool's result the model (and the events) get; the rest is cut with a note. */
export const TOOL_RESULT_MAX_BYTES = 8 * 1024;
/** Steps and tokens a task may take when the operator sets nothing. */
export const DEFAULT_STEP_LIMIT = 20;
export const DEFAULT_TOKEN_BUDGET = 200_000;

export const TaskId = z
  .string()
  .regex(/^[a-z0-9]{8,32}$/, "a task id is 8 to 32 characters a-z and 0-9")
  .describe("A task's id (the start event gives it)");
export const TaskParams = ProjectParams.extend({ taskId: TaskId });

export const AssistantRequest = z.strictObject({
  prompt: z.string().trim().min(1, "the prompt is empty").max(ASSISTANT_PROMPT_MAX).describe("What to do or answer"),
  taskId: TaskId.optional().describe("Continues this task (its conversation and its draft)"),
});
export type AssistantRequest = z.infer<typeof AssistantRequest>;

export const AssistantProvider = z.enum(["openai-compatible", "anthropic", "workers-ai"]);
export type AssistantProvider = z.infer<typeof AssistantProvider>;

/** What the server is set up with; never the key. */
export const AssistantConfig = z.object({
  configured: z.boolean(),
  model: z.string().optional(),
  provider: AssistantProvider.optional(),
  stepLimit: z.number().int(),
  tokenBudget: z.number().int(),
  /** One line on how to connect a model (shown when none is). */
  howToConnect: z.string(),
});
export type AssistantConfig = z.infer<typeof AssistantConfig>;

export const TaskStatus = z.enum(["running", "done", "stopped", "failed"]);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** Why a task's turn ended with `done`. */
export const DoneReason = z.enum(["finished", "stopped", "step_limit", "token_budget"]);
export type DoneReason = z.infer<typeof DoneReason>;

/** Why a task's turn ended with `error`. */
export const AssistantErrorCode = z.enum([
  /** No model configured (the HTTP answer is a 503 before any stream). */
  "not_configured",
  /** The provider refused the key (401/403). */
  "model_unauthorized",
  /** The provider kept answering 429 through the retries. */
  "model_rate_limited",
  /** A model call took longer than FACET_IDE_MODEL_TIMEOUT_MS. */
  "model_timeout",
  /** The provider failed otherwise (5xx through the retries, an answer that is not one). */
  "model_error",
  /** Another turn of this task is running. */
  "busy",
  "internal",
]);
export type AssistantErrorCode = z.infer<typeof AssistantErrorCode>;

export const TokenUsage = z.object({ input: z.number().int(), output: z.number().int() });
export type TokenUsage = z.infer<typeof TokenUsage>;

/** One file's change on the draft against the live version. */
export const FileDiff = z.object({
  path: z.string(),
  status: z.enum(["added", "modified", "deleted"]),
  /** A unified diff (live, then draft). */
  diff: z.string(),
});
export type FileDiff = z.infer<typeof FileDiff>;

export const TableEffect = z.object({
  name: z.string(),
  /** Null when the table is not on that side. */
  rowsLive: z.number().int().nullable(),
  rowsDraft: z.number().int().nullable(),
});
export const DataEffect = z.object({
  /** The tables whose row counts differ, or that exist on one side only. */
  tables: z.array(TableEffect),
  /** One line per table whose schema differs ("added table x", "changed table y: ..."). */
  schemaChanges: z.array(z.string()),
});
export type DataEffect = z.infer<typeof DataEffect>;

// Events of the stream (`event: <name>`, `data: <JSON>`), in the order a turn sends them.

/** First: which task this is (a new one, or the one continued) and its bounds. */
export const StartEvent = z.object({
  taskId: TaskId,
  continued: z.boolean(),
  stepLimit: z.number().int(),
  tokenBudget: z.number().int(),
});
/** A step begins: a model call, or a tool call the model asked for. */
export const StepEvent = z.object({
  n: z.number().int(),
  kind: z.enum(["model", "tool"]),
  /** The tool's name and arguments (kind "tool"). */
  name: z.string().optional(),
  args: z.unknown().optional(),
});
/** A tool call's outcome. */
export const ToolEvent = z.object({
  n: z.number().int(),
  name: z.string(),
  args: z.unknown(),
  ok: z.boolean(),
  /** What the model got back, cut to TOOL_RESULT_MAX_BYTES with a note. */
  result: z.string(),
  truncated: z.boolean(),
  ms: z.number(),
  /** A file the tool wrote on the draft, as a unified diff against its previous content. */
  diff: z.string().optional(),
});
/** Text the model writes, as it comes. */
export const TextEvent = z.object({ delta: z.string() });
/** The turn ended: the draft's changes and what they did to the data (null without a draft). */
export const DoneEvent = z.object({
  taskId: TaskId,
  reason: DoneReason,
  summary: z.string(),
  draftRevision: z.number().int().nullable(),
  tokens: TokenUsage,
  steps: z.number().int(),
  files: z.array(FileDiff),
  dataEffect: DataEffect.nullable(),
});
export type DoneEvent = z.infer<typeof DoneEvent>;
export const ErrorEvent = z.object({ code: AssistantErrorCode, message: z.string() });
export type ErrorEvent = z.infer<typeof ErrorEvent>;

/** Each event's name and its data's schema. */
export const ASSISTANT_EVENTS = {
  start: StartEvent,
  step: StepEvent,
  tool: ToolEvent,
  text: TextEvent,
  done: DoneEvent,
  error: ErrorEvent,
} as const;
export type AssistantEventName = keyof typeof ASSISTANT_EVENTS;
export type AssistantEvent = {
  [K in AssistantEventName]: { event: K; data: z.infer<(typeof ASSISTANT_EVENTS)[K]> };
}[AssistantEventName];

/** A step of a task's record. */
export const TaskStep = z.object({
  n: z.number().int(),
  /** Which turn (prompt) of the task it belongs to, from 0. */
  turn: z.number().int(),
  kind: z.enum(["model", "tool"]),
  at: z.number(),
  /** kind "model": the text it wrote. */
  text: z.string().optional(),
  name: z.string().optional(),
  args: z.unknown().optional(),
  ok: z.boolean().optional(),
  result: z.string().optional(),
  ms: z.number().optional(),
});
export type TaskStep = z.infer<typeof TaskStep>;

export const TaskTurn = z.object({
  prompt: z.string(),
  at: z.number(),
  reason: DoneReason.nullable(),
  summary: z.string().nullable(),
  error: ErrorEvent.nullable(),
});
export type TaskTurn = z.infer<typeof TaskTurn>;

export const AssistantTask = z.object({
  id: TaskId,
  status: TaskStatus,
  createdAt: z.number(),
  updatedAt: z.number(),
  model: z.string(),
  turns: z.array(TaskTurn),
  steps: z.array(TaskStep),
  /** The last turn's summary. */
  summary: z.string().nullable(),
  draftRevision: z.number().int().nullable(),
  tokens: TokenUsage,
});
export type AssistantTask = z.infer<typeof AssistantTask>;

export const TaskSummary = AssistantTask.pick({
  id: true,
  status: true,
  createdAt: true,
  updatedAt: true,
  summary: true,
  tokens: true,
}).extend({ prompt: z.string() });
export type TaskSummary = z.infer<typeof TaskSummary>;

/** The project's assistant: the configuration and its latest tasks, newest first. */
export const AssistantOverview = z.object({ config: AssistantConfig, tasks: z.array(TaskSummary) });
export type AssistantOverview = z.infer<typeof AssistantOverview>;

export const StopResponse = z.object({
  /** False when the task was not running. */
  stopped: z.boolean(),
});
