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

/**
 * Mapped data memory, in KiB, of the group's processes named `command` (VmData: what RLIMIT_DATA
 * counts, far above resident memory for workerd, whose isolates map heaps they have not touched yet).
 */
export function processTreeData(pgid, command) {
  let total = 0;
  forEachInGroup(pgid, command, (pid) => {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    total += Number(status.match(/VmData:\s+(\d+)/)?.[1] ?? 0);
  });
  return total;
}

/**
 * How long, in seconds, the threads of the group's processes (or of those named `command`) have been
 * running or waiting for a core (each thread's /proc schedstat). A thread that never yields adds about
 * a second per second however many other programs share the cores; its CPU time alone does not (on a
 * loaded 2-core machine a frozen workerd got a third of a core and looked idle).
 */
export function processTreeRunnableSeconds(pgid, command) {
  let seconds = 0;
  forEachInGroup(pgid, command, (pid) => {
    seconds += threadsRunnableSeconds(pid);
  });
  return seconds;
}

/** The same for one process (its threads), read without looking at every other process. */
function threadsRunnableSeconds(pid) {
  let nanoseconds = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    // "<ns on a core> <ns waiting for one> <timeslices>"
    const [onCore, waiting] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ").map(Number);
    nanoseconds += (onCore ?? 0) + (waiting ?? 0);
  }
  return nanoseconds / 1e9;
}

/**
 * processTreeRunnableSeconds of process `pid` alone, or null when it is gone or a zombie (whose
 * figure no longer moves): the launcher reads the workerd it knows four times a second this way.
 */
export function runnableSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    if (stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z") return null;
    return threadsRunnableSeconds(pid);
  } catch {
    return null;
  }
}

/** The processes named `command` in the group `pgid`, with their parents: `[{ pid, ppid }]`. */
export function processesInGroup(pgid, command) {
  const found = [];
  // Field 4 of stat (2 after the command name) is the parent's pid.
  forEachInGroup(pgid, command, (pid, fields) => found.push({ pid: Number(pid), ppid: Number(fields[1]) }));
  return found;
}
