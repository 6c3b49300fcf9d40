/**
 * The data folder as the launcher sees it, answered on the verdict desk's address
 * (shared/launcher-contract.mjs: OBJECTS_PATH, DATA_FOLDER_PATH) for the runtime, which cannot read
 * the file system:
 *
 * - whether a Durable Object has storage here. Local workerd makes an object's SQLite file as soon as
 *   the object is instantiated, even if it writes nothing, so the runtime asks before it reaches the
 *   supervisor of a project it has not seen (server/stored-objects.ts): a request for a project that
 *   does not exist then makes no file;
 * - how many bytes the folder holds, for the operator's ceiling on it (FACET_IDE_MAX_DATA_FOLDER_BYTES).
 *   Measured when asked (a walk of the folder), at most once a second.
 *
 * Both modes keep objects at <dataDir>/v3/do/<worker>-<Class>/<object id>.sqlite (serve-build.mjs).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DATA_FOLDER_PATH, OBJECTS_PATH } from "../shared/launcher-contract.mjs";

const MEASURE_EVERY_MS = 1_000;

export class DataFolder {
  #dataDir;
  #measured = { at: 0, bytes: 0 };

  /** @param {string} dataDir */
  constructor(dataDir) {
    this.#dataDir = dataDir;
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

  /** What the folder holds, in bytes (files only; at most a second old). */
  bytes(now = Date.now()) {
    if (now - this.#measured.at >= MEASURE_EVERY_MS) this.#measured = { at: now, bytes: sizeOf(this.#dataDir) };
    return this.#measured.bytes;
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
    return { status: 200, json: { bytes: this.bytes() } };
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
