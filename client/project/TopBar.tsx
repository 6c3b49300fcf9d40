import { navigate } from "../lib/router";

export function TopBar({ projectId }: { projectId: string }) {
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
    </nav>
  );
}
