/** Ceiling on workerd's resident memory (MB). */
export declare const MEMORY_CEILING_MB: number;
/** What workerd may map for data at most (MB). */
export declare const DATA_LIMIT_MB: number;
/** What the data check does with workerd's mapped data now and at the last check (MB). */
export function dataCheck(dataMb: number, lastMb: number, limitMb?: number): "fine" | "wait" | "restart";
/** Checks workerd's memory from now on. */
export function watchMemory(options: { groupToCheck: () => number | null; restart: (why: string) => void }): void;
