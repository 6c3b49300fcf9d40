import type { OwnedProject } from "../lib/projects-store";
import { projectsStore } from "../lib/projects-store";
import { navigate, projectPath } from "../lib/router";
import { ago } from "../lib/time";

export function ProjectRow({ project }: { project: OwnedProject }) {
  const href = projectPath(project.id);
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
