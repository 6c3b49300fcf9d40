import type { AssistantConfig } from "../../shared/assistant";

/** With no model on the server: how the operator connects one, and nothing that pretends to answer. */
export function NotConfigured({ config }: { config: AssistantConfig }) {
  return (
    <div className="assistant-empty" data-testid="assistant-not-configured">
      <h3 className="assistant-heading">No model is connected</h3>
      <p>The assistant runs on a model the person running this IDE chooses. To connect one:</p>
      <pre className="request-body">{config.howToConnect}</pre>
      <p className="muted small">
        The model's address and key stay on the server; this page never sees them. Any OpenAI-compatible endpoint works
        (a local Ollama or LM Studio, OpenAI, OpenRouter), and Anthropic's API.
      </p>
    </div>
  );
}
