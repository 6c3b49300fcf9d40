/**
 * Saving and staying in step with the live code. One PUT at a time, the latest edits win, and a
 * rejected save's diagnostics reach the editor. Each save says which version its files were edited
 * from, so a version saved elsewhere meanwhile (another tab, an agent over the API) is never replaced
 * unseen: an editor without edits loads it, one with edits is told and chooses.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { Diagnostic } from "../../shared/api";
import { messageOf } from "../../shared/errors";
import { showSaved } from "../editor/saved-answer";
import type { Workspace } from "../editor/workspace";
import { ApiError, api } from "../lib/api";
import type { ProjectConnection } from "./connection";

export type SaveState =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; version: number; created: boolean }
  | { kind: "rejected"; message: string; diagnostics: Diagnostic[] }
  | { kind: "failed"; message: string }
  /** Another version went live while this editor had edits based on an older one. */
  | { kind: "conflict"; liveVersion: number }
  /** An editor without edits took a version saved elsewhere. */
  | { kind: "loaded"; version: number };

export function useSave(workspace: Workspace, connection: ProjectConnection, token: string, openedAt: number | null) {
  const [state, setState] = useState<SaveState>({ kind: "idle" });
  const running = useRef(false);
  const again = useRef(false);
  /** The version the editor's files were loaded or saved as. */
  const base = useRef<number | null>(openedAt);

  const loadLive = useCallback(async () => {
    try {
      const code = await api.code(connection.id, token);
      // The files as the editor had them decide whether this is still safe to do without asking.
      workspace.load(code.files, code.main);
      workspace.markSaved(workspace.toSave());
      workspace.setDiagnostics([]);
      base.current = code.version;
      setState(code.version === null ? { kind: "idle" } : { kind: "loaded", version: code.version });
    } catch (error) {
      setState({ kind: "failed", message: messageOf(error) });
    }
  }, [workspace, connection, token]);

  /** A version went live that this editor did not save: take it, or say so if there are edits. */
  const reconcile = useCallback(() => {
    const live = connection.liveVersion;
    if (running.current || live === null || live === base.current) return;
    if (workspace.snapshot().isDirty) setState({ kind: "conflict", liveVersion: live });
    else void loadLive();
  }, [workspace, connection, loadLive]);

  useEffect(() => connection.subscribe(reconcile), [connection, reconcile]);

  const save = useCallback(
    async ({ replaceLive = false } = {}) => {
      if (running.current) {
        // Saved again while a save is in flight: send the newest code once this one lands.
        again.current = true;
        return;
      }
      running.current = true;
      setState({ kind: "saving" });
      try {
        do {
          again.current = false;
          const snapshot = workspace.toSave();
          try {
            const result = await api.putCode(connection.id, token, {
              files: snapshot.files,
              main: snapshot.main,
              ...(replaceLive ? {} : { baseVersion: base.current }),
            });
            base.current = result.version;
            workspace.markSaved(snapshot);
            showSaved(workspace, connection, result);
            connection.noteVersion(result.version);
            setState({ kind: "saved", version: result.version, created: result.created });
          } catch (error) {
            if (error instanceof ApiError && error.code === "conflict" && error.liveVersion !== null) {
              connection.noteVersion(error.liveVersion);
              setState({ kind: "conflict", liveVersion: error.liveVersion });
              again.current = false;
            } else if (error instanceof ApiError && error.diagnostics.length > 0) {
              workspace.setDiagnostics(error.diagnostics);
              setState({ kind: "rejected", message: error.message, diagnostics: error.diagnostics });
            } else {
              setState({ kind: "failed", message: messageOf(error) });
            }
          }
        } while (again.current);
      } finally {
        running.current = false;
      }
      // A version saved elsewhere while this save ran was not looked at: look now.
      reconcile();
    },
    [workspace, connection, token, reconcile],
  );

  // Ctrl/Cmd+S anywhere on the page (editor, terminal, preview bar) saves instead of "Save page as".
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
        event.preventDefault();
        event.stopPropagation();
        void save();
      }
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [save]);

  /** A version this IDE made live without a save (a restore, a promoted draft): the editor takes its code. */
  const adopt = useCallback(
    async (version: number) => {
      await loadLive();
      connection.noteVersion(version);
      setState({ kind: "saved", version, created: true });
    },
    [loadLive, connection],
  );

  return {
    state,
    save: () => save(),
    adopt,
    /** Saves the editor's files over a version saved elsewhere. */
    replaceLive: () => save({ replaceLive: true }),
    /** Takes the live version into the editor; the editor's undo brings the edits back. */
    loadLive,
    dismiss: () => setState({ kind: "idle" }),
  };
}
