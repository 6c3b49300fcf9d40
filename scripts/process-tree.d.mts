/** Resident memory, in KiB, of the processes in the process group `pgid`, or of those named `command`. */
export function processTreeRss(pgid: number, command?: string): number;
