import { DiffEditor } from "@monaco-editor/react";
import { useEffect, useState } from "react";
import type { CodeResponse, VersionSummary } from "../../shared/api";
import { messageOf } from "../../shared/errors";
import { languageOf, type Workspace } from "../editor/workspace";
import { api } from "../lib/api";
import { ModalDialog } from "../lib/ModalDialog";
import { ago } from "../lib/time";

interface Props {
  projectId: string;
  token: string;
  workspace: Workspace;
  liveVersion: number | null;
  open: boolean;
  onClose: () => void;
  /** Puts a version's code in the editor and saves it: it goes live as a new version. */
  onRestore: (code: CodeResponse) => void;
}

/**
 * The project's saved versions: pick one to compare with the editor (a side-by-side diff) and
 * restore it. In a modal dialog (ModalDialog), like the Environment one.
 */
export function HistoryDialog({ projectId, token, workspace, liveVersion, open, onClose, onRestore }: Props) {
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [code, setCode] = useState<CodeResponse | null>(null);
  const [file, setFile] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // What the editor holds, read when the dialog opens (the diff's right side).
  const [editorFiles, setEditorFiles] = useState<Record<string, string>>({});

  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    setError(null);
    setEditorFiles(workspace.toSave().files);
    api.versions(projectId, token).then(
      (answer) => {
        if (cancelled) return;
        setVersions(answer.versions);
        // With unsaved edits, compare them with the live version; without, show what the last save changed.
        const [newest, previous] = answer.versions;
        setSelected((workspace.snapshot().isDirty ? newest : (previous ?? newest))?.version ?? null);
      },
      (e: unknown) => !cancelled && setError(messageOf(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [open, projectId, token, workspace]);

  useEffect(() => {
    if (!open || selected === null) return;
    let cancelled = false;
    setCode(null);
    api.version(projectId, token, selected).then(
      (answer) => {
        if (cancelled) return;
        setCode(answer);
        setFile((current) => (current && Object.hasOwn(answer.files, current) ? current : answer.main));
      },
      (e: unknown) => !cancelled && setError(messageOf(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [open, projectId, token, selected]);

  const files = code ? [...new Set([...Object.keys(code.files), ...Object.keys(editorFiles)])].sort() : [];
  const shownFile = file && files.includes(file) ? file : (code?.main ?? null);
  const changed = (name: string) => (code?.files[name] ?? null) !== (editorFiles[name] ?? null);

  return (
    <ModalDialog open={open} title="History" className="history-dialog" onClose={onClose}>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {/* Unmounted while closed: the diff editor's models go with it. */}
      {open ? (
        <div className="history-body">
          <nav className="version-list" aria-label="Versions">
            {versions === null ? (
              <p className="muted">Loading…</p>
            ) : versions.length === 0 ? (
              <p className="muted empty">No saved versions yet. Every save that changes the code makes one.</p>
            ) : (
              <ul>
                {versions.map((v) => (
                  <li key={v.version}>
                    <button
                      type="button"
                      className={`version-item${v.version === selected ? " selected" : ""}`}
                      aria-current={v.version === selected ? "true" : undefined}
                      onClick={() => setSelected(v.version)}
                    >
                      <span className="version-number">v{v.version}</span>
                      {v.version === liveVersion ? <span className="version-live">live</span> : null}
                      <span className="version-meta">
                        {ago(v.createdAt)} · {v.files.length} {v.files.length === 1 ? "file" : "files"}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </nav>
          <section className="version-detail" aria-label="Compare">
            {code && shownFile ? (
              <>
                <div className="version-toolbar">
                  <div className="version-files" role="tablist" aria-label="Files in this version">
                    {files.map((name) => (
                      <button
                        key={name}
                        type="button"
                        role="tab"
                        aria-selected={name === shownFile}
                        className={`version-file${name === shownFile ? " selected" : ""}`}
                        onClick={() => setFile(name)}
                      >
                        {name}
                        {changed(name) ? (
                          <span className="version-file-changed" title="differs from the editor" />
                        ) : null}
                      </button>
                    ))}
                  </div>
                  <span className="muted small">v{code.version} on the left, your editor on the right</span>
                  <button
                    type="button"
                    className="primary"
                    disabled={files.every((name) => !changed(name))}
                    onClick={() => onRestore(code)}
                  >
                    Restore v{code.version}
                  </button>
                </div>
                <div className="version-diff" data-testid="version-diff">
                  <DiffEditor
                    theme="facet-dark"
                    language={languageOf(shownFile)}
                    original={code.files[shownFile] ?? ""}
                    modified={editorFiles[shownFile] ?? ""}
                    options={{
                      readOnly: true,
                      originalEditable: false,
                      renderSideBySide: true,
                      minimap: { enabled: false },
                      scrollBeyondLastLine: false,
                      fontSize: 12.5,
                      automaticLayout: true,
                    }}
                  />
                </div>
                <p className="muted small">
                  Restoring puts v{code.version}'s files in the editor and saves them as a new version; the app's data
                  stays. Ctrl+Z in the editor takes it back.
                </p>
              </>
            ) : versions && versions.length > 0 ? (
              <p className="muted">Loading…</p>
            ) : null}
          </section>
        </div>
      ) : null}
    </ModalDialog>
  );
}
