/**
 * `npm run dev`: runs the IDE (vite + workerd) under a supervising launcher.
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
import { processTreeCpuSeconds, processTreeRss } from "./process-tree.mjs";

const port = Number(process.env.PORT ?? 5173);
const dataDir = resolve(process.env.FACET_IDE_DATA_DIR ?? ".data");
const HEALTH_EVERY_MS = 1_000;
const HEALTH_TIMEOUT_MS = 2_000;
/** Consecutive failed health checks (after the runtime was up) that count as a hang... */
const FAILURES_FOR_HANG = 2;
/** ...if workerd used at least this share of a core since the last answer (a loop that never yields uses all of it). */
const HUNG_CPU_SHARE = 0.4;
/** Failed checks after which the runtime is restarted anyway, blaming no one. */
const FAILURES_FOR_STALL = 20;
/**
 * Ceiling on workerd's resident memory, where the old versions' isolates pile up. Vite's own memory
 * is a garbage-collected Node heap that settles (700-1000 MB with the editor's modules), so it does
 * not count: including it restarted the runtime every few minutes of ordinary IDE use.
 */
const MEMORY_CEILING_MB = Number(process.env.FACET_IDE_MEMORY_CEILING_MB ?? 1_536);
const MEMORY_EVERY_MS = 5_000;
/** How long before a hang was noticed the request blamed for it may have started (hung-marker.mjs). */
const HANG_WINDOW_MS = Number(process.env.FACET_IDE_HANG_WINDOW_MS ?? 20_000);

const log = (message) => console.log(`\x1b[36m[facet-ide]\x1b[0m ${message}`);

let child = null;
let healthy = false;
let failures = 0;
/** When the runtime last answered, and workerd's CPU time then. */
let lastAnswer = null;
let stopping = false;
let restarting = false;

function start() {
  healthy = false;
  failures = 0;
  lastAnswer = null;
  child = spawn("vite", ["dev"], {
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
  log(`runtime started (process group ${started.pid})`);
  started.on("exit", (code, signal) => {
    if (started !== child) return;
    if (stopping) process.exit(0);
    if (!restarting) {
      log(`the dev server exited (${signal ?? code}); starting it again`);
      setTimeout(start, 500);
    }
  });
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
    lastAnswer = { at: Date.now(), workerdCpu: workerdCpuSeconds() };
  } catch {
    if (!healthy) return; // still starting
    failures++;
    if (failures < FAILURES_FOR_HANG) return;
    // Health checks pass through vite, which can be busy for seconds (bundling the editor's
    // dependencies). Code that never yields keeps a core busy in workerd, so only then is it a hang.
    const busy = lastAnswer ? (workerdCpuSeconds() - lastAnswer.workerdCpu) / ((Date.now() - lastAnswer.at) / 1000) : 1;
    if (busy >= HUNG_CPU_SHARE) {
      await restart("the runtime stopped answering (app code that never yields?); restarting it", { hung: true });
    } else if (failures >= FAILURES_FOR_STALL) {
      await restart(`the dev server has not answered for ${failures} checks (workerd idle); restarting it`, {
        hung: false,
      });
    } else if (failures === FAILURES_FOR_HANG) {
      log("the dev server is slow to answer, but workerd is idle: waiting (nothing is blamed)");
    }
  }
}

const workerdCpuSeconds = () => (child ? processTreeCpuSeconds(child.pid, "workerd") : 0);

function checkMemory() {
  if (!healthy || restarting || stopping || !child) return;
  const rssMb = processTreeRss(child.pid, "workerd") / 1024;
  if (rssMb > MEMORY_CEILING_MB) {
    restart(
      `workerd uses ${Math.round(rssMb)} MB (ceiling ${MEMORY_CEILING_MB} MB); restarting it to free old versions`,
      {
        hung: false,
      },
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
