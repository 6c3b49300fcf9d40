import { navigate } from "../lib/router";
import { ProjectMenu } from "./ProjectMenu";

interface Props {
  projectId: string;
  token: string;
  onOpenHistory: () => void;
  onOpenEnvironment: () => void;
  onConnectAgent: () => void;
  metricsOpen: boolean;
  onToggleMetrics: () => void;
}

export function TopBar({
  projectId,
  token,
  onOpenHistory,
  onOpenEnvironment,
  onConnectAgent,
  metricsOpen,
  onToggleMetrics,
}: Props) {
  return (
    <nav className="top-bar">
      <a
        className="brand"
        href="/"
        onClick={(e) => {
          e.preventDefault();
          navigate("/");
        }}
      >
        <span className="brand-mark">◆</span> Facet IDE
      </a>
      <span className="crumb-sep">/</span>
      <span className="project-name" data-testid="project-name">
        {projectId}
      </span>
      <span className="spacer" />
      <ProjectMenu projectId={projectId} token={token} />
      <button
        type="button"
        className={`top-bar-button${metricsOpen ? " active" : ""}`}
        onClick={onToggleMetrics}
        aria-pressed={metricsOpen}
        title="Requests, latency, database size, cost and limits (Alt+5)"
      >
        Metrics
      </button>
      <button
        type="button"
        className="top-bar-button"
        onClick={onOpenHistory}
        title="Saved versions and their data: compare, restore"
      >
        History
      </button>
      <button
        type="button"
        className="top-bar-button"
        onClick={onOpenEnvironment}
        title="Variables and secrets: this.env"
      >
        Environment
      </button>
      <button
        type="button"
        className="top-bar-button"
        onClick={onConnectAgent}
        title="Let an AI agent work on this project over MCP"
      >
        Agent
      </button>
    </nav>
  );
}
