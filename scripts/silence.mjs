/**
 * What a runtime's silence means (launcher.mjs judges it four times a second): the launcher probes
 * /api/health, and a runtime that stops answering is frozen only if workerd kept wanting a core all
 * that time (code that never yields). Under `npm run dev` probes pass through vite, which can be busy
 * for seconds (bundling the editor's dependencies) while workerd idles: that is slow, not frozen.
 */

/**
 * How long the runtime may go without answering before it counts as frozen: longer than the loop
 * guard's 3 s (server/app-runtime/guard.ts), which stops a JavaScript loop with an error and
 * nothing restarted. What is left after that is code the guard cannot see (a regex, a huge parse).
 */
export const HANG_AFTER_MS = Number(process.env.FACET_IDE_HANG_AFTER_MS ?? 3_500);
/**
 * ...if workerd was running or waiting to run for at least this share of the time since its last
 * answer (code that never yields: about all of it, however loaded the machine; idle: near none).
 */
export const HUNG_RUNNABLE_SHARE = 0.6;
/** Unanswered time after which the runtime is restarted anyway, blaming no one. */
export const STALL_AFTER_MS = 20_000;

/**
 * The silence of `silentMs` (since the last answered probe was sent), in which workerd was runnable
 * for `runnableSeconds()` (read only once the silence is long enough: it reads /proc, and the
 * launcher judges four times a second): null while it is too short to judge; else whether workerd was `frozen`
 * (replace it and blame what runs), whether it has `stalled` past STALL_AFTER_MS (restart the
 * runtime, blaming nobody, unless frozen), and `busy`, the share of the time workerd was runnable.
 * @param {number} silentMs @param {() => number} runnableSeconds @param {number} [hangAfterMs]
 * @returns {{ frozen: boolean, stalled: boolean, busy: number } | null}
 */
export function silenceOf(silentMs, runnableSeconds, hangAfterMs = HANG_AFTER_MS) {
  if (silentMs < hangAfterMs) return null;
  const busy = runnableSeconds() / (silentMs / 1000);
  return { frozen: busy >= HUNG_RUNNABLE_SHARE, stalled: silentMs >= STALL_AFTER_MS, busy };
}
