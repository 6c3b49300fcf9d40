import type { ProjectSupervisor } from "./supervisor/ProjectSupervisor";

/** The supervisor of a project. The binding's generated type carries no class, so it is named here. */
export function supervisorFor(env: Env, projectId: string): DurableObjectStub<ProjectSupervisor> {
  return (env.SUPERVISOR as DurableObjectNamespace<ProjectSupervisor>).getByName(projectId);
}
