/**
 * Recovers a runtime whose workerd froze or crashed, without restarting the dev server around it.
 *
 * workerd runs under a Node process (scripts/serve-build.mjs under `npm start`), whose Miniflare
 * starts a new workerd by itself when the old one exits, in about half a second: far sooner than
 * starting the runtime again. But the verdict on the culprit must be on the launcher's desk before the
 * new workerd can ask for it (its supervisors ask as they start, before they run anything:
 * hung-marker.mjs, server/launcher.ts), or a client retrying or an alarm that is due would run that
 * code again. So the Node process is paused (SIGSTOP) while workerd is killed and the verdict is put
 * on the desk, then resumed; only then does Miniflare start the new workerd.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { processesInGroup, processTreeRunnableSeconds, runnableSecondsOf } from "./process-tree.mjs";

const EXIT_WAIT_MS = 5_000;

/** workerd in the group `pgid`, and the Node process that started it; null when there is none. */
export function findWorkerd(pgid) {
  const workerd = processesInGroup(pgid, "workerd").find((p) => alive(p.pid));
  return workerd ? { pid: workerd.pid, parent: workerd.ppid } : null;
}

/** Whether `pid` still runs. A killed workerd stays a zombie while its parent is paused, with its files closed. */
const alive = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
};

const signal = (pid, name) => {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already.
  }
};

/**
 * Kills workerd (SIGKILL, or SIGTERM for a graceful restart) with its parent paused, runs `whileDown`
 * (which hands the next workerd a verdict), then lets the parent start a new workerd. Returns false
 * when workerd would not exit.
 *
 * After a crash (`crashed`), the parent has already started a new workerd, or is about to: the parent
 * is paused all the same, and a workerd found then is that new one, which is paused too (killed while
 * it starts, it would make Miniflare give up), so that `whileDown` runs before it serves anything.
 */
export async function replaceWorkerd(pgid, { graceful = false, crashed = false, whileDown = () => {} } = {}) {
  const workerd = findWorkerd(pgid);
  // The group's leader is the Node process that runs Miniflare (vite, or wrangler).
  const parent = workerd?.parent ?? pgid;
  signal(parent, "SIGSTOP");
  if (crashed && workerd) signal(workerd.pid, "SIGSTOP");
  try {
    if (workerd && !crashed) {
      signal(workerd.pid, graceful ? "SIGTERM" : "SIGKILL");
      const deadline = Date.now() + EXIT_WAIT_MS;
      while (alive(workerd.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      if (alive(workerd.pid)) signal(workerd.pid, "SIGKILL");
      while (alive(workerd.pid) && Date.now() < deadline + 1_000) await new Promise((r) => setTimeout(r, 10));
      if (alive(workerd.pid)) return false;
    }
    whileDown();
    return true;
  } finally {
    if (crashed && workerd) signal(workerd.pid, "SIGCONT");
    signal(parent, "SIGCONT");
  }
}

/**
 * Caps how much memory workerd may map for data (RLIMIT_DATA, through util-linux's prlimit), so that
 * an app allocating gigabytes of ArrayBuffers gets "RangeError: Array buffer allocation failed"
 * instead of taking the machine's memory. Returns false where prlimit is missing.
 */
export function limitDataMemory(pid, bytes) {
  const result = spawnSync("prlimit", ["--pid", String(pid), `--data=${bytes}:${bytes}`], { stdio: "ignore" });
  return result.status === 0;
}

/**
 * The workerd a runtime's process group runs, watched cheaply: looked for once every fourth health
 * probe and only while the one seen last is gone (a look at every process on the machine, four times
 * a second, was most of what the launcher cost while the runtime was idle), and each new one's
 * memory capped (Miniflare starts workerd itself, and again after a crash).
 */
export class WorkerdWatch {
  #seen = null;
  #limited = null;
  #ticks = 0;
  #limitBytes;
  #log;

  /** @param {number} limitBytes the data memory each workerd gets @param {(line: string) => void} log */
  constructor(limitBytes, log) {
    this.#limitBytes = limitBytes;
    this.#log = log;
  }

  /** At each health probe: notes a new workerd in `pgid` and caps its memory. */
  look(pgid) {
    if (this.#ticks++ % 4 !== 0) return;
    if (this.#seen !== null && runnableSecondsOf(this.#seen) !== null) return;
    const workerd = findWorkerd(pgid);
    if (!workerd) return;
    this.#seen = workerd.pid;
    if (workerd.pid === this.#limited) return;
    this.#limited = workerd.pid;
    if (!limitDataMemory(workerd.pid, this.#limitBytes))
      this.#log("prlimit is missing: workerd's memory is not capped");
  }

  /** After workerd was replaced: the new one, known at once. */
  note(pgid) {
    this.#seen = findWorkerd(pgid)?.pid ?? null;
  }

  /** Whether the workerd seen last still runs in `pgid` (then a crash line was printed by an app). */
  stillRuns(pgid) {
    return this.#seen !== null && findWorkerd(pgid)?.pid === this.#seen;
  }

  /** The seconds workerd in `pgid` has been runnable (on a core or waiting for one). */
  runnableSeconds(pgid) {
    const seen = this.#seen === null ? null : runnableSecondsOf(this.#seen);
    return seen ?? processTreeRunnableSeconds(pgid, "workerd");
  }
}

/** Sends `signal` to the process group `proc` leads. */
export function killGroup(proc, signal) {
  try {
    process.kill(-proc.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Whether `proc` exited within `ms`. */
export async function waitForExit(proc, ms) {
  if (proc.exitCode !== null || proc.signalCode !== null) return true;
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), ms);
    proc.once("exit", () => {
      clearTimeout(timer);
      done(true);
    });
  });
}

/** Whether the runtime on `port` answers /api/health within `timeoutMs`. */
export async function answers(port, timeoutMs = 1_000) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok;
  } catch {
    return false;
  }
}

/** Whether it answers within `ms`, asking every 50 ms until then or until `gaveUp()`. */
export async function answersWithin(port, ms, gaveUp) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !gaveUp()) {
    if (await answers(port)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
