/**
 * The deleteProject operation (`DELETE /api/projects/{id}`, the MCP tool delete_project): refused
 * unless the body repeats the id; then the supervisor deletes everything the project has
 * (supervisor/handle/project-deletion.ts), and the worker forgets the credentials that opened it.
 */
import type { DeleteProjectResponse } from "../../shared/code-edits";
import { keyRegistryFor } from "../keys/registry-stub";
import { failure, type Outcome, success } from "../outcome";
import type { DeletedProject } from "../supervisor/handle/project-deletion";
import type { ProjectHandle } from "../supervisor/handle/project-handle";
import { supervisorFor } from "../supervisor-stub";
import { forgetToken } from "./token-records";

export async function deleteProject(
  env: Env,
  project: Rpc.Stub<ProjectHandle>,
  id: string,
  confirm: string,
): Promise<Outcome<DeleteProjectResponse>> {
  if (confirm !== id) {
    return failure(
      "bad_request",
      `Deleting a project cannot be undone: confirm it by sending its id, {"confirm": "${id}"}`,
    );
  }
  // RPC wraps results in a Disposable, which hides the union's narrowing; the shape is unchanged.
  const deleted = (await project.deleteProject()) as Outcome<DeletedProject>;
  if (!deleted.ok) return deleted;
  await forgetCredentials(env, deleted.value);
  return success({ deleted: id });
}

/**
 * After a project's deletion: its supervisor starts afresh (ProjectSupervisor.reset), its token no
 * longer names it (the MCP server's check refuses it), and its owner's key no longer lists it.
 */
async function forgetCredentials(env: Env, deleted: DeletedProject): Promise<void> {
  // First, before anything it kept in memory is written again. The reset aborts the supervisor,
  // which rejects this call: that is its answer.
  await supervisorFor(env, deleted.id)
    .reset()
    .catch(() => {});
  await forgetToken(env, deleted.tokenHash);
  if (deleted.ownerKeyHash) await keyRegistryFor(env, deleted.ownerKeyHash).removeProject(deleted.id);
}
