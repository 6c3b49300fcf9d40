/**
 * The runtime's side of the launcher's verdicts (shared/launcher-contract.mjs, docs/launcher.md).
 *
 * When the launcher (scripts/launcher.mjs, under `npm start` and `npm run dev`) restarts a runtime
 * that froze or crashed, it keeps a verdict on whose code was running, and hands it to the new
 * runtime: the worker's `FACET_IDE_LAUNCHER` variable holds the address of the launcher's verdict
 * desk, and the verdicts are asked for there.
 *
 * Why the runtime asks, and when: the code a verdict blames must not run again before the verdict is
 * recorded (a client retrying, an alarm that is due would freeze the runtime again: a crash loop). Every
 * way into a project's code goes through its supervisor, and a Durable Object serves nothing (no
 * request, no RPC call, no alarm) until its constructor's `blockConcurrencyWhile` is done. So each
 * supervisor asks for its project's verdicts there (supervisor/verdicts.ts), and records them before
 * its first event: atomic with respect to traffic, whatever starts the object. The worker, besides,
 * has the projects with pending verdicts record them before it answers its first request
 * (`settleVerdicts` below), so the launcher reports the blame as soon as the runtime is back.
 *
 * Deployed (and in the worker tests) the variable is empty: nothing here runs, no table is made.
 */
import { z } from "zod";
import { APPLIED_SUFFIX, VERDICTS_PATH, type Verdict } from "../shared/launcher-contract.mjs";
import { launcherDesk } from "./launcher-desk";
import { supervisorFor } from "./supervisor-stub";

export { launcherDesk };

const VerdictSchema = z.object({
  id: z.string().min(1).max(100),
  at: z.number(),
  how: z.enum(["froze", "crashed"]),
  projectId: z.string().max(1_000),
  codeId: z.string().max(1_000),
  what: z.string().max(100),
  detail: z.string().max(10_000),
});
const VerdictList = z.object({ verdicts: z.array(VerdictSchema) });

/** How long the desk may take to answer (it is a Node process on this machine). */
const DESK_TIMEOUT_MS = 10_000;

/** The pending verdicts, all or `projectId`'s. Throws when the desk does not answer. */
export async function pendingVerdicts(desk: string, projectId?: string): Promise<Verdict[]> {
  const query = projectId === undefined ? "" : `?project=${encodeURIComponent(projectId)}`;
  const response = await fetch(`${desk}${VERDICTS_PATH}${query}`, { signal: AbortSignal.timeout(DESK_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`the launcher's verdict desk answered ${response.status}`);
  const verdicts = VerdictList.parse(await response.json()).verdicts;
  return projectId === undefined ? verdicts : verdicts.filter((v) => v.projectId === projectId);
}

/** Tells the desk that verdict `id` is recorded, with the lines the launcher prints. */
export async function reportApplied(desk: string, id: string, lines: string[]): Promise<void> {
  const response = await fetch(`${desk}${VERDICTS_PATH}/${encodeURIComponent(id)}${APPLIED_SUFFIX}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ lines }),
    signal: AbortSignal.timeout(DESK_TIMEOUT_MS),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`the launcher's verdict desk answered ${response.status}`);
}

/**
 * Whether this isolate has had the pending verdicts recorded. workerd starts a new isolate with each
 * new runtime, and verdicts are only ever made while no runtime runs, so once per isolate is enough.
 * Not a shared promise: a promise made by one request and awaited by another is not safe in workerd.
 */
let settled = false;

/**
 * Before the worker answers its first request: each project with a pending verdict records it (its
 * supervisor does, as it starts). Returns null at once afterwards, and where there is no launcher.
 * A failure is logged and not retried: the supervisors still record their verdicts before they serve.
 */
export function settleVerdicts(env: Env): Promise<void> | null {
  if (settled) return null;
  const desk = launcherDesk(env);
  if (!desk) {
    settled = true;
    return null;
  }
  return (async () => {
    try {
      const verdicts = await pendingVerdicts(desk);
      for (const projectId of new Set(verdicts.map((v) => v.projectId))) {
        await supervisorFor(env, projectId).settleVerdicts(projectId);
      }
    } catch (error) {
      console.error("could not have the launcher's verdicts recorded:", error);
    }
    settled = true;
  })();
}
