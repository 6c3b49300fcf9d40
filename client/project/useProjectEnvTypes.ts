import { useEffect, useState } from "react";
import { CONFIG_FILES, readProjectConfig } from "../../shared/project-config";
import { declareProjectEnv } from "../editor/monaco-setup";
import type { Workspace } from "../editor/workspace";
import { api } from "../lib/api";

/**
 * The editor's types for `env` follow the project's variables (read on open and after every change:
 * `appRestarts` counts the changes) and, in a Worker project, its wrangler.jsonc as it is edited.
 */
export function useProjectEnvTypes(
  projectId: string,
  token: string,
  workspace: Workspace,
  files: string[],
  appRestarts: number,
): void {
  const [envNames, setEnvNames] = useState<string[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: appRestarts re-reads the variables after a change
  useEffect(() => {
    let cancelled = false;
    api.env(projectId, token).then(
      (answer) => !cancelled && setEnvNames(answer.vars.map((v) => v.name)),
      () => {
        // Types are a convenience; the dialog reports errors when it is opened.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [projectId, token, appRestarts]);

  const configText = files.some((f) => (CONFIG_FILES as readonly string[]).includes(f))
    ? JSON.stringify(configTexts(workspace, files))
    : "";
  useEffect(() => {
    const read = configText ? readProjectConfig(JSON.parse(configText) as Record<string, string>) : null;
    declareProjectEnv(envNames, read?.ok ? read.config : null, new URL(workspace.uriOf("")).pathname);
  }, [envNames, configText, workspace]);
}

function configTexts(workspace: Workspace, files: string[]): Record<string, string> {
  const config = (name: string) => (CONFIG_FILES as readonly string[]).includes(name);
  return Object.fromEntries(files.map((name) => [name, config(name) ? (workspace.model(name)?.getValue() ?? "") : ""]));
}
