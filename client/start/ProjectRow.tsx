import { useState } from "react";
import { messageOf } from "../../shared/errors";
import { exportToFile, forkAndOpen } from "../lib/project-transfer";
import type { OwnedProject } from "../lib/projects-store";
import { projectsStore } from "../lib/projects-store";
import { navigate, projectPath } from "../lib/router";
import { ago } from "../lib/time";

export function ProjectRow({ project, onError }: { project: OwnedProject; onError(message: string): void }) {
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
    <li className="project-row">
      <a
        href={href}
        className="project-link"
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          navigate(href);
        }}
      >
        <span className="project-id">{project.id}</span>
        <span className="muted">opened {ago(project.openedAt)}</span>
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
      <button
        type="button"
        className="icon-button forget"
        title="Forget this project in this browser (the project itself stays on the server)"
        aria-label={`Forget ${project.id}`}
        onClick={() => {
          if (window.confirm(`Forget ${project.id}? Without its token you cannot open it again.`)) {
            projectsStore.remove(project.id);
          }
        }}
      >
        ×
      </button>
    </li>
  );
}
