import { useEffect, useRef, useState } from "react";
import { messageOf } from "../../shared/errors";
import { ProjectFileInput } from "../lib/ProjectFileInput";
import { exportToFile, forkAndOpen, importFromFile } from "../lib/project-transfer";
import { DeleteProjectDialog } from "./DeleteProjectDialog";

interface Props {
  projectId: string;
  token: string;
}

/**
 * The project's menu in the top bar: Fork, Export and Import, each a whole project with its data, and
 * Delete, which asks for the project's id first.
 */
export function ProjectMenu({ projectId, token }: Props) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!menuRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const run = async (what: string, action: () => Promise<unknown>) => {
    setOpen(false);
    setBusy(what);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(`${what} failed: ${messageOf(e)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="project-menu" ref={menuRef}>
      {error ? (
        <span className="top-bar-error" role="alert">
          {error}
        </span>
      ) : null}
      <button
        type="button"
        className="top-bar-button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((v) => !v)}
        disabled={busy !== null}
      >
        {busy ? `${busy}…` : "Project ▾"}
      </button>
      {open ? (
        <div className="menu" role="menu" aria-label="Project">
          <button
            type="button"
            role="menuitem"
            onClick={() => void run("Fork", () => forkAndOpen(projectId, token))}
            title="A new project with this one's code, variables, secrets and a copy of its data"
          >
            Fork <span className="muted small">a copy with its data</span>
          </button>
          <button
            type="button"
            role="menuitem"
            onClick={() => void run("Export", () => exportToFile(projectId, token))}
            title="Download the code, variables (secret values left out) and data as one JSON file"
          >
            Export <span className="muted small">code and data as a file</span>
          </button>
          <button type="button" role="menuitem" onClick={() => fileRef.current?.click()}>
            Import… <span className="muted small">a new project from a file</span>
          </button>
          <button
            type="button"
            role="menuitem"
            className="menu-danger"
            onClick={() => {
              setOpen(false);
              setDeleting(true);
            }}
          >
            Delete… <span className="muted small">the project, for good</span>
          </button>
        </div>
      ) : null}
      <DeleteProjectDialog open={deleting} projectId={projectId} token={token} onClose={() => setDeleting(false)} />
      <ProjectFileInput ref={fileRef} onFile={(file) => void run("Import", () => importFromFile(file))} />
    </div>
  );
}
