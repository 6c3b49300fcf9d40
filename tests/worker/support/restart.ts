import { env, runInDurableObject } from "cloudflare:test";
import { expect } from "vitest";

/**
 * Resets the project's supervisor as a crash or a deploy would: its in-memory state goes, its
 * storage stays. (evictDurableObject waits forever once an app has run: the facet keeps it referenced.)
 */
export async function restartSupervisor(projectId: string): Promise<void> {
  const stub = () => env.SUPERVISOR.getByName(projectId);
  await runInDurableObject(stub(), async (instance) => {
    (instance as unknown as { restartMark: boolean }).restartMark = true;
  });
  await runInDurableObject(stub(), async (_instance, state) => {
    state.abort("restarted by the test");
  }).catch(() => {});
  const fresh = await runInDurableObject(
    stub(),
    async (instance) => (instance as unknown as { restartMark?: boolean }).restartMark,
  );
  expect(fresh, "a new instance after the restart").toBeUndefined();
}
