import { useEffect, useState } from "react";
import type { CodeResponse, VersionData, VersionSummary } from "../../shared/api";
import { messageOf } from "../../shared/errors";
import { formatBytes } from "../../shared/format";
import type { RestoreResponse, SnapshotsResponse } from "../../shared/time-travel";
import type { Workspace } from "../editor/workspace";
import { api } from "../lib/api";
import { ModalDialog } from "../lib/ModalDialog";
import { ago } from "../lib/time";
import { VersionDiff } from "./VersionDiff";

interface Props {
  projectId: string;
  token: string;
  workspace: Workspace;
  liveVersion: number | null;
  open: boolean;
  onClose: () => void;
  /** A restore went live as a new version: the editor takes its code. */
  onRestored: (result: RestoreResponse) => void;
}

/** What a version's data snapshot says in the list: "data 12 KiB", or that there is none. */
function dataLabel(data: VersionData): string {
  return data.snapshot ? `data ${formatBytes(data.bytes ?? 0)}` : "no data";
}

/**
 * The project's saved versions and their data snapshots: pick one to compare with the editor (a
 * side-by-side diff) and restore its code, or its code and data. In a modal dialog (ModalDialog),
 * like the Environment one.
 */
export function HistoryDialog({ projectId, token, workspace, liveVersion, open, onClose, onRestored }: Props) {
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [snapshots, setSnapshots] = useState<SnapshotsResponse | null>(null);
  /** Set while "Restore code and data" waits for the user to confirm. */
  const [confirming, setConfirming] = useState(false);
  const [restoring, setRestoring] = useState(false);
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
    setConfirming(false);
    setEditorFiles(workspace.toSave().files);
    api.snapshots(projectId, token).then(
      (answer) => !cancelled && setSnapshots(answer),
      () => {
        // The list still shows each version's data; the banner is a convenience.
      },
    );
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
    setConfirming(false);
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
  const selectedSummary = versions?.find((v) => v.version === code?.version) ?? null;
  const liveSummary = versions?.find((v) => v.version === liveVersion) ?? null;

  const restore = async (data: boolean) => {
    if (!code?.version) return;
    setRestoring(true);
    setError(null);
    try {
      const result = await api.restore(projectId, token, code.version, data);
      setConfirming(false);
      onRestored(result);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setRestoring(false);
    }
  };

  return (
    <ModalDialog open={open} title="History" className="history-dialog" onClose={onClose}>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {snapshots && !snapshots.enabled ? (
        <p className="history-banner warn" role="status">
          {snapshots.reason}
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
                      {v.message ? (
                        <span
                          className="version-message"
                          title={v.message}
                          data-testid={`version-message-${v.version}`}
                        >
                          {v.message}
                        </span>
                      ) : null}
                      <span className="version-meta">
                        {ago(v.createdAt)} · {v.files.length} {v.files.length === 1 ? "file" : "files"}
                      </span>
                      <span
                        className={`version-data${v.data.snapshot ? " kept" : ""}`}
                        title={
                          v.data.snapshot
                            ? `The data as v${v.version} left it, ${ago(v.data.takenAt ?? 0)}`
                            : v.data.note
                        }
                        data-testid={`version-data-${v.version}`}
                      >
                        {v.version === liveVersion && !v.data.snapshot ? "live data" : dataLabel(v.data)}
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
                    disabled={restoring || code.version === liveVersion}
                    title={`A new version with v${code.version}'s code; the data stays as it is`}
                    onClick={() => void restore(false)}
                  >
                    Restore code
                  </button>
                  <button
                    type="button"
                    className="primary"
                    disabled={restoring || !selectedSummary?.data.snapshot}
                    title={
                      selectedSummary?.data.snapshot
                        ? `A new version with v${code.version}'s code, and its data in place of today's`
                        : (selectedSummary?.data.note ?? "")
                    }
                    onClick={() => setConfirming(true)}
                  >
                    Restore code and data
                  </button>
                </div>
                {confirming && selectedSummary?.data.snapshot ? (
                  <div className="restore-confirm" role="alertdialog" aria-label="Restore code and data?">
                    <p>
                      <b>Restore v{code.version}'s code and data?</b> The app's database becomes the data v
                      {code.version} left ({formatBytes(selectedSummary.data.bytes ?? 0)},{" "}
                      {ago(selectedSummary.data.takenAt ?? 0)}).
                      {liveVersion !== null ? (
                        <>
                          {" "}
                          Today's data is kept first as v{liveVersion}'s snapshot
                          {liveSummary && liveVersion === code.version ? " (replacing the one restored now)" : ""}, so
                          restoring v{liveVersion} with its data brings it back
                          {snapshots && !snapshots.liveFits && snapshots.enabled
                            ? `; but it is past the ${formatBytes(snapshots.settings.maxBytes)} snapshot budget, so it will not be kept and is lost`
                            : ""}
                          .
                        </>
                      ) : null}{" "}
                      Requests in flight finish first; the app's WebSockets are closed.
                    </p>
                    <div className="actions">
                      <button type="button" className="danger" disabled={restoring} onClick={() => void restore(true)}>
                        {restoring ? "Restoring…" : "Restore code and data"}
                      </button>
                      <button type="button" onClick={() => setConfirming(false)}>
                        Cancel
                      </button>
                    </div>
                  </div>
                ) : null}
                <div className="version-diff" data-testid="version-diff">
                  <VersionDiff
                    file={shownFile}
                    original={code.files[shownFile] ?? ""}
                    modified={editorFiles[shownFile] ?? ""}
                  />
                </div>
                <p className="muted small">
                  Restore code makes a new version with v{code.version}'s files (the data stays as it is); Restore code
                  and data also puts back the data v{code.version} left. Either way the editor takes the code, and
                  Ctrl+Z in the editor takes it back.
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
