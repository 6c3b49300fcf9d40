/**
 * The operations that make a project (createProject from a template, forkProject, importProject from
 * a bundle): the project is named after the caller's name or a random id, made by its supervisor from
 * its seed (supervisor/handle/project-seed.ts), owned by the caller's agent key if any, and its token
 * recorded.
 * Tables: none.
 */
import { type CreateProjectResponse, LIMITS, ProjectId } from "../../shared/api";
import type { ProjectBundle } from "../../shared/time-travel";
import { keyRegistryFor } from "../keys/registry-stub";
import { failure, type Outcome, success } from "../outcome";
import { previewUrl } from "../preview";
import type { ProjectSeed } from "../supervisor/ProjectSupervisor";
import { sha256Hex } from "../supervisor/versions/hashing";
import type { ProjectSummary } from "../supervisor/versions/store";
import { supervisorFor } from "../supervisor-stub";
import { templates } from "../templates";
import { randomToken } from "./credentials";
import { randomProjectId, slugify } from "./ids";
import { missingBody, type OperationContext, type OperationGroup } from "./operation-types";
import { recordToken } from "./token-records";

export const creationOperations = {
  createProject: async ({ body, caller, context }) => {
    const { name, template = "notes" } = body ?? {};
    // Own keys only: `templates["__proto__"]` would be Object.prototype, not a template.
    const files = template === "blank" ? null : Object.hasOwn(templates, template) ? templates[template] : undefined;
    if (files === undefined) {
      return failure(
        "bad_request",
        `Unknown template '${template}'; use one of ${[...Object.keys(templates), "blank"].join(", ")}`,
      );
    }
    return createWith(context, name, files ? { kind: "template", files } : null, caller.keyHash);
  },

  forkProject: async ({ body, project, caller, context }) => {
    const bundle = (await project.bundle(true)) as Outcome<ProjectBundle>;
    if (!bundle.ok) return bundle;
    const { files, main, env, data, objects, network, lock } = bundle.value;
    // Forked with an agent key, the copy belongs to the key too.
    const owner = caller.credential?.kind === "key" ? caller.credential.hash : null;
    return createWith(context, body?.name, { kind: "bundle", files, main, env, data, objects, network, lock }, owner);
  },

  importProject: async ({ body, caller, context }) => {
    if (!body) return missingBody();
    const { name, files, main, env, data, objects, network, lock } = body;
    if (Object.keys(files).length > LIMITS.maxFiles) {
      return failure("bad_request", `A project has at most ${LIMITS.maxFiles} files`);
    }
    const seed = { kind: "bundle" as const, files, main, env, data, objects, network, lock };
    const created = await createWith(context, name, seed, caller.keyHash);
    if (!created.ok) return created;
    const secretsToSet = env.filter((v) => v.secret && v.value === undefined).map((v) => v.name);
    return success({ ...created.value, secretsToSet });
  },
} satisfies OperationGroup;

/**
 * Makes a project named after `name` (or a random id) from `seed`, owned by the agent key
 * `ownerKeyHash` if given, and answers its id and token. A random id that collides is simply drawn
 * again; a chosen name that is taken is a 409.
 */
async function createWith(
  context: OperationContext,
  name: string | undefined,
  seed: ProjectSeed | null,
  ownerKeyHash: string | null,
): Promise<Outcome<CreateProjectResponse>> {
  const token = randomToken();
  const tokenHash = await sha256Hex(token);
  const explicit = name !== undefined ? slugify(name) : null;
  if (explicit !== null && !ProjectId.safeParse(explicit).success) {
    return failure("bad_request", "A project name needs letters or digits, at most 40 characters");
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = explicit ?? randomProjectId();
    let created: Outcome<ProjectSummary>;
    try {
      // RPC wraps results in a Disposable, which hides the union's narrowing; the shape is unchanged.
      created = (await supervisorFor(context.env, id).create(
        id,
        tokenHash,
        seed,
        ownerKeyHash,
      )) as Outcome<ProjectSummary>;
    } catch (error) {
      // The runtime limits what one call carries (32 MiB); a bundle past it never reaches the supervisor.
      if (/limited to \d+MiB/.test(String(error))) {
        return failure("payload_too_large", `The project's data is too large to copy in one piece: ${String(error)}`);
      }
      throw error;
    }
    if (created.ok) {
      if (ownerKeyHash) await keyRegistryFor(context.env, ownerKeyHash).addProject(id, created.value.createdAt);
      await recordToken(context.env, tokenHash, id);
      return success({ id, token, previewUrl: previewUrl(context.url, context.env, id) });
    }
    if (explicit !== null || created.status !== 409) return created;
  }
  return failure("internal", "Could not find a free project id");
}
