// Starts a server process in its own process group, waits for its /api/health, and stops the
// whole group (and removes its temp dir) on stop(), on exit, on errors and on Ctrl-C.
import { spawn } from "node:child_process";
import { openSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { routes } from "./contract.mjs";
import { descendants } from "./processes.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_UPDATE_NOTIFIER: "1", FORCE_COLOR: "0" };

/**
 * @param {{ command: string, args: string[], env: Record<string, string>, port: number, dir: string,
 *   logFile: string, timeoutMs: number, cwd?: string }} options `dir` is removed on stop (unless BENCH_KEEP_STATE);
 *   `cwd` (default: this checkout) is where the command runs
 * @returns {Promise<{ pid: number, origin: string, stop: () => void }>}
 */
export async function serve({ command, args, env, port, dir, logFile, timeoutMs, cwd = ROOT }) {
  const out = openSync(logFile, "a");
  const child = spawn(command, args, {
    cwd,
    detached: true, // its own process group, so stop() reaches workerd too
    stdio: ["ignore", out, out],
    env: { ...ENV, PORT: String(port), ...env },
  });
  const pid = /** @type {number} */ (child.pid);
  const stop = stopper(pid, () => {
    if (!process.env.BENCH_KEEP_STATE) rmSync(dir, { recursive: true, force: true });
  });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(origin, child, timeoutMs);
  } catch (error) {
    const log = readFileSync(logFile, "utf8");
    stop();
    throw new Error(
      `${command} ${args.join(" ")}: ${error instanceof Error ? error.message : error}:\n${log.slice(-3000)}`,
    );
  }
  return { pid, origin, stop };
}

/** stop() of every process group started and not yet stopped: run on exit and on Ctrl-C. */
const running = new Set();
process.on("exit", () => {
  for (const stop of running) stop();
});
for (const sig of /** @type {const} */ (["SIGINT", "SIGTERM", "SIGHUP"])) {
  process.on(sig, () => {
    for (const stop of running) stop();
    process.exit(130);
  });
}

/**
 * A stop() for the process group `pid`: SIGTERM, a wait for the whole tree to end, then SIGKILL.
 * @param {number} pid
 * @param {() => void} [cleanup]
 */
export function stopper(pid, cleanup) {
  const stop = () => {
    if (!running.delete(stop)) return;
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      // Already gone.
    }
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && descendants(pid).length > 0) waitSync(100);
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Gone.
    }
    cleanup?.();
  };
  running.add(stop);
  return stop;
}

/** Polls /api/health until it answers; fails if `child` exits first or after `timeoutMs`. */
export async function waitForHealth(origin, child, timeoutMs) {
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error("the runtime exited before it was ready");
    try {
      const res = await fetch(`${origin}${routes.health.path}`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      throw new Error(`no answer from ${origin}${routes.health.path} within ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Busy-waits (stop() also runs while exiting, where timers no longer run). */
function waitSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
