/** Resident memory, in KiB, of the processes in the process group `pgid`, or of those named `command`. */
export function processTreeRss(pgid: number, command?: string): number;
/** Seconds the threads of the group's processes (or those named `command`) have been running or waiting for a core. */
export function processTreeRunnableSeconds(pgid: number, command?: string): number;
/** The same for process `pid` alone; null when it is gone or a zombie. */
export function runnableSecondsOf(pid: number): number | null;
/** The processes named `command` in the process group `pgid`, with their parents' pids. */
export function processesInGroup(pgid: number, command?: string): { pid: number; ppid: number }[];
