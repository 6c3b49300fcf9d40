/**
 * The data folder as the launcher sees it, answered on the verdict desk's address
 * (shared/launcher-contract.mjs: OBJECTS_PATH, DATA_FOLDER_PATH) for the runtime, which cannot read
 * the file system:
 *
 * - whether a Durable Object has storage here. Local workerd makes an object's SQLite file as soon as
 *   the object is instantiated, even if it writes nothing, so the runtime asks before it reaches the
 *   supervisor of a project it has not seen (server/data-folder.ts): a request for a project that
 *   does not exist then makes no file;
 * - how many bytes the folder holds, and the operator's ceiling on that (FACET_IDE_MAX_DATA_FOLDER_MB,
 *   20 GiB by default): the runtime refuses a save, import or snapshot that would pass it
 *   (server/data-folder.ts). Measured afresh each time it is asked (a walk of the folder); the runtime
 *   asks at most once a second while the folder, with what it let through since, is well under the
 *   ceiling, and before every change near it.
 *
 * Both modes keep objects at <dataDir>/v3/do/<worker>-<Class>/<object id>.sqlite (serve-build.mjs).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DATA_FOLDER_PATH, OBJECTS_PATH } from "../shared/launcher-contract.mjs";

const MIB = 1024 * 1024;
/** The ceiling when the operator sets none: room for several projects at their own ceilings. */
export const DEFAULT_CEILING_MB = 20 * 1024;

/**
 * The operator's ceiling on the data folder in bytes, from FACET_IDE_MAX_DATA_FOLDER_MB; a value that
 * is not a whole number of MiB above 0 is reported through `warn`, and the default used.
 */
export function dataFolderCeiling(value = process.env.FACET_IDE_MAX_DATA_FOLDER_MB, warn = console.error) {
  if (value === undefined || value === "") return DEFAULT_CEILING_MB * MIB;
  const mb = Number(value);
  if (Number.isInteger(mb) && mb > 0) return mb * MIB;
  warn(
    `FACET_IDE_MAX_DATA_FOLDER_MB must be a whole number of MiB above 0; got ${JSON.stringify(value)}, so ${DEFAULT_CEILING_MB} is used`,
  );
  return DEFAULT_CEILING_MB * MIB;
}

export class DataFolder {
  #dataDir;
  #ceiling;

  /**
   * @param {string} dataDir
   * @param {number} [ceiling] the operator's ceiling on its bytes
   */
  constructor(dataDir, ceiling = DEFAULT_CEILING_MB * MIB) {
    this.#dataDir = dataDir;
    this.#ceiling = ceiling;
  }

  /** Whether object `id` (64 hex digits) of class `className` has its SQLite file. */
  hasObject(className, id) {
    const objects = join(this.#dataDir, "v3", "do");
    let folders;
    try {
      folders = readdirSync(objects).filter((name) => name.endsWith(`-${className}`));
    } catch {
      return false;
    }
    return folders.some((folder) => existsSync(join(objects, folder, `${id}.sqlite`)));
  }

  /** What the folder holds now, in bytes (files only). */
  bytes() {
    return sizeOf(this.#dataDir);
  }

  /**
   * The desk's answer to a data folder route (`route` is the path after the desk's secret), or null
   * when `route` is not one of them.
   * @returns {{ status: number, json?: unknown } | null}
   */
  answer(method, route) {
    const object = route.match(new RegExp(`^${OBJECTS_PATH}/([A-Za-z][A-Za-z0-9_]{0,99})/([0-9a-f]{64})$`));
    if (!object && route !== DATA_FOLDER_PATH) return null;
    if (method !== "GET") return { status: 405 };
    if (object) return { status: 200, json: { stored: this.hasObject(object[1], object[2]) } };
    return { status: 200, json: { bytes: this.bytes(), ceiling: this.#ceiling } };
  }
}

/** The bytes of the files under `path` (0 when it does not exist). */
function sizeOf(path) {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) total += sizeOf(child);
    else if (entry.isFile()) {
      try {
        total += statSync(child).size;
      } catch {
        // Gone since it was listed (a WAL file checkpointed away).
      }
    }
  }
  return total;
}
