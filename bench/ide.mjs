// Starts the IDE the way people run it, `npm start` (the build under Miniflare) or `npm run dev`
// (vite), each under its supervising launcher, or the build as deployed (`production`: the runtime of
// npm start with the deployed settings and no launcher), on a free port and a fresh data directory,
// and times the run command to the first answer from /api/health.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { writeDeployedManifest } from "../scripts/build-manifest.mjs";
import { descendants, freePort, treeCpuMs, treeRssMiB } from "./processes.mjs";
import { stateRoot } from "./runtime.mjs";
import { ROOT, serve } from "./serve.mjs";
import { now, round } from "./stats.mjs";

/** What the build is served with in `production` mode: apps at `<project>.preview.test` (by Host header). */
export const DEPLOYED = { previewDomain: "preview.test", accessSecret: randomBytes(32).toString("base64url") };

/**
 * The launcher's memory ceilings, raised for the bench (scripts/memory-watch.mjs): a run makes a few
 * hundred distinct saves on one `npm start`, and local workerd keeps every old version's isolate, so
 * at the defaults the launcher's graceful restart (which is what bounds memory for users) came in the
 * middle of figure 5's load and of figure 6's 500 saves, and measured the restart instead.
 */
const ROOMY_MEMORY = { FACET_IDE_MEMORY_CEILING_MB: "6144", FACET_IDE_WORKERD_DATA_LIMIT_MB: "8192" };

/**
 * @typedef {"start" | "dev" | "production"} Mode
 * @typedef {{ mode: Mode, origin: string, port: number, pid: number, readyMs: number, logFile: string,
 *   workerdPid: () => number | null, cpuMs: () => number, rssMiB: () => number, stop: () => void }} Ide
 * @param {Mode} mode
 * @param {{ timeoutMs?: number, root?: string, env?: Record<string, string> }} [options] `root`: another checkout
 *   to run the command in (its own dist/, for an A/B of two builds), `env`: added to the command's environment
 * @returns {Promise<Ide>}
 */
export async function startIde(mode, { timeoutMs = 180_000, root = undefined, env = {} } = {}) {
  const dir = mkdtempSync(join(stateRoot(), `facet-ide-bench-${mode}-`));
  const logFile = join(dir, "ide.log");
  const port = await freePort();
  const t0 = now();
  const [command, args] =
    mode === "production"
      ? [process.execPath, [join(ROOT, "scripts", "serve-build.mjs"), writeDeployedManifest(dir, DEPLOYED)]]
      : ["npm", mode === "start" ? ["start"] : ["run", "dev"]];
  const { pid, origin, stop } = await serve({
    command,
    args,
    env: { FACET_IDE_DATA_DIR: join(dir, "data"), ...ROOMY_MEMORY, ...env },
    port,
    dir,
    logFile,
    timeoutMs,
    cwd: root,
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
