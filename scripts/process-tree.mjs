import { readdirSync, readFileSync } from "node:fs";

/**
 * Resident memory, in KiB, of the processes in the process group `pgid` (vite, workerd, ...), or
 * only of those whose command name is `command`.
 */
export function processTreeRss(pgid, command) {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may contain spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      if (command && stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) !== command) continue;
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      total += Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}
