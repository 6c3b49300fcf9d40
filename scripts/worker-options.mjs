/**
 * The Miniflare options of a built worker, from its wrangler.json, by the same translation wrangler's
 * own tools use (`unstable_getMiniflareWorkerOptions`). Used when building (build.mjs) and by the
 * bench for its own worker; serve-build.mjs then needs Miniflare alone.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

/**
 * @param {string} configPath a wrangler.json whose main module is already bundled
 * @returns {import("./build-manifest.d.mts").BuildManifest["worker"]}
 */
export function workerOptions(configPath) {
  const { name } = JSON.parse(readFileSync(configPath, "utf8"));
  const { workerOptions, main } = unstable_getMiniflareWorkerOptions(configPath);
  if (!main) throw new Error(`${configPath} names no main module`);
  // Miniflare takes rules for finding modules only in its old option format; the bundlers here emit
  // JavaScript modules only, so they are listed instead: the entry first, then any chunk beside it.
  const { modulesRules: _rules, ...options } = workerOptions;
  const moduleDir = dirname(main);
  const chunks = readdirSync(moduleDir)
    .filter((file) => /\.m?js$/.test(file))
    .map((file) => join(moduleDir, file))
    .filter((path) => path !== main);
  const modules = [main, ...chunks].map((path) => /** @type {const} */ ({ type: "ESModule", path }));
  return { name, options, modules, moduleDir };
}
