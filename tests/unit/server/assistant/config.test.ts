import { describe, expect, it } from "vitest";
import { assistantSettings, DEFAULT_MODEL_TIMEOUT_MS, publicConfig } from "../../../../server/assistant/config";
import { DEFAULT_STEP_LIMIT, DEFAULT_TOKEN_BUDGET } from "../../../../shared/assistant";

describe("the assistant's configuration", () => {
  it("is off without a URL, and says how to connect a local model in one line", () => {
    const settings = assistantSettings({});
    expect(settings.model).toBeNull();
    const config = publicConfig(settings);
    expect(config).toMatchObject({
      configured: false,
      stepLimit: DEFAULT_STEP_LIMIT,
      tokenBudget: DEFAULT_TOKEN_BUDGET,
    });
    expect(config.howToConnect).toContain(
      "FACET_IDE_MODEL_URL=http://localhost:11434/v1 FACET_IDE_MODEL=qwen2.5-coder npm start",
    );
    expect(settings.timeoutMs).toBe(DEFAULT_MODEL_TIMEOUT_MS);
  });

  it("speaks OpenAI's Chat Completions to any URL but Anthropic's, and never shows the key", () => {
    const local = assistantSettings({
      FACET_IDE_MODEL_URL: "http://localhost:11434/v1/",
      FACET_IDE_MODEL: "qwen2.5-coder",
    });
    expect(local.model).toEqual({
      provider: "openai-compatible",
      url: "http://localhost:11434/v1",
      key: null,
      model: "qwen2.5-coder",
    });
    const hosted = assistantSettings({
      FACET_IDE_MODEL_URL: "https://api.anthropic.com/v1",
      FACET_IDE_MODEL: "claude-sonnet-4-5",
      FACET_IDE_MODEL_KEY: "sk-ant-secret",
    });
    expect(hosted.model?.provider).toBe("anthropic");
    const bare = assistantSettings({ FACET_IDE_MODEL_URL: "https://api.anthropic.com", FACET_IDE_MODEL: "claude" });
    expect(bare.model?.url).toBe("https://api.anthropic.com/v1");
    const shown = publicConfig(hosted);
    expect(shown).toMatchObject({ configured: true, provider: "anthropic", model: "claude-sonnet-4-5" });
    expect(JSON.stringify(shown)).not.toContain("sk-ant-secret");
    expect(JSON.stringify(shown)).not.toContain("api.anthropic.com");
  });

  it("uses Workers AI when there is an AI binding and no URL", () => {
    const settings = assistantSettings({ AI: {} });
    expect(settings.model?.provider).toBe("workers-ai");
    expect(settings.model?.model).toMatch(/^@cf\//);
  });

  it("reads the bounds, and says which settings it could not use", () => {
    const settings = assistantSettings({
      FACET_IDE_MODEL_URL: "ftp://model",
      FACET_IDE_MODEL: "m",
      FACET_IDE_ASSISTANT_STEPS: "7",
      FACET_IDE_ASSISTANT_TOKENS: "lots",
      FACET_IDE_MODEL_TIMEOUT_MS: "2500",
    });
    expect(settings.model).toBeNull();
    expect(settings.stepLimit).toBe(7);
    expect(settings.tokenBudget).toBe(DEFAULT_TOKEN_BUDGET);
    expect(settings.timeoutMs).toBe(2500);
    const { howToConnect } = publicConfig(settings);
    expect(howToConnect).toContain("FACET_IDE_MODEL_URL must be http(s)");
    expect(howToConnect).toContain("FACET_IDE_ASSISTANT_TOKENS must be a whole number");
  });

  it("needs the model's name with a URL", () => {
    const settings = assistantSettings({ FACET_IDE_MODEL_URL: "https://openrouter.ai/api/v1" });
    expect(settings.model).toBeNull();
    expect(settings.problems.join()).toContain("FACET_IDE_MODEL is not set");
  });
});
