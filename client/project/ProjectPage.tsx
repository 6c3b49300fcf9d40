import { useEffect, useState } from "react";
import { api } from "../lib/api";
import { keysStore } from "../lib/keys-store";
import { projectsStore, useOwnedProjects } from "../lib/projects-store";
import { navigate } from "../lib/router";
import { MissingToken } from "./MissingToken";
import { useProjectSession } from "./useProjectSession";
import { Workbench } from "./Workbench";

export function ProjectPage({ id }: { id: string }) {
  const owned = useOwnedProjects().find((p) => p.id === id) ?? null;
  const lookingUp = useKeyThatOpens(id, owned === null);
  if (!owned && lookingUp) return <div className="page-message">Opening {id}…</div>;
  if (!owned) return <MissingToken id={id} />;
  return <OpenProject key={owned.id} id={owned.id} token={owned.token} previewUrl={owned.previewUrl} />;
}

/**
 * For a project this browser holds no token for (a link to what an agent built): tries the agent keys
 * it holds, and remembers the project with the first that opens it. True while it tries.
 */
function useKeyThatOpens(id: string, needed: boolean): boolean {
  const [trying, setTrying] = useState(needed && keysStore.list().length > 0);
  useEffect(() => {
    if (!needed) return;
    let cancelled = false;
    void (async () => {
      for (const { key } of keysStore.list()) {
        const info = await api.project(id, key).catch(() => null);
        if (cancelled) return;
        if (info) {
          projectsStore.add({ id, token: key, previewUrl: info.previewUrl, createdAt: info.createdAt });
          return;
        }
      }
      if (!cancelled) setTrying(false);
    })();
    return () => {
      cancelled = true;
    };
  }, [id, needed]);
  return trying;
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
