/** How long the runtime may go without answering before its silence is judged (ms). */
export declare const HANG_AFTER_MS: number;
/** The share of the silence workerd must have been runnable for it to count as frozen. */
export declare const HUNG_RUNNABLE_SHARE: number;
/** Unanswered time after which the runtime is restarted anyway (ms). */
export declare const STALL_AFTER_MS: number;
/** What a silence of `silentMs`, with workerd runnable for `runnableSeconds()` of it, means (null: too short to judge). */
export function silenceOf(
  silentMs: number,
  runnableSeconds: () => number,
  hangAfterMs?: number,
): { frozen: boolean; stalled: boolean; busy: number } | null;
