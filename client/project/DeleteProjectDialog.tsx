import { useId, useState } from "react";
import { messageOf } from "../../shared/errors";
import { api } from "../lib/api";
import { ModalDialog } from "../lib/ModalDialog";
import { projectsStore } from "../lib/projects-store";
import { navigate } from "../lib/router";

interface Props {
  open: boolean;
  projectId: string;
  token: string;
  onClose(): void;
}

/**
 * Deletes the project for good once the person has typed its id (the API asks for it too): its
 * code, versions, data, snapshots and draft. Then this browser forgets it and goes to the start page.
 */
export function DeleteProjectDialog({ open, projectId, token, onClose }: Props) {
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const matches = typed.trim() === projectId;

  const close = () => {
    if (busy) return;
    setTyped("");
    setError(null);
    onClose();
  };

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.deleteProject(projectId, token, typed.trim());
      projectsStore.remove(projectId);
      // Closed before leaving: a modal dialog still open would keep the start page inert under it.
      setBusy(false);
      onClose();
      navigate("/");
    } catch (e) {
      setError(`Delete failed: ${messageOf(e)}`);
      setBusy(false);
    }
  };

  return (
    <ModalDialog open={open} title="Delete this project?" className="confirm-dialog" onClose={close}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (matches && !busy) void remove();
        }}
      >
        <p className="dialog-lead">
          This deletes <code>{projectId}</code> for good: its code and every version, its data and snapshots, its draft,
          and its token. Export it first to keep a copy. It cannot be undone.
        </p>
        <label htmlFor={inputId} className="delete-confirm-label">
          Type <code>{projectId}</code> to confirm
        </label>
        <input
          id={inputId}
          className="delete-confirm-input"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={close} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={!matches || busy}>
            {busy ? "Deleting…" : "Delete project"}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
