/**
 * Fork, export and import as the IDE offers them (the project's menu and the start page): each makes
 * or saves a whole project (code, variables, data) through the API, and a new project is kept in
 * this browser and opened.
 */
import { ImportProjectRequest } from "../../shared/time-travel";
import { api, downloadJson } from "./api";
import { keysStore } from "./keys-store";
import { projectsStore } from "./projects-store";
import { navigate, projectPath } from "./router";

/** A copy of the project with its data, opened at once. */
export async function forkAndOpen(id: string, token: string): Promise<void> {
  const fork = await api.fork(id, token);
  projectsStore.add({ id: fork.id, token: fork.token, previewUrl: fork.previewUrl });
  navigate(projectPath(fork.id));
}

/** Downloads `<id>.facet-ide.json`: the code, variables (secrets without values) and data. */
export async function exportToFile(id: string, token: string): Promise<void> {
  downloadJson(`${id}.facet-ide.json`, await api.exportProject(id, token));
}

/**
 * Makes a project from an exported file and opens it. Returns the secrets it needs set again (an
 * export leaves their values out).
 */
export async function importFromFile(file: File): Promise<string[]> {
  let json: unknown;
  try {
    json = JSON.parse(await file.text());
  } catch {
    throw new Error(`${file.name} is not JSON: pick a file that Export saved (*.facet-ide.json)`);
  }
  const parsed = ImportProjectRequest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file.name} is not a Facet IDE export (${issue?.path.join(".") || "file"}: ${issue?.message})`);
  }
  // With the browser's agent key, if it holds one, as projects created here are.
  const created = await api.importProject(parsed.data, keysStore.current());
  projectsStore.add({ id: created.id, token: created.token, previewUrl: created.previewUrl });
  navigate(projectPath(created.id));
  return created.secretsToSet;
}
