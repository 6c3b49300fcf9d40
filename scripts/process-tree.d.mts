/** Resident memory, in KiB, of the processes in the process group `pgid`, or of those named `command`. */
export function processTreeRss(pgid: number, command?: string): number;
/** CPU time, in seconds, the processes in the process group `pgid` (or those named `command`) have used. */
export function processTreeCpuSeconds(pgid: number, command?: string): number;
