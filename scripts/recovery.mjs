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
import { processesInGroup } from "./process-tree.mjs";

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
