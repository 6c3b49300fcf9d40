import type { ProjectSupervisor } from "./supervisor/ProjectSupervisor";

/**
 * Object IDs by project. Deriving an ID from a name hashes it, a cost on every preview request's
 * path (bench/profile/cpu-profile.mjs shows it); an ID, unlike a stub, is not tied to the
 * request that made it, so it can be kept across requests.
 */
const idsByProject = new Map<string, DurableObjectId>();
const MAX_CACHED_IDS = 10_000;

/** The supervisor of a project. The binding's generated type carries no class, so it is named here. */
export function supervisorFor(env: Env, projectId: string): DurableObjectStub<ProjectSupervisor> {
  const namespace = env.SUPERVISOR as DurableObjectNamespace<ProjectSupervisor>;
  let id = idsByProject.get(projectId);
  if (!id) {
    if (idsByProject.size >= MAX_CACHED_IDS) idsByProject.clear();
    id = namespace.idFromName(projectId);
    idsByProject.set(projectId, id);
  }
  return namespace.get(id);
}
