import { useEffect, useState } from "react";
import { projectsStore, useOwnedProjects } from "../lib/projects-store";
import { navigate } from "../lib/router";
import { MissingToken } from "./MissingToken";
import { useProjectSession } from "./useProjectSession";
import { Workbench } from "./Workbench";

export function ProjectPage({ id }: { id: string }) {
  const owned = useOwnedProjects().find((p) => p.id === id) ?? null;
  if (!owned) return <MissingToken id={id} />;
  return <OpenProject key={owned.id} id={owned.id} token={owned.token} previewUrl={owned.previewUrl} />;
}

function OpenProject({ id, token, previewUrl }: { id: string; token: string; previewUrl: string }) {
  const [attempt, setAttempt] = useState(0);
  const project = { id, token, previewUrl, createdAt: 0, openedAt: 0 };
  const session = useProjectSession(project, attempt);

  useEffect(() => {
    projectsStore.touch(id);
    document.title = `${id} · Facet IDE`;
    return () => {
      document.title = "Facet IDE";
    };
  }, [id]);

  if (session.state === "loading") {
    return <div className="page-message">Opening {id}…</div>;
  }
  if (session.state === "error") {
    const gone = session.status === 404 || session.status === 403;
    return (
      <div className="page-message">
        <h1>{gone ? "This project cannot be opened" : "Could not open the project"}</h1>
        <p className="muted">{session.message}</p>
        <div className="actions">
          {!gone ? (
            <button type="button" className="primary" onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </button>
          ) : null}
          {gone ? (
            <button
              type="button"
              onClick={() => {
                projectsStore.remove(id);
                navigate("/");
              }}
            >
              Forget it
            </button>
          ) : null}
          <button type="button" onClick={() => navigate("/")}>
            All projects
          </button>
        </div>
      </div>
    );
  }
  return (
    <Workbench
      workspace={session.workspace}
      connection={session.connection}
      token={token}
      previewUrl={session.info.previewUrl}
      openedAtVersion={session.openedAtVersion}
    />
  );
}
