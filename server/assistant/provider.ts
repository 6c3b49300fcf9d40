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

export function languageModel(settings: ModelSettings, ai: Ai | undefined): LanguageModel {
  switch (settings.provider) {
    case "anthropic":
      return createAnthropic({ baseURL: settings.url ?? undefined, apiKey: settings.key ?? "" })(settings.model);
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
      })(settings.model);
  }
}
