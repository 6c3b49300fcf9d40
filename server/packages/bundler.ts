/**
 * The compile step's bundler (compile/packages.ts) for one project: asks the package cache for the
 * modules of the packages a compile imports, keeping `lock` where it fits. Answers are remembered in
 * this isolate by everything they depend on (package.json, the imports, the lock kept, the flag), so
 * a save that changes no package.json and no import costs no call at all, and a stored version that
 * is loaded again after its isolate was dropped gets its modules without installing anything.
 */
import type { PackageLock } from "../../shared/packages";
import type { Bundler } from "../supervisor/app-host/compile/packages";
import { packageCache } from "./cache-stub";
import type { BundleAnswer, BundleRequest } from "./PackageCache";

/** Answers kept, least recently used dropped first past this many bytes of modules. */
const MAX_BYTES = 64 * 1_048_576;
const answers = new Map<string, { answer: BundleAnswer; bytes: number }>();
let answerBytes = 0;

export function packageBundler(env: Env, lock: PackageLock | null): Bundler {
  return async (request) => {
    const key = JSON.stringify([request.manifest, request.imports, request.nodeCompat, lock]);
    const known = answers.get(key);
    if (known) {
      answers.delete(key);
      answers.set(key, known);
      // Nothing was fetched for this save: every package's modules were ready.
      const { answer } = known;
      return answer.ok
        ? { ...answer, installed: answer.installed.map((r) => ({ ...r, ms: 0, fromCache: true })) }
        : answer;
    }
    const answer = await bundleIn(env, { ...request, lock });
    if (!answer.ok) return answer;
    const bytes = JSON.stringify(answer.modules).length;
    answers.set(key, { answer, bytes });
    answerBytes += bytes;
    for (const [oldest, entry] of answers) {
      if (answerBytes <= MAX_BYTES) break;
      answers.delete(oldest);
      answerBytes -= entry.bytes;
    }
    return answer;
  };
}

/** The cache's answer (its RPC stub types it with each module's fields made stubs; it is plain data). */
async function bundleIn(env: Env, request: BundleRequest): Promise<BundleAnswer> {
  return packageCache(env).bundle(request);
}
