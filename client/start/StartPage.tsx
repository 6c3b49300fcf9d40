import { useRef, useState } from "react";
import { messageOf } from "../../shared/errors";
import { api } from "../lib/api";
import { ProjectFileInput } from "../lib/ProjectFileInput";
import { importFromFile } from "../lib/project-transfer";
import { projectsStore, useOwnedProjects } from "../lib/projects-store";
import { navigate, projectPath } from "../lib/router";
import { OpenWithToken } from "./OpenWithToken";
import { ProjectRow } from "./ProjectRow";
import { TemplatePicker } from "./TemplatePicker";

export function StartPage() {
  const projects = useOwnedProjects();
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
      const created = await api.createProject({ template });
      projectsStore.add({ id: created.id, token: created.token, previewUrl: created.previewUrl });
      navigate(projectPath(created.id));
    } catch (e) {
      setError(messageOf(e));
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
      </header>

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
        {projects.length === 0 ? (
          <p className="muted empty">
            None yet. Pick a starting point above: it is live as soon as it is created, and every save swaps in the new
            code.
          </p>
        ) : (
          <ul>
            {projects.map((p) => (
              <ProjectRow key={p.id} project={p} onError={setListError} />
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
