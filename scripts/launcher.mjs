/**
 * The supervising launcher behind `npm start` and `npm run dev`: runs a runtime (the built worker
 * under Miniflare, or vite dev) in its own process group and keeps it answering.
 *
 * Local workerd enforces no CPU limit, so app code that never yields (a catastrophic regex, a huge
 * JSON.parse, anything the loop guard cannot see) freezes every project and the IDE. The launcher
 * polls /api/health; when the runtime stops answering it kills it, marks the request that froze it
 * (so that version is not run again: no crash loop, no replay), and starts it again. It also restarts
 * the runtime gracefully when its memory passes a ceiling, since local workerd never frees the
 * isolates of old versions. Ctrl+C / SIGTERM stop everything cleanly; data stays in FACET_IDE_DATA_DIR.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { markHungRequests } from "./hung-marker.mjs";
import { processTreeRss, processTreeRunnableSeconds } from "./process-tree.mjs";

/** The port and data directory both modes use, so a project made under one opens under the other. */
export const port = Number(process.env.PORT ?? 5173);
export const dataDir = resolve(process.env.FACET_IDE_DATA_DIR ?? ".data");

const HEALTH_EVERY_MS = 1_000;
/**
 * Until the runtime first answers, it is polled faster: a hang counts only after an answer, and an
 * app request that freezes the runtime a moment after it came up must not slip in before that.
 */
const STARTING_HEALTH_EVERY_MS = 100;
const HEALTH_TIMEOUT_MS = 2_000;
/** Consecutive failed health checks (after the runtime was up) that count as a hang... */
const FAILURES_FOR_HANG = 2;
/**
 * ...if workerd was running or waiting to run for at least this share of the time since its last
 * answer (code that never yields: about all of it, however loaded the machine; idle: near none).
 */
const HUNG_RUNNABLE_SHARE = 0.6;
/** Failed checks after which the runtime is restarted anyway, blaming no one. */
const FAILURES_FOR_STALL = 20;
/**
 * Ceiling on workerd's resident memory, where the old versions' isolates pile up. The Node process
 * beside it (vite's heap, or Miniflare's) is garbage-collected and settles, so it does not count:
 * including vite's restarted the runtime every few minutes of ordinary IDE use.
 */
const MEMORY_CEILING_MB = Number(process.env.FACET_IDE_MEMORY_CEILING_MB ?? 1_536);
const MEMORY_EVERY_MS = 5_000;
/** How long before a hang was noticed the request blamed for it may have started (hung-marker.mjs). */
const HANG_WINDOW_MS = Number(process.env.FACET_IDE_HANG_WINDOW_MS ?? 20_000);

export const log = (message) => console.log(`\x1b[36m[facet-ide]\x1b[0m ${message}`);

/**
 * Starts `command args` as the runtime and supervises it until Ctrl+C or SIGTERM.
 * @param {{ name: string, command: string, args: string[] }} runtime `name` is how messages call it
 */
export function launch(runtime) {
  let child = null;
  let healthy = false;
  let failures = 0;
  /** When the runtime last answered, and workerd's runnable time then. */
  let lastAnswer = null;
  let stopping = false;
  let restarting = false;
  let startingPoll = null;
  let startingCheck = null;

  function start() {
    healthy = false;
    failures = 0;
    lastAnswer = null;
    clearInterval(startingPoll);
    startingPoll = setInterval(() => {
      if (healthy) clearInterval(startingPoll);
      else startingCheck ??= checkHealth().finally(() => (startingCheck = null));
    }, STARTING_HEALTH_EVERY_MS);
    child = spawn(runtime.command, runtime.args, {
      stdio: "inherit",
      detached: true, // its own process group, so a restart takes workerd with it
      env: {
        ...process.env,
        PORT: String(port),
        FACET_IDE_DATA_DIR: dataDir,
        FACET_IDE_LAUNCHER_PID: String(process.pid),
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
      },
    });
    const started = child;
    log(`runtime started: ${runtime.name} (process group ${started.pid})`);
    started.on("exit", (code, signal) => {
      if (started !== child) return;
      if (stopping) process.exit(0);
      if (!restarting) {
        log(`${runtime.name} exited (${signal ?? code}); starting it again`);
        setTimeout(start, 500);
      }
    });
  }

  async function restart(reason, { hung }) {
    if (restarting || stopping || !child) return;
    restarting = true;
    const old = child;
    const detectedAt = Date.now();
    log(reason);
    if (hung) {
      killGroup(old, "SIGKILL");
    } else {
      killGroup(old, "SIGTERM");
      if (!(await waitForExit(old, 5_000))) killGroup(old, "SIGKILL");
    }
    await waitForExit(old, 5_000);
    if (hung) {
      try {
        for (const line of markHungRequests(dataDir, { detectedAt, windowMs: HANG_WINDOW_MS })) log(line);
      } catch (error) {
        log(`could not mark the hung request: ${error.message}`);
      }
    }
    restarting = false;
    start();
  }

  const workerdRunnableSeconds = () => (child ? processTreeRunnableSeconds(child.pid, "workerd") : 0);

  async function checkHealth() {
    if (restarting || stopping || !child) return;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`, {
        signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`status ${response.status}`);
      if (!healthy) log(`ready on http://localhost:${port}`);
      healthy = true;
      failures = 0;
      lastAnswer = { at: Date.now(), workerdRunnable: workerdRunnableSeconds() };
    } catch {
      if (!healthy) return; // still starting
      failures++;
      if (failures < FAILURES_FOR_HANG) return;
      // Under vite dev, health checks pass through vite, which can be busy for seconds (bundling the
      // editor's dependencies). Code that never yields keeps workerd wanting a core, so only then is it a hang.
      const busy = lastAnswer
        ? (workerdRunnableSeconds() - lastAnswer.workerdRunnable) / ((Date.now() - lastAnswer.at) / 1000)
        : 1;
      if (busy >= HUNG_RUNNABLE_SHARE) {
        await restart(
          `the runtime stopped answering and workerd kept a core busy (runnable ${Math.round(busy * 100)} % of the time; app code that never yields?); restarting it`,
          { hung: true },
        );
      } else if (failures >= FAILURES_FOR_STALL) {
        await restart(`${runtime.name} has not answered for ${failures} checks (workerd idle); restarting it`, {
          hung: false,
        });
      } else if (failures === FAILURES_FOR_HANG) {
        log(
          `${runtime.name} is slow to answer, but workerd is idle (runnable ${Math.round(busy * 100)} % of the time): waiting (nothing is blamed)`,
        );
      }
    }
  }

  function checkMemory() {
    if (!healthy || restarting || stopping || !child) return;
    const rssMb = processTreeRss(child.pid, "workerd") / 1024;
    if (rssMb > MEMORY_CEILING_MB) {
      restart(
        `workerd uses ${Math.round(rssMb)} MB (ceiling ${MEMORY_CEILING_MB} MB); restarting it to free old versions`,
        { hung: false },
      );
    }
  }

  function stop() {
    if (stopping) return;
    stopping = true;
    if (!child) process.exit(0);
    killGroup(child, "SIGTERM");
    waitForExit(child, 5_000).then((exited) => {
      if (!exited && child) killGroup(child, "SIGKILL");
      process.exit(0);
    });
  }

  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("SIGHUP", stop);
  setInterval(checkHealth, HEALTH_EVERY_MS).unref();
  setInterval(checkMemory, MEMORY_EVERY_MS).unref();
  start();
}

function killGroup(proc, signal) {
  try {
    process.kill(-proc.pid, signal);
  } catch {
    // Already gone.
  }
}

async function waitForExit(proc, ms) {
  if (proc.exitCode !== null || proc.signalCode !== null) return true;
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), ms);
    proc.once("exit", () => {
      clearTimeout(timer);
      done(true);
    });
  });
}
