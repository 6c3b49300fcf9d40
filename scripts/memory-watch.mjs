/**
 * The launcher's watch on workerd's memory: local workerd never frees an old version's isolate, so
 * past a ceiling the launcher restarts it gracefully (docs/limits-and-safety.md, "Memory"). Two
 * measures: resident memory against the ceiling, on two checks in a row (one could be an app's
 * garbage not yet collected), and mapped data against the cap the launcher sets with prlimit.
 */
import { processTreeData, processTreeRss } from "./process-tree.mjs";

/**
 * Ceiling on workerd's resident memory, where the old versions' isolates pile up. The Node process
 * beside it (vite's heap, or Miniflare's) is garbage-collected and settles, so it does not count:
 * including vite's restarted the runtime every few minutes of ordinary IDE use.
 */
export const MEMORY_CEILING_MB = Number(process.env.FACET_IDE_MEMORY_CEILING_MB ?? 1_536);
const MEMORY_EVERY_MS = 5_000;
/**
 * What workerd may map for data at most (its heaps and every ArrayBuffer). Its mapped data runs about
 * 650 MB above its resident memory (measured over 150 saves), so this leaves room past the ceiling
 * above, and no app can take the machine's memory: asking for 8 GiB of ArrayBuffers gets
 * "RangeError: Array buffer allocation failed" once the runtime has mapped this much.
 */
export const DATA_LIMIT_MB = Number(process.env.FACET_IDE_WORKERD_DATA_LIMIT_MB ?? MEMORY_CEILING_MB + 1_024);
/**
 * Past this share of the data limit workerd is restarted at once: saves in quick succession (an
 * agent's loop) map new isolates faster than two resident-memory checks 5 s apart notice, and at the
 * limit an allocation fails and V8 takes the whole runtime down instead of a graceful restart.
 */
const DATA_RESTART_SHARE = 0.85;
const DATA_EVERY_MS = 1_000;
/**
 * Mapped data that grew this much in one check is an app allocating right now (saves add a few MB
 * each), not old versions piling up: a graceful restart would blame nobody and let it do so again. The
 * launcher waits a check instead; the cap stops the allocation, and the runtime's crash or freeze
 * that follows is blamed on the app whose code was running.
 */
const FAST_GROWTH_MB = 256;

/**
 * What the data check does with workerd's mapped data now and at the last check (MB): "restart" past
 * the restart share, unless it grew by FAST_GROWTH_MB or more since ("wait"); "fine" below it.
 * @param {number} dataMb
 * @param {number} lastMb
 * @returns {"fine" | "wait" | "restart"}
 */
export function dataCheck(dataMb, lastMb, limitMb = DATA_LIMIT_MB) {
  if (dataMb <= limitMb * DATA_RESTART_SHARE) return "fine";
  return dataMb - lastMb >= FAST_GROWTH_MB ? "wait" : "restart";
}
/**
 * Checks workerd's memory from now on. `groupToCheck`: the process group to look in, or null while
 * the runtime is not in a state to check (starting, recovering, stopping); `restart(why)`: a
 * graceful restart.
 */
export function watchMemory({ groupToCheck, restart }) {
  let overCeiling = 0;
  setInterval(() => {
    const group = groupToCheck();
    if (group === null) return;
    const rssMb = processTreeRss(group, "workerd") / 1024;
    overCeiling = rssMb > MEMORY_CEILING_MB ? overCeiling + 1 : 0;
    if (overCeiling < 2) return;
    overCeiling = 0;
    restart(
      `workerd uses ${Math.round(rssMb)} MB (ceiling ${MEMORY_CEILING_MB} MB); restarting it to free old versions`,
    );
  }, MEMORY_EVERY_MS).unref();
  let lastDataMb = Number.POSITIVE_INFINITY;
  setInterval(() => {
    const group = groupToCheck();
    if (group === null) {
      lastDataMb = Number.POSITIVE_INFINITY;
      return;
    }
    const dataMb = processTreeData(group, "workerd") / 1024;
    const check = dataCheck(dataMb, lastDataMb);
    lastDataMb = dataMb;
    if (check !== "restart") return;
    overCeiling = 0;
    restart(
      `workerd maps ${Math.round(dataMb)} MB of data (limit ${DATA_LIMIT_MB} MB); restarting it to free old versions`,
    );
  }, DATA_EVERY_MS).unref();
}
