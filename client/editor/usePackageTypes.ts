/**
 * Keeps the editor's TypeScript supplied with the live version's packages' types (GET .../types):
 * fetched when the project opens and again whenever another version goes live (a save that changed
 * package.json changes the lock).
 */
import { useEffect, useSyncExternalStore } from "react";
import { api } from "../lib/api";
import type { ProjectConnection } from "../project/connection";
import { setPackageTypes } from "./monaco-setup";

export function usePackageTypes(connection: ProjectConnection, token: string): void {
  const version = useSyncExternalStore(connection.subscribe, () => connection.liveVersion);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new live version may have a new lock
  useEffect(() => {
    let cancelled = false;
    api.types(connection.id, token).then(
      (answer) => !cancelled && setPackageTypes(answer.files),
      () => {
        // Types are a convenience: the save still checks and bundles the packages.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [connection.id, token, version]);
}
