import { useRef, useState } from "react";
import { messageOf } from "../../shared/errors";
import { ConnectAgentDialog } from "../agents/ConnectAgentDialog";
import { useKeyProjects } from "../agents/useKeyProjects";
import { ApiError, api } from "../lib/api";
import { keysStore } from "../lib/keys-store";
import { ProjectFileInput } from "../lib/ProjectFileInput";
import { importFromFile } from "../lib/project-transfer";
import { projectsStore, useOwnedProjects } from "../lib/projects-store";
import { navigate, projectPath } from "../lib/router";
import { ago } from "../lib/time";
import { OpenWithToken } from "./OpenWithToken";
import { ProjectRow } from "./ProjectRow";
import { TemplatePicker } from "./TemplatePicker";

export function StartPage() {
  const owned = useOwnedProjects();
  const ownedIds = new Set(owned.map((p) => p.id));
  // An agent's projects this browser has not opened yet; once opened they are among the owned ones.
  const byAgent = useKeyProjects().filter((p) => !ownedIds.has(p.id));
  const [connecting, setConnecting] = useState(false);
  const [creating, setCreating] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showImport, setShowImport] = useState(false);
  const [listError, setListError] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  const importFile = async (file: File) => {
    setImporting(true);
    setListError(null);
    try {
      const secrets = await importFromFile(file);
      if (secrets.length > 0) {
        window.alert(
          `Imported. Set these secrets again in Environment (an export leaves their values out): ${secrets.join(", ")}`,
        );
      }
    } catch (e) {
      setListError(messageOf(e));
    } finally {
      setImporting(false);
    }
  };

  const create = async (template: string) => {
    setCreating(template);
    setError(null);
    try {
      // With the browser's agent key, if it holds one, so the agent reaches the project too.
      const created = await api.createProject({ template }, keysStore.current());
      projectsStore.add({ id: created.id, token: created.token, previewUrl: created.previewUrl });
      navigate(projectPath(created.id));
    } catch (e) {
      // A server whose operator set an access secret: the Connect an agent dialog takes the secret
      // once and mints this browser a key, with which projects are then created.
      setError(
        e instanceof ApiError && e.status === 401
          ? "This server asks for its access secret before it creates projects. Enter it in Connect an agent (its operator has it); projects are then created with the key it gives this browser."
          : messageOf(e),
      );
      setCreating(null);
    }
  };

  return (
    <main className="start-page">
      <header className="start-header">
        <h1>
          <span className="brand-mark">◆</span> Facet IDE
        </h1>
        <p className="tagline">
          Write a Durable Object, save, and it is live: hot-swapped in place, its SQLite data kept, its logs and
          database one terminal away.
        </p>
        <button type="button" className="connect-agent" onClick={() => setConnecting(true)}>
          Connect an agent
        </button>
      </header>
      <ConnectAgentDialog open={connecting} onClose={() => setConnecting(false)} />

      <section className="start-actions" aria-label="New project">
        <h2>New project</h2>
        <TemplatePicker creating={creating} onPick={(template) => void create(template)} />
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
      </section>

      <section className="project-list" aria-label="Your projects">
        <h2>Your projects</h2>
        {owned.length + byAgent.length === 0 ? (
          <p className="muted empty">
            None yet. Pick a starting point above: it is live as soon as it is created, and every save swaps in the new
            code.
          </p>
        ) : (
          <ul>
            {byAgent.map((p) => (
              <ProjectRow
                key={p.id}
                project={{ ...p, token: p.key }}
                detail={`created by your agent ${ago(p.createdAt)}`}
                onOpen={() =>
                  projectsStore.add({ id: p.id, token: p.key, previewUrl: p.previewUrl, createdAt: p.createdAt })
                }
                onError={setListError}
              />
            ))}
            {owned.map((p) => (
              <ProjectRow
                key={p.id}
                project={p}
                detail={`opened ${ago(p.openedAt)}`}
                onForget={() => projectsStore.remove(p.id)}
                onError={setListError}
              />
            ))}
          </ul>
        )}
        {listError ? (
          <p className="form-error" role="alert">
            {listError}
          </p>
        ) : null}
        <p className="muted small">
          Projects are kept in this browser: each one opens with a token stored here.{" "}
          <button type="button" className="link-button" onClick={() => setShowImport((v) => !v)}>
            Open a project with its token
          </button>
          {" · "}
          <button type="button" className="link-button" disabled={importing} onClick={() => fileRef.current?.click()}>
            {importing ? "Importing…" : "Import a project from a file"}
          </button>
          <ProjectFileInput ref={fileRef} onFile={(file) => void importFile(file)} />
        </p>
        {showImport ? <OpenWithToken /> : null}
      </section>
    </main>
  );
}
