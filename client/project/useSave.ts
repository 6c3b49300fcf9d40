/** Saving: one PUT at a time, the latest edits win, and a rejected save's diagnostics reach the editor. */
import { useCallback, useEffect, useRef, useState } from "react";
import type { Diagnostic } from "../../shared/api";
import type { Workspace } from "../editor/workspace";
import { ApiError, api } from "../lib/api";
import type { ProjectConnection } from "./connection";

export type SaveState =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; version: number; created: boolean }
  | { kind: "rejected"; message: string; diagnostics: Diagnostic[] }
  | { kind: "failed"; message: string };

export function useSave(workspace: Workspace, connection: ProjectConnection, token: string) {
  const [state, setState] = useState<SaveState>({ kind: "idle" });
  const running = useRef(false);
  const again = useRef(false);

  const save = useCallback(async () => {
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
          const result = await api.putCode(connection.id, token, { files: snapshot.files, main: snapshot.main });
          workspace.markSaved(snapshot);
          workspace.setDiagnostics([]);
          connection.noteVersion(result.version);
          setState({ kind: "saved", version: result.version, created: result.created });
        } catch (error) {
          if (error instanceof ApiError && error.diagnostics.length > 0) {
            workspace.setDiagnostics(error.diagnostics);
            setState({ kind: "rejected", message: error.message, diagnostics: error.diagnostics });
          } else {
            setState({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
          }
        }
      } while (again.current);
    } finally {
      running.current = false;
    }
  }, [workspace, connection, token]);

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

  return { state, save, dismiss: () => setState({ kind: "idle" }) };
}
