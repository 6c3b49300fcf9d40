import { useState } from "react";
import { messageOf } from "../../shared/errors";
import { ApiError, api } from "../lib/api";
import { keysStore, useHeldKeys } from "../lib/keys-store";
import { ModalDialog } from "../lib/ModalDialog";
import { type AgentConfig, agentConfigs, mcpUrl } from "./agent-config";

interface Props {
  open: boolean;
  onClose: () => void;
  /** On a project's page: the project, whose own token can connect an agent to it alone. */
  project?: { id: string; token: string };
}

/**
 * Connects an AI agent to this IDE's MCP server: mints an agent key (kept in this browser; the server
 * stores only its hash) and shows the configuration to paste into Claude Code, Cursor or VS Code.
 * On a project's page it can give the project's own token instead, which reaches that project alone.
 */
export function ConnectAgentDialog({ open, onClose, project }: Props) {
  const keys = useHeldKeys();
  const [scope, setScope] = useState<"key" | "project">("key");
  const [minting, setMinting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [needsSecret, setNeedsSecret] = useState(false);
  const [secret, setSecret] = useState("");
  const key = keys[0]?.key ?? null;
  const credential = scope === "project" && project ? project.token : key;

  const mint = async () => {
    setMinting(true);
    setError(null);
    try {
      const minted = await api.createKey(needsSecret ? secret : undefined);
      keysStore.add(minted.key);
      setNeedsSecret(false);
      setSecret("");
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setNeedsSecret(true);
      setError(messageOf(e));
    } finally {
      setMinting(false);
    }
  };

  return (
    <ModalDialog open={open} title="Connect an agent" className="agent-dialog" onClose={onClose}>
      <p className="dialog-lead muted">
        An AI agent (Claude Code, Cursor, VS Code) connects to this IDE over MCP at{" "}
        <code>{mcpUrl(location.origin)}</code>: it creates projects, saves code, calls the app, reads its logs and
        queries its database, and you watch it here.
      </p>
      {project ? (
        <div className="agent-scope" role="radiogroup" aria-label="What the agent reaches">
          <label>
            <input type="radio" checked={scope === "key"} onChange={() => setScope("key")} /> Your projects (an agent
            key)
          </label>
          <label>
            <input type="radio" checked={scope === "project"} onChange={() => setScope("project")} /> Only {project.id}{" "}
            (its token)
          </label>
        </div>
      ) : null}
      {credential ? (
        <>
          <p className="muted small">
            {scope === "project"
              ? `The project's token reaches ${project?.id} and nothing else.`
              : "The key reaches every project created with it: those the agent creates, and those you create in this browser from now on, which the start page lists. Keep it like a password; the server keeps only its hash."}
          </p>
          <ConfigTabs configs={agentConfigs(location.origin, credential)} />
          {scope === "key" ? (
            <div className="actions">
              <button type="button" onClick={() => void mint()} disabled={minting}>
                {minting ? "Minting…" : "Mint another key"}
              </button>
            </div>
          ) : null}
        </>
      ) : (
        <div className="agent-mint">
          {needsSecret ? (
            <label className="field">
              <span>This server asks for its access secret to mint keys (its operator has it)</span>
              <input
                type="password"
                value={secret}
                onChange={(e) => setSecret(e.target.value)}
                aria-label="Access secret"
                autoComplete="off"
              />
            </label>
          ) : null}
          <button type="button" className="primary" onClick={() => void mint()} disabled={minting}>
            {minting ? "Minting…" : "Mint an agent key"}
          </button>
        </div>
      )}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </ModalDialog>
  );
}

function ConfigTabs({ configs }: { configs: AgentConfig[] }) {
  const [selected, setSelected] = useState(0);
  const [copied, setCopied] = useState(false);
  const config = configs[selected] ?? configs[0];
  if (!config) return null;
  return (
    <div className="agent-config">
      <div className="agent-tabs" role="tablist">
        {configs.map((c, i) => (
          <button
            key={c.client}
            type="button"
            role="tab"
            aria-selected={i === selected}
            className={i === selected ? "active" : ""}
            onClick={() => {
              setSelected(i);
              setCopied(false);
            }}
          >
            {c.client}
          </button>
        ))}
      </div>
      <p className="muted small">{config.where}</p>
      <pre className="agent-config-text" data-testid="agent-config">
        {config.text}
      </pre>
      <button
        type="button"
        onClick={() => {
          void navigator.clipboard?.writeText(config.text).then(() => setCopied(true));
        }}
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}
