import { LAUNCHER_VARIABLE } from "../shared/launcher-contract.mjs";

/**
 * The launcher's desk's address (verdicts: launcher.ts; the data folder: data-folder.ts), or null
 * when no launcher runs this runtime (deployed: always null).
 */
export function launcherDesk(env: Env): string | null {
  const value = String((env as unknown as Record<string, unknown>)[LAUNCHER_VARIABLE] ?? "");
  // Only ever a loopback address: the desk is the launcher's, on this machine.
  return /^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]+$/.test(value) ? value : null;
}
