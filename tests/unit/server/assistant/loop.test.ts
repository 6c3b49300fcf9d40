/**
 * A turn's bounds and outcomes with the AI SDK's mock model (the process test drives the real
 * provider against a scripted server): the token budget, the step limit, a tool's failure returned
 * to the model, and how a provider's failure is named.
 */
import { APICallError } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { describe, expect, it } from "vitest";
import { keptHistory, modelError, runTurn } from "../../../../server/assistant/loop";
import type { ScopedTool } from "../../../../server/assistant/scoped-tools";
import type { AssistantEvent, TaskStep } from "../../../../shared/assistant";

type Part = Parameters<ReadableStreamDefaultController["enqueue"]>[0];

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: output, text: output, reasoning: undefined },
});

function streamOf(parts: Part[]) {
  return {
    stream: new ReadableStream({
      start(controller) {
        for (const part of parts) controller.enqueue(part);
        controller.close();
      },
    }),
  };
}

const toolCall = (name: string, input: string, tokens = [100, 10]) =>
  streamOf([
    { type: "stream-start", warnings: [] },
    { type: "tool-call", toolCallId: `c${Math.random()}`, toolName: name, input },
    {
      type: "finish",
      finishReason: { unified: "tool-calls", raw: "tool_calls" },
      usage: usage(tokens[0] ?? 0, tokens[1] ?? 0),
    },
  ]);

const text = (words: string) =>
  streamOf([
    { type: "stream-start", warnings: [] },
    { type: "text-start", id: "t" },
    { type: "text-delta", id: "t", delta: words },
    { type: "text-end", id: "t" },
    { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage: usage(50, 5) },
  ]);

const echo: ScopedTool = {
  name: "echo",
  description: "echoes",
  parameters: { type: "object", properties: { say: { type: "string" } }, additionalProperties: false },
  async run(args) {
    const say = (args as { say?: unknown }).say;
    return typeof say === "string"
      ? { ok: true, text: `said ${say}`, truncated: false }
      : { ok: false, text: "Invalid arguments for echo: say", truncated: false };
  },
};

async function turn(streams: ReturnType<typeof streamOf>[], bounds: { stepLimit?: number; tokenBudget?: number } = {}) {
  const model = new MockLanguageModelV4({ doStream: streams });
  const events: AssistantEvent[] = [];
  const steps: TaskStep[] = [];
  const result = await runTurn({
    model,
    system: "test",
    tools: [echo],
    history: [],
    prompt: "go",
    turn: 0,
    stepLimit: bounds.stepLimit ?? 10,
    tokenBudget: bounds.tokenBudget ?? 100_000,
    timeoutMs: 5_000,
    signal: new AbortController().signal,
    emit: (event) => events.push(event),
    record: async (step) => {
      steps.push(step);
    },
  });
  return { result, events, model, steps };
}

describe("a turn", () => {
  it("runs tools until the model answers, and sums the tokens", async () => {
    const { result, events, steps } = await turn([toolCall("echo", '{"say":"hi"}'), text("Done.")]);
    // Each step has its own number: the model call, the tool call it made, the next model call.
    const numbered = steps.map((s) => [s.n, s.kind, s.name ?? s.text]).sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(numbered).toEqual([
      [1, "model", ""],
      [2, "tool", "echo"],
      [3, "model", "Done."],
    ]);
    expect(result).toMatchObject({
      reason: "finished",
      summary: "Done.",
      steps: 2,
      tokens: { input: 150, output: 15 },
    });
    const tool = events.find((e) => e.event === "tool");
    expect(tool?.data).toMatchObject({ name: "echo", ok: true, result: "said hi" });
  });

  it("returns a tool's failure and malformed arguments to the model, and goes on", async () => {
    const { result, events, model } = await turn([
      toolCall("echo", '{"say": 1}'),
      toolCall("echo", '{"say": '),
      toolCall("write_code", "{}"),
      text("Gave up."),
    ]);
    expect(result.reason).toBe("finished");
    const tools = events.flatMap((e) => (e.event === "tool" ? [e.data] : []));
    expect(tools.map((t) => t.ok)).toEqual([false, false, false]);
    expect(tools[0]?.result).toBe("Invalid arguments for echo: say");
    expect(tools[2]?.result).toMatch(/unavailable tool 'write_code'/);
    // The last model call saw the three errors.
    const prompt = JSON.stringify(model.doStreamCalls.at(-1)?.prompt);
    expect(prompt).toContain("Invalid arguments for echo: say");
    expect(prompt).toContain("write_code");
  });

  it("stops at the token budget with done", async () => {
    const { result, model } = await turn(
      [toolCall("echo", '{"say":"a"}', [600, 100]), toolCall("echo", '{"say":"b"}', [600, 100]), text("never")],
      { tokenBudget: 1_000 },
    );
    expect(result.reason).toBe("token_budget");
    expect(result.summary).toMatch(/token budget \(1400 of 1000 tokens\)/);
    expect(model.doStreamCalls).toHaveLength(2);
  });

  it("stops at the step limit with done", async () => {
    const { result, model } = await turn(
      [toolCall("echo", '{"say":"a"}'), toolCall("echo", '{"say":"b"}'), text("never")],
      { stepLimit: 2 },
    );
    expect(result).toMatchObject({ reason: "step_limit", steps: 2 });
    expect(model.doStreamCalls).toHaveLength(2);
  });
});

describe("a provider's failure", () => {
  const apiError = (status: number) =>
    new APICallError({ message: "nope", url: "http://m/v1", requestBodyValues: {}, statusCode: status });

  it("is named by its status, and a timeout as such", () => {
    expect(modelError(apiError(401), 1000).code).toBe("model_unauthorized");
    expect(modelError(apiError(429), 1000).code).toBe("model_rate_limited");
    expect(modelError(apiError(503), 1000).code).toBe("model_error");
    expect(modelError(new DOMException("No answer", "TimeoutError"), 1000)).toMatchObject({ code: "model_timeout" });
  });
});

describe("a task's conversation", () => {
  it("is kept whole while small, else as its text", () => {
    const small = [{ role: "user" as const, content: "hi" }];
    expect(keptHistory(small)).toBe(small);
    const big = [
      { role: "user" as const, content: "hi" },
      { role: "assistant" as const, content: [{ type: "text" as const, text: "x".repeat(500_000) }] },
      {
        role: "tool" as const,
        content: [
          {
            type: "tool-result" as const,
            toolCallId: "c",
            toolName: "t",
            output: { type: "text" as const, value: "y" },
          },
        ],
      },
    ];
    const kept = keptHistory(big);
    expect(kept.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(JSON.stringify(kept).length).toBeLessThan(30_000);
  });
});
