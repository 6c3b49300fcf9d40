/**
 * What the launcher says about the data folder (scripts/data-folder.mjs, on its desk), locally.
 *
 * Whether a Durable Object already has storage, asked before the worker reaches an object by a name a
 * caller chose (a project's id, a key's or token's hash). Local workerd makes an object's SQLite file
 * as soon as it is instantiated, even if it never writes, so without this every request for a project
 * that does not exist (a preview origin, an API call with any bearer) would leave a file in the data
 * folder. Under the launcher (both local modes) its desk answers from the data folder
 * (scripts/data-folder.mjs); an object it says has no storage is not reached at all.
 *
 * Without a launcher (deployed, the worker tests) every object counts as stored: Cloudflare keeps
 * nothing for an object that was only asked. If the desk does not answer, the object counts as stored
 * too: a missing check costs a file, a wrong refusal would cost a project.
 */
import { z } from "zod";
import { DATA_FOLDER_PATH, OBJECTS_PATH } from "../shared/launcher-contract.mjs";
import { launcherDesk } from "./launcher-desk";
import { type Failure, failure } from "./outcome";

/** Objects this isolate has seen stored: storage, once made, stays, so each is asked about once. */
const stored = new Set<string>();
const MAX_REMEMBERED = 10_000;
/** The desk is a Node process on this machine; a slow answer is no reason to hold a request long. */
const DESK_TIMEOUT_MS = 5_000;

const Answer = z.object({ stored: z.boolean() });

export type StoredClass = "ProjectSupervisor" | "KeyRegistry";

/** Whether object `id` of `className` has storage (true when that cannot be known). */
export async function isStored(env: Env, className: StoredClass, id: DurableObjectId): Promise<boolean> {
  const desk = launcherDesk(env);
  if (!desk) return true;
  const hex = id.toString();
  if (stored.has(hex)) return true;
  try {
    const response = await fetch(`${desk}${OBJECTS_PATH}/${className}/${hex}`, {
      signal: AbortSignal.timeout(DESK_TIMEOUT_MS),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return true;
    }
    const answer = Answer.parse(await response.json());
    if (answer.stored) {
      if (stored.size >= MAX_REMEMBERED) stored.clear();
      stored.add(hex);
    }
    return answer.stored;
  } catch (error) {
    console.error("the launcher's desk did not say whether an object is stored:", error);
    return true;
  }
}

const Use = z.object({ bytes: z.number().nonnegative(), ceiling: z.number().positive() });

/**
 * The last measure of the data folder (a walk of it by the launcher, which every change used to wait
 * for) and the bytes the changes let through since then said they would add. A measure stands in for a walk while
 * it is recent and the folder, counted this way, stays under a share of the ceiling: what it misses
 * (an app's own writes since, bounded by its database limit) then cannot take the folder past the
 * ceiling before the next walk. Near the ceiling every change is measured afresh, as before.
 */
interface Measure {
  bytes: number;
  ceiling: number;
  at: number;
  addedSince: number;
}
let lastMeasure: Measure | null = null;
/** How long a measure stands in for a walk. */
const MEASURE_TRUSTED_MS = 1_000;
/** The share of the ceiling below which a recent measure, plus what was let through since, decides. */
const MEASURE_TRUSTED_SHARE = 0.5;

/** What the launcher measures now (null when its desk does not answer). */
async function measure(desk: string): Promise<Measure | null> {
  try {
    const response = await fetch(`${desk}${DATA_FOLDER_PATH}`, { signal: AbortSignal.timeout(DESK_TIMEOUT_MS) });
    if (!response.ok) {
      await response.body?.cancel();
      return null;
    }
    const use = Use.parse(await response.json());
    return { ...use, at: Date.now(), addedSince: 0 };
  } catch (error) {
    console.error("the launcher's desk did not say what the data folder holds:", error);
    return null;
  }
}

/** The last measure, when it may decide a change that adds `added` bytes without a walk. */
function trustedMeasure(added: number): Measure | null {
  const last = lastMeasure;
  if (!last) return null;
  const age = Date.now() - last.at;
  if (age < 0 || age > MEASURE_TRUSTED_MS) return null;
  return last.bytes + last.addedSince + added <= last.ceiling * MEASURE_TRUSTED_SHARE ? last : null;
}

/**
 * The refusal of a change that would add about `adds()` bytes to the data folder past the operator's
 * ceiling (FACET_IDE_MAX_DATA_FOLDER_MB, the launcher's), or null. Asked before a save, an import, a
 * fork or a snapshot writes anything. Null without a launcher (deployed there is no data folder) and
 * when the desk does not answer (the change goes ahead: a refusal would need a measure).
 */
export async function dataFolderRefusal(env: Env, adds: () => Promise<number>): Promise<Failure | null> {
  const desk = launcherDesk(env);
  if (!desk) return null;
  const added = await adds();
  let use = trustedMeasure(added);
  if (!use) {
    use = await measure(desk);
    if (!use) return null;
    lastMeasure = use;
  }
  const bytes = use.bytes + use.addedSince;
  if (bytes + added <= use.ceiling) {
    use.addedSince += added;
    return null;
  }
  return failure(
    "insufficient_storage",
    `The data folder holds ${mib(bytes)}, and this would add about ${mib(added)}: past the operator's ceiling of ${mib(use.ceiling)} (FACET_IDE_MAX_DATA_FOLDER_MB). Nothing was written. Keep fewer snapshots (a project's snapshot settings), or ask the operator to raise the ceiling.`,
  );
}

const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
