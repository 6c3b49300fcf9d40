import { readdirSync, readFileSync } from "node:fs";

/**
 * Calls `visit(pid, fields)` for each process in the process group `pgid` (vite, workerd, ...), or
 * only for those whose command name is `command`; `fields` are /proc/<pid>/stat's after the name.
 */
function forEachInGroup(pgid, command, visit) {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may contain spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      if (command && stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) !== command) continue;
      visit(entry, fields);
    } catch {
      // The process ended while we looked.
    }
  }
}

/** Resident memory, in KiB, of the group's processes (or of those named `command`). */
export function processTreeRss(pgid, command) {
  let total = 0;
  forEachInGroup(pgid, command, (pid) => {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    total += Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
  });
  return total;
}

/** CPU time, in seconds, the group's processes (or those named `command`) have used so far. */
export function processTreeCpuSeconds(pgid, command) {
  let ticks = 0;
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
  forEachInGroup(pgid, command, (_pid, fields) => {
    ticks += Number(fields[11]) + Number(fields[12]);
  });
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** USER_HZ, which Linux fixes at 100 for /proc on every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
