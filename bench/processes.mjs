// What the bench reads about the processes it starts (from /proc), and the ports it gives them.
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

/**
 * @returns {Promise<number>} a TCP port nothing listens on right now: when BENCH_PORT_BASE is set,
 * from BENCH_PORT_BASE .. BENCH_PORT_BASE + BENCH_PORT_COUNT - 1 (default 100 ports), so the bench
 * stays in a range given to it; else any free port
 */
export async function freePort() {
  if (!process.env.BENCH_PORT_BASE) return listenOn(0);
  const base = Number(process.env.BENCH_PORT_BASE);
  const count = Number(process.env.BENCH_PORT_COUNT ?? 100);
  for (let tries = 0; tries < count; tries++) {
    const port = base + (nextOffset++ % count);
    if (await listenOn(port).catch(() => null)) return port;
  }
  throw new Error(`no free port in ${base}-${base + count - 1}`);
}
let nextOffset = 0;

function listenOn(port) {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(port, "127.0.0.1", () => {
      const { port: bound } = /** @type {import("node:net").AddressInfo} */ (srv.address());
      srv.close(() => resolve(bound));
    });
  });
}

/** @returns {Map<number, { name: string, ppid: number }>} every process, by pid */
function processTable() {
  const table = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      table.set(Number(entry), {
        name: stat.slice(stat.indexOf("(") + 1, close),
        ppid: Number(stat.slice(close + 2).split(" ")[1]),
      });
    } catch {
      // Exited while we looked.
    }
  }
  return table;
}

/** @returns {number[]} `root` and all its descendants, or only the descendants named `comm` */
export function descendants(root, comm) {
  const table = processTable();
  /** @type {Map<number, number[]>} */
  const children = new Map();
  for (const [pid, { ppid }] of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const found = [];
  const queue = [root];
  while (queue.length) {
    const pid = /** @type {number} */ (queue.shift());
    if (table.has(pid) && (!comm || (pid !== root && table.get(pid)?.name === comm))) found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** @returns {number | null} resident memory of a process in MiB (VmRSS from /proc) */
export function rssMiB(pid) {
  try {
    const match = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** @returns {number} CPU time (user + system) a process has used, in ms; NaN when it is gone */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** Resident memory of a whole process tree (the run command and everything it started), in MiB. */
export const treeRssMiB = (root) => descendants(root).reduce((sum, pid) => sum + (rssMiB(pid) ?? 0), 0);

/** CPU time of a whole process tree so far, in ms (processes that already ended are not counted). */
export const treeCpuMs = (root) => descendants(root).reduce((sum, pid) => sum + (cpuMs(pid) || 0), 0);
