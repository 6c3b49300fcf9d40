/**
 * The declaration files of a version's packages, for the editor's TypeScript (autocompletion and type
 * errors against the packages' types): every `.d.ts`, `.d.mts`, `.d.cts` and package.json of the
 * locked packages and their dependencies, keyed `node_modules/<name>/<path>` as TypeScript looks for
 * them. One version per name (the highest locked), as a flat node_modules would hold it.
 */
import type { PackageLock } from "../../shared/packages";
import { packageCache } from "./cache-stub";

export async function packageTypeFiles(env: Env, lock: PackageLock): Promise<Record<string, string>> {
  if (lock.length === 0) return {};
  return packageCache(env).typeFiles(lock);
}

/** Whether a package's file is one the editor's TypeScript reads. */
export const isTypeFile = (path: string) => /\.d\.(ts|mts|cts)$/.test(path) || path === "package.json";
