/**
 * The assistant's configuration, read from the worker's environment (locally the environment
 * `npm start` runs in, or .dev.vars; deployed, Worker secrets and an optional `AI` binding). Pure, so
 * the unit tests read every setting. The key never leaves the server: `publicConfig` is what a client sees.
 * Tables: none.
 */
import {
  type AssistantConfig,
  type AssistantProvider,
  DEFAULT_STEP_LIMIT,
  DEFAULT_TOKEN_BUDGET,
} from "../../shared/assistant";

/** How long one model call may go without a first token, or between tokens, unless the operator says. */
export const DEFAULT_MODEL_TIMEOUT_MS = 60_000;
/** Retries of a model call that failed with 429 or 5xx (the AI SDK backs off between them). */
export const MODEL_RETRIES = 2;

export const HOW_TO_CONNECT =
  "Set FACET_IDE_MODEL_URL (an OpenAI-compatible /v1 URL, or https://api.anthropic.com/v1), FACET_IDE_MODEL and FACET_IDE_MODEL_KEY where the server runs; a local Ollama is one line: FACET_IDE_MODEL_URL=http://localhost:11434/v1 FACET_IDE_MODEL=qwen2.5-coder npm start";

export interface ModelSettings {
  provider: AssistantProvider;
  /** The base URL (none for Workers AI). */
  url: string | null;
  key: string | null;
  model: string;
}

export interface AssistantSettings {
  /** Null when no model is configured. */
  model: ModelSettings | null;
  stepLimit: number;
  tokenBudget: number;
  timeoutMs: number;
  /** Settings that were given but could not be used, said once in the config's how-to. */
  problems: string[];
}

/** The variables read (Env declares them optional; all are strings when set). */
export interface AssistantEnv {
  FACET_IDE_MODEL_URL?: string;
  FACET_IDE_MODEL_KEY?: string;
  FACET_IDE_MODEL?: string;
  FACET_IDE_ASSISTANT_STEPS?: string;
  FACET_IDE_ASSISTANT_TOKENS?: string;
  FACET_IDE_MODEL_TIMEOUT_MS?: string;
  /** A Workers AI binding, when the operator adds one. */
  AI?: unknown;
}

const WORKERS_AI_DEFAULT_MODEL = "@cf/qwen/qwen2.5-coder-32b-instruct";

/** A whole number within [min, max]; else the default, with a problem noted. */
function wholeNumber(
  name: string,
  value: string | undefined,
  fallback: number,
  [min, max]: [number, number],
  problems: string[],
): number {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  problems.push(
    `${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)}): ${fallback} is used`,
  );
  return fallback;
}

/** Which provider speaks at `url`: Anthropic's Messages API on its host, else OpenAI's Chat Completions. */
export function providerOf(url: URL): AssistantProvider {
  return url.hostname === "api.anthropic.com" ? "anthropic" : "openai-compatible";
}

function modelSettings(env: AssistantEnv, problems: string[]): ModelSettings | null {
  const rawUrl = env.FACET_IDE_MODEL_URL?.trim() ?? "";
  const key = env.FACET_IDE_MODEL_KEY?.trim() || null;
  const model = env.FACET_IDE_MODEL?.trim() ?? "";
  if (rawUrl === "") {
    if (env.AI !== undefined && env.AI !== null) {
      return { provider: "workers-ai", url: null, key: null, model: model || WORKERS_AI_DEFAULT_MODEL };
    }
    return null;
  }
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    problems.push(`FACET_IDE_MODEL_URL is not a URL (${JSON.stringify(rawUrl.slice(0, 100))})`);
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    problems.push(`FACET_IDE_MODEL_URL must be http(s) (got ${url.protocol})`);
    return null;
  }
  if (model === "") {
    problems.push(
      "FACET_IDE_MODEL is not set: name the model the URL serves (qwen2.5-coder, gpt-4.1, claude-sonnet-4-5)",
    );
    return null;
  }
  const provider = providerOf(url);
  // Anthropic's API lives under /v1; its bare host is a common way to write it.
  if (provider === "anthropic" && (url.pathname === "/" || url.pathname === "")) url.pathname = "/v1";
  return { provider, url: url.href.replace(/\/+$/, ""), key, model };
}

export function assistantSettings(env: AssistantEnv): AssistantSettings {
  const problems: string[] = [];
  const model = modelSettings(env, problems);
  return {
    model,
    stepLimit: wholeNumber(
      "FACET_IDE_ASSISTANT_STEPS",
      env.FACET_IDE_ASSISTANT_STEPS,
      DEFAULT_STEP_LIMIT,
      [1, 200],
      problems,
    ),
    tokenBudget: wholeNumber(
      "FACET_IDE_ASSISTANT_TOKENS",
      env.FACET_IDE_ASSISTANT_TOKENS,
      DEFAULT_TOKEN_BUDGET,
      [1_000, 100_000_000],
      problems,
    ),
    timeoutMs: wholeNumber(
      "FACET_IDE_MODEL_TIMEOUT_MS",
      env.FACET_IDE_MODEL_TIMEOUT_MS,
      DEFAULT_MODEL_TIMEOUT_MS,
      [100, 600_000],
      problems,
    ),
    problems,
  };
}

/** What a client is told: never the URL's credentials or the key. */
export function publicConfig(settings: AssistantSettings): AssistantConfig {
  const { model } = settings;
  const howToConnect = [model ? "" : HOW_TO_CONNECT, ...settings.problems].filter(Boolean).join(" — ");
  return {
    configured: model !== null,
    ...(model ? { model: model.model, provider: model.provider } : {}),
    stepLimit: settings.stepLimit,
    tokenBudget: settings.tokenBudget,
    howToConnect:
      howToConnect ||
      "Connected (set where the server runs: FACET_IDE_MODEL_URL, FACET_IDE_MODEL, FACET_IDE_MODEL_KEY)",
  };
}
