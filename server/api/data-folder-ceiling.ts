/**
 * Which operations add to the data folder, checked against the operator's ceiling on it before they
 * run (server/data-folder.ts): those that store what the request carries (a project's first code, an
 * imported bundle), and those that copy the project's live database too (a save's or a restore's
 * snapshot, a draft's copy, a fork, a snapshot taken now, the snapshot before a reset).
 */
import type { RouteName } from "../../shared/http/routes";
import { dataFolderRefusal } from "../data-folder";
import type { Failure } from "../outcome";
import type { ProjectHandle } from "../supervisor/handle/project-handle";

const GROWS: Partial<Record<RouteName, "body" | "database">> = {
  createProject: "body",
  importProject: "body",
  forkProject: "database",
  putCode: "database",
  putDraftCode: "database",
  restoreVersion: "database",
  promoteDraft: "database",
  takeSnapshot: "database",
  resetData: "database",
};

/** What the OpenAPI description says of the 507 of an operation that grows the data folder. */
export const DATA_FOLDER_ERROR =
  "Locally: the change would take the data folder past the operator's ceiling (FACET_IDE_MAX_DATA_FOLDER_MB); nothing was written";

export const growsDataFolder = (name: RouteName): boolean => GROWS[name] !== undefined;

/**
 * The refusal of operation `name` when it would take the data folder past its ceiling: it adds about
 * its request's body, plus for a copy the live database of `project` (the project it runs on).
 */
export function dataFolderCheck(
  env: Env,
  name: RouteName,
  body: unknown,
  project: Rpc.Stub<ProjectHandle> | null,
): Promise<Failure | null> {
  const grows = GROWS[name];
  if (!grows) return Promise.resolve(null);
  return dataFolderRefusal(env, async () => {
    const carried = body === undefined ? 0 : JSON.stringify(body).length;
    if (grows === "body" || !project) return carried;
    const snapshots = await project.snapshots();
    return carried + (snapshots.ok ? (snapshots.value.liveBytes ?? 0) : 0);
  });
}
