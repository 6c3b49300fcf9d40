import { navigate } from "../lib/router";

interface Props {
  projectId: string;
  onOpenHistory: () => void;
  onOpenEnvironment: () => void;
}

export function TopBar({ projectId, onOpenHistory, onOpenEnvironment }: Props) {
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
      <button type="button" className="top-bar-button" onClick={onOpenHistory} title="Saved versions: compare, restore">
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
    </nav>
  );
}
