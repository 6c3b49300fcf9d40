/**
 * One turn of a task: the AI SDK's tool loop (`streamText` with tools and stop conditions) on the
 * operator's model, with the assistant's scoped tools (scoped-tools.ts), turned into the task's
 * events and recorded steps. Bounded: a step limit and a token budget (stop conditions, answered as
 * `done` with that reason), a timeout per model call (no first token, or a pause between tokens,
 * longer than the setting), retries with backoff on 429 and 5xx (the SDK's), tool results cut to a
 * size, and a tool's failure or malformed arguments returned to the model as a tool error.
 * Tables: none (the task is recorded through task-table.ts by the caller's `record`).
 */
import {
  APICallError,
  isStepCount,
  jsonSchema,
  type LanguageModel,
  type ModelMessage,
  modelMessageSchema,
  RetryError,
  type StopCondition,
  streamText,
  type ToolSet,
  tool,
} from "ai";
import { z } from "zod";
import type {
  AssistantErrorCode,
  AssistantEvent,
  DoneReason,
  ErrorEvent,
  TaskStep,
  TokenUsage,
} from "../../shared/assistant";
import { MODEL_RETRIES } from "./config";
import type { ScopedTool, ToolOutcome } from "./scoped-tools";

/** The conversation kept to continue a task; past this, only its text is kept. */
const HISTORY_MAX_CHARS = 400_000;

export interface TurnInput {
  model: LanguageModel;
  system: string;
  tools: ScopedTool[];
  /** The task's conversation so far. */
  history: ModelMessage[];
  prompt: string;
  turn: number;
  stepLimit: number;
  tokenBudget: number;
  timeoutMs: number;
  signal: AbortSignal;
  emit(event: AssistantEvent): void;
  /** Records a step (awaited, so the record is in order). */
  record(step: TaskStep): Promise<void>;
}

export interface TurnResult {
  /** Null when the turn ended with an error. */
  reason: DoneReason | null;
  error: ErrorEvent | null;
  summary: string;
  tokens: TokenUsage;
  /** Model calls made. */
  steps: number;
  /** The conversation to continue from. */
  history: ModelMessage[];
}

/** A tool's refusal or failure, which the SDK hands the model as the tool's error. */
class ToolFailure extends Error {}

/** The code and words of a model call's failure. */
export function modelError(error: unknown, timeoutMs: number): ErrorEvent {
  const last = RetryError.isInstance(error) ? error.lastError : error;
  const message = last instanceof Error ? last.message : String(last);
  if (APICallError.isInstance(last)) {
    const status = last.statusCode ?? 0;
    const code: AssistantErrorCode =
      status === 401 || status === 403 ? "model_unauthorized" : status === 429 ? "model_rate_limited" : "model_error";
    const why =
      code === "model_unauthorized"
        ? "the model's provider refused the key (check FACET_IDE_MODEL_KEY)"
        : code === "model_rate_limited"
          ? `the model's provider kept answering 429 (rate limited) through ${MODEL_RETRIES} retries`
          : `the model's provider answered ${status || "an error"}`;
    return { code, message: `${why}: ${message.slice(0, 500)}` };
  }
  const name = last instanceof Error ? last.name : "";
  if (name === "TimeoutError" || /time(d)? ?out/i.test(message)) {
    return {
      code: "model_timeout",
      message: `The model did not answer within ${timeoutMs} ms (FACET_IDE_MODEL_TIMEOUT_MS)`,
    };
  }
  return { code: "model_error", message: `The model call failed: ${message.slice(0, 500)}` };
}

/** Messages read back from the task's record; what does not parse is dropped (the task starts afresh). */
export function parseHistory(json: string): ModelMessage[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [];
  }
  const parsed = z.array(modelMessageSchema).safeParse(value);
  return parsed.success ? parsed.data : [];
}

/** The conversation to keep: whole while it is small, else its text alone (prompts and answers). */
export function keptHistory(messages: ModelMessage[]): ModelMessage[] {
  if (JSON.stringify(messages).length <= HISTORY_MAX_CHARS) return messages;
  return messages.flatMap((m): ModelMessage[] => {
    if (m.role === "user" && typeof m.content === "string") return [m];
    if (m.role !== "assistant") return [];
    const text =
      typeof m.content === "string"
        ? m.content
        : m.content.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("");
    return text ? [{ role: "assistant", content: text.slice(0, 20_000) }] : [];
  });
}

const tokensOf = (usage: { inputTokens?: number; outputTokens?: number }) =>
  (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);

export async function runTurn(input: TurnInput): Promise<TurnResult> {
  const outcomes = new Map<string, ToolOutcome & { ms: number }>();
  const toolSet: ToolSet = Object.fromEntries(
    input.tools.map((scoped) => [
      scoped.name,
      tool({
        description: scoped.description,
        inputSchema: jsonSchema<unknown>(scoped.parameters as Parameters<typeof jsonSchema>[0]),
        async execute(args: unknown, { toolCallId }) {
          const started = Date.now();
          const outcome = await scoped.run(args);
          outcomes.set(toolCallId, { ...outcome, ms: Date.now() - started });
          if (!outcome.ok) throw new ToolFailure(outcome.text);
          return outcome.text;
        },
      }),
    ]),
  );
  const overBudget: StopCondition<ToolSet> = ({ steps }) =>
    steps.reduce((sum, step) => sum + tokensOf(step.usage), 0) >= input.tokenBudget;
  const userMessage: ModelMessage = { role: "user", content: input.prompt };
  const result = streamText({
    model: input.model,
    system: input.system,
    messages: [...input.history, userMessage],
    tools: toolSet,
    stopWhen: [isStepCount(input.stepLimit), overBudget],
    maxRetries: MODEL_RETRIES,
    abortSignal: input.signal,
    timeout: { firstChunkMs: input.timeoutMs, chunkMs: input.timeoutMs },
  });

  let n = 0;
  /** The step number of the model call under way (tool calls it makes take the next ones). */
  let modelN = 0;
  let modelSteps = 0;
  let stepText = "";
  let lastText = "";
  let lastFinish = "";
  let error: ErrorEvent | null = null;
  let aborted = false;
  const tokens = { input: 0, output: 0 };
  const toolSteps = new Map<string, { n: number; name: string; args: unknown }>();
  const at = () => Date.now();

  for await (const part of result.stream) {
    switch (part.type) {
      case "start-step":
        n++;
        modelN = n;
        modelSteps++;
        stepText = "";
        input.emit({ event: "step", data: { n, kind: "model" } });
        break;
      case "text-delta":
        stepText += part.text;
        input.emit({ event: "text", data: { delta: part.text } });
        break;
      case "finish-step":
        tokens.input += part.usage.inputTokens ?? 0;
        tokens.output += part.usage.outputTokens ?? 0;
        lastFinish = part.finishReason;
        if (stepText) lastText = stepText;
        await input.record({ n: modelN, turn: input.turn, kind: "model", at: at(), text: stepText });
        break;
      case "tool-call": {
        n++;
        toolSteps.set(part.toolCallId, { n, name: part.toolName, args: part.input });
        input.emit({ event: "step", data: { n, kind: "tool", name: part.toolName, args: part.input } });
        break;
      }
      case "tool-result":
      case "tool-error": {
        const call = toolSteps.get(part.toolCallId) ?? { n: ++n, name: part.toolName, args: part.input };
        const ran = outcomes.get(part.toolCallId);
        const outcome = ran ?? {
          ok: part.type === "tool-result",
          text:
            part.type === "tool-error"
              ? part.error instanceof Error
                ? part.error.message
                : String(part.error)
              : String(part.output),
          truncated: false,
          ms: 0,
        };
        const event = {
          n: call.n,
          name: call.name,
          args: call.args,
          ok: outcome.ok,
          result: outcome.text,
          truncated: outcome.truncated,
          ms: outcome.ms,
          ...(outcome.diff ? { diff: outcome.diff } : {}),
        };
        input.emit({ event: "tool", data: event });
        await input.record({
          n: call.n,
          turn: input.turn,
          kind: "tool",
          at: at(),
          name: call.name,
          args: call.args,
          ok: outcome.ok,
          result: outcome.text,
          ms: outcome.ms,
        });
        break;
      }
      case "error":
        error ??= modelError(part.error, input.timeoutMs);
        break;
      case "abort":
        aborted = true;
        break;
      default:
        break;
    }
  }

  let history: ModelMessage[];
  try {
    history = [...input.history, userMessage, ...(await result.responseMessages)];
  } catch {
    history = [...input.history, userMessage, ...(lastText ? [{ role: "assistant" as const, content: lastText }] : [])];
  }
  const base = { tokens, steps: modelSteps, history: keptHistory(history) };
  // An abort the person did not ask for is a model call cut off by its timeout (provider.ts).
  if (aborted && !input.signal.aborted && !error) {
    error = {
      code: "model_timeout",
      message: `The model did not answer within ${input.timeoutMs} ms (FACET_IDE_MODEL_TIMEOUT_MS)`,
    };
  }
  if (input.signal.aborted) {
    return { ...base, reason: "stopped", error: null, summary: lastText || "Stopped before it finished." };
  }
  if (error) return { ...base, reason: null, error, summary: lastText };
  const usedTokens = tokens.input + tokens.output;
  // The loop ends on its own when the model answers without a tool call; otherwise a bound stopped it.
  const unfinished = lastFinish === "tool-calls";
  const reason: DoneReason = !unfinished
    ? "finished"
    : usedTokens >= input.tokenBudget
      ? "token_budget"
      : modelSteps >= input.stepLimit
        ? "step_limit"
        : "finished";
  const summary =
    reason === "step_limit"
      ? `${lastText ? `${lastText}\n\n` : ""}Stopped at the step limit (${input.stepLimit} model calls) before finishing; continue the task to go on.`
      : reason === "token_budget"
        ? `${lastText ? `${lastText}\n\n` : ""}Stopped at the token budget (${usedTokens} of ${input.tokenBudget} tokens) before finishing; continue the task to go on.`
        : lastText;
  return { ...base, reason, error: null, summary };
}
