import { isStored } from "./data-folder";
import type { ProjectSupervisor } from "./supervisor/ProjectSupervisor";

/**
 * Object IDs by project. Deriving an ID from a name hashes it, a cost on every preview request's
 * path (bench/profile/cpu-profile.mjs shows it); an ID, unlike a stub, is not tied to the
 * request that made it, so it can be kept across requests.
 */
const idsByProject = new Map<string, DurableObjectId>();
const MAX_CACHED_IDS = 10_000;

const supervisors = (env: Env) => env.SUPERVISOR as DurableObjectNamespace<ProjectSupervisor>;

function supervisorId(env: Env, projectId: string): DurableObjectId {
  let id = idsByProject.get(projectId);
  if (!id) {
    if (idsByProject.size >= MAX_CACHED_IDS) idsByProject.clear();
    id = supervisors(env).idFromName(projectId);
    idsByProject.set(projectId, id);
  }
  return id;
}

/**
 * The supervisor of a project. The binding's generated type carries no class, so it is named here.
 * Reaching it makes its storage: for a name a caller chose, ask `existingSupervisor` instead.
 */
export function supervisorFor(env: Env, projectId: string): DurableObjectStub<ProjectSupervisor> {
  return supervisors(env).get(supervisorId(env, projectId));
}

/**
 * The supervisor of a project that exists (has storage), or null without reaching it, so a request
 * for a project that does not exist leaves nothing in the data folder (data-folder.ts). A project
 * is made with `supervisorFor`.
 */
export async function existingSupervisor(
  env: Env,
  projectId: string,
): Promise<DurableObjectStub<ProjectSupervisor> | null> {
  const id = supervisorId(env, projectId);
  return (await isStored(env, "ProjectSupervisor", id)) ? supervisors(env).get(id) : null;
}
