/**
 * Shows the save's type errors in the editor when they arrive as a `type-check` line (a check that
 * outlasted the save's answer, or one of a save made elsewhere, by an agent say): the newest line of
 * the live app's newest version wins.
 */
import { useEffect } from "react";
import type { LogEntry } from "../../shared/logs";
import type { ProjectConnection } from "../project/connection";
import type { Workspace } from "./workspace";

/** The newest `type-check` line of the live app among `entries`, if any. */
export function newestTypeCheck(entries: LogEntry[]): Extract<LogEntry, { kind: "type-check" }> | null {
  let newest: Extract<LogEntry, { kind: "type-check" }> | null = null;
  for (const entry of entries) {
    if (entry.kind !== "type-check" || entry.draft !== undefined) continue;
    if (!newest || (entry.version ?? -1) >= (newest.version ?? -1)) newest = entry;
  }
  return newest;
}

export function useTypeCheckMarkers(connection: ProjectConnection, workspace: Workspace): void {
  useEffect(() => {
    let shownVersion = -1;
    return connection.listen((event) => {
      if (event.type !== "entries") return;
      const line = newestTypeCheck(event.entries);
      if (!line || line.version === null || line.version < shownVersion) return;
      // A line about an older version than the live one says nothing about the files in the editor.
      if (connection.liveVersion !== null && line.version < connection.liveVersion) return;
      shownVersion = line.version;
      workspace.setTypeDiagnostics(line.diagnostics);
    });
  }, [connection, workspace]);
}
