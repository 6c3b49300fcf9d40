/** Resident memory, in KiB, of every process in the process group `pgid`. */
export function processTreeRss(pgid: number): number;
