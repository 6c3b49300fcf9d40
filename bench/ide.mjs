// Starts the IDE the way people run it, `npm start` (the build under Miniflare) or `npm run dev`
// (vite), each under its supervising launcher, on a free port and a fresh data directory, and
// times the run command to the first answer from /api/health.
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { descendants, freePort, treeCpuMs, treeRssMiB } from "./processes.mjs";
import { stateRoot } from "./runtime.mjs";
import { serve } from "./serve.mjs";
import { now, round } from "./stats.mjs";

/**
 * @typedef {"start" | "dev"} Mode
 * @typedef {{ mode: Mode, origin: string, port: number, pid: number, readyMs: number, logFile: string,
 *   workerdPid: () => number | null, cpuMs: () => number, rssMiB: () => number, stop: () => void }} Ide
 * @param {Mode} mode
 * @returns {Promise<Ide>}
 */
export async function startIde(mode, { timeoutMs = 180_000, env = {} } = {}) {
  const dir = mkdtempSync(join(stateRoot(), `facet-ide-bench-${mode}-`));
  const logFile = join(dir, "ide.log");
  const port = await freePort();
  const t0 = now();
  const { pid, origin, stop } = await serve({
    command: "npm",
    args: mode === "start" ? ["start"] : ["run", "dev"],
    env: { FACET_IDE_DATA_DIR: join(dir, "data"), ...env },
    port,
    dir,
    logFile,
    timeoutMs,
  });
  return {
    mode,
    origin,
    port,
    pid,
    readyMs: round(now() - t0, 0),
    logFile,
    workerdPid: () => descendants(pid, "workerd")[0] ?? null,
    cpuMs: () => treeCpuMs(pid),
    rssMiB: () => round(treeRssMiB(pid), 1),
    stop,
  };
}
