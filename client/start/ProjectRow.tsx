import { useState } from "react";
import { messageOf } from "../../shared/errors";
import { exportToFile, forkAndOpen } from "../lib/project-transfer";
import { navigate, projectPath } from "../lib/router";

interface Props {
  /** `token`: the project's token, or the agent key that opens it. */
  project: { id: string; previewUrl: string; token: string };
  /** What to say about it: "opened 2 min ago", "created by your agent 1 min ago". */
  detail: string;
  /** Runs before the project opens (an agent's project is remembered with the key that opens it). */
  onOpen?: () => void;
  /** Forgets the project in this browser; absent where there is nothing to forget. */
  onForget?: () => void;
  onError(message: string): void;
}

export function ProjectRow({ project, detail, onOpen, onForget, onError }: Props) {
  const href = projectPath(project.id);
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (what: string, action: () => Promise<void>) => {
    setBusy(what);
    try {
      await action();
    } catch (e) {
      onError(`${what} ${project.id} failed: ${messageOf(e)}`);
    } finally {
      setBusy(null);
    }
  };
  return (
    <li className="project-row" data-testid="project-row">
      <a
        href={href}
        className="project-link"
        onClick={(e) => {
          onOpen?.();
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          navigate(href);
        }}
      >
        <span className="project-id">{project.id}</span>
        <span className="muted">{detail}</span>
      </a>
      <a className="muted preview-link" href={project.previewUrl} target="_blank" rel="noreferrer">
        {project.previewUrl.replace(/^https?:\/\//, "").replace(/\/$/, "")} ↗
      </a>
      <button
        type="button"
        className="row-action"
        disabled={busy !== null}
        title="A new project with this one's code, variables, secrets and a copy of its data"
        aria-label={`Fork ${project.id}`}
        onClick={() => void run("Fork", () => forkAndOpen(project.id, project.token))}
      >
        {busy === "Fork" ? "Forking…" : "Fork"}
      </button>
      <button
        type="button"
        className="row-action"
        disabled={busy !== null}
        title="Download the code, variables and data as one JSON file"
        aria-label={`Export ${project.id}`}
        onClick={() => void run("Export", () => exportToFile(project.id, project.token))}
      >
        {busy === "Export" ? "Exporting…" : "Export"}
      </button>
      {onForget ? (
        <button
          type="button"
          className="icon-button forget"
          title="Forget this project in this browser (the project itself stays on the server)"
          aria-label={`Forget ${project.id}`}
          onClick={() => {
            if (window.confirm(`Forget ${project.id}? Without its token you cannot open it again.`)) onForget();
          }}
        >
          ×
        </button>
      ) : (
        <span className="forget-placeholder" />
      )}
    </li>
  );
}
