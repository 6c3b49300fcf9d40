/**
 * The language model the operator configured (config.ts), through the AI SDK's providers: an
 * OpenAI-compatible Chat Completions endpoint (OpenAI, OpenRouter, Ollama, LM Studio, llama.cpp,
 * vLLM), Anthropic's Messages API when the URL is Anthropic's, or Workers AI through an `AI` binding.
 * Tables: none.
 */
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";
import { createWorkersAI } from "workers-ai-provider";
import type { ModelSettings } from "./config";

/**
 * fetch that gives up when the answer's headers take longer than `timeoutMs`: the AI SDK's own
 * timeouts count from the first chunk of a stream, and a server that accepts the connection and
 * never answers would otherwise hold the turn for good. Its TimeoutError is not retried.
 */
export function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const timer = new AbortController();
    const timeout = setTimeout(
      () => timer.abort(new DOMException(`No answer within ${timeoutMs} ms`, "TimeoutError")),
      timeoutMs,
    );
    const signal = init?.signal ? AbortSignal.any([init.signal, timer.signal]) : timer.signal;
    try {
      return await fetch(input, { ...init, signal });
    } finally {
      clearTimeout(timeout);
    }
  };
}

export function languageModel(settings: ModelSettings, ai: Ai | undefined, timeoutMs: number): LanguageModel {
  const timedFetch = fetchWithTimeout(timeoutMs);
  switch (settings.provider) {
    case "anthropic":
      return createAnthropic({ baseURL: settings.url ?? undefined, apiKey: settings.key ?? "", fetch: timedFetch })(
        settings.model,
      );
    case "workers-ai":
      if (!ai) throw new Error("Workers AI needs an AI binding");
      return createWorkersAI({ binding: ai })(settings.model);
    case "openai-compatible":
      return createOpenAICompatible({
        name: "model",
        baseURL: settings.url ?? "",
        apiKey: settings.key ?? undefined,
        // Token counts of a streamed answer come only when asked for; the budget needs them.
        includeUsage: true,
        fetch: timedFetch,
      })(settings.model);
  }
}
