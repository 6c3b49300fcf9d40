/**
 * An opened project's variables and secrets (project-handle.ts calls these): setting and deleting
 * one. The next request runs with the change: the facet restarts on its version, the code stays.
 * Tables: none (`env_vars` is the store's, versions/store.ts).
 */
import { type EnvResponse, LIMITS, type SetEnvVarRequest } from "../../../shared/api";
import { failure, type Outcome, success } from "../../outcome";
import type { ProjectParts } from "./project-parts";

type VariableParts = Pick<ProjectParts, "store" | "app" | "record">;

/** Sets a variable; the next request runs with it (the facet restarts, the code stays). */
export async function setVariable(
  parts: VariableParts,
  name: string,
  request: SetEnvVarRequest,
): Promise<Outcome<EnvResponse>> {
  const { store } = parts;
  const existing = store.listEnv();
  if (!existing.some((v) => v.name === name) && existing.length >= LIMITS.maxEnvVars) {
    return failure("bad_request", `A project has at most ${LIMITS.maxEnvVars} variables`);
  }
  const before = store.appEnv().hash;
  store.setEnv(name, request.value, request.secret ?? false);
  await envChanged(parts, before, `${request.secret ? "secret" : "variable"} ${name} set`);
  return success({ vars: store.listEnv() });
}

export async function deleteVariable(parts: VariableParts, name: string): Promise<Outcome<EnvResponse>> {
  const { store } = parts;
  const before = store.appEnv().hash;
  if (!store.deleteEnv(name)) return failure("not_found", `No variable named ${name}`);
  await envChanged(parts, before, `variable ${name} deleted`);
  return success({ vars: store.listEnv() });
}

/** Restarts the app on its version when what its env holds changed, and says so in the terminal. */
async function envChanged({ store, app, record }: VariableParts, hashBefore: string, what: string): Promise<void> {
  if (store.appEnv().hash === hashBefore) return;
  const version = store.project?.currentVersion ?? null;
  await app.swap(version, `The app restarted because ${what}`);
  record([{ kind: "system", level: "info", at: Date.now(), version, message: `${what}; the next request sees it` }]);
}
