/**
 * What `npm start` needs to know about the build in dist/: which sources it was made from (a hash
 * per file, so a changed file is named, and a checkout or copy that only touched mtimes does not
 * force a rebuild) and the Miniflare options of the built worker (computed from its wrangler.json at
 * build time, so serving it needs Miniflare alone, not wrangler's 1.5 s, 130 MB import).
 *
 * scripts/build.mjs writes the manifest last, after `vite build` succeeded; every vite build deletes
 * it first (vite.config.ts), so a build that failed, or one made by another command, is never
 * mistaken for a current one.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const manifestPath = join(root, "dist", "facet-ide-build.json");

/**
 * Everything the build reads from the repository (node_modules is covered by the lock file); the app's
 * runtime and the Vite plugin that builds it (server/app-runtime/) are in server/.
 */
const SOURCE_DIRS = ["client", "server", "shared"];
const SOURCE_FILES = ["index.html", "vite.config.ts", "wrangler.jsonc", "package-lock.json", ".dev.vars"];
const SOURCE_FILE_PATTERN = /^tsconfig.*\.json$/;

/** @returns {Record<string, string>} repository-relative path (with `/`) -> SHA-256 of its content */
export function hashSources(dir = root) {
  /** @type {Record<string, string>} */
  const hashes = {};
  const add = (path) => {
    hashes[relative(dir, path).split(sep).join("/")] = createHash("sha256").update(readFileSync(path)).digest("hex");
  };
  const walk = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) add(child);
    }
  };
  for (const name of SOURCE_DIRS) if (existsSync(join(dir, name))) walk(join(dir, name));
  for (const name of readdirSync(dir)) {
    if ((SOURCE_FILES.includes(name) || SOURCE_FILE_PATTERN.test(name)) && statSync(join(dir, name)).isFile()) {
      add(join(dir, name));
    }
  }
  return hashes;
}

/**
 * Why the build must be made again, or null if it is current.
 * @param {{ root: string, sources: Record<string, string> } | null} manifest what the last build recorded
 * @param {Record<string, string>} sources the sources now (hashSources())
 * @param {string} checkout where the checkout is now (the manifest holds absolute paths)
 * @returns {string | null}
 */
export function whyRebuild(manifest, sources, checkout = root) {
  if (!manifest) return "there is no complete build in dist/ yet";
  if (manifest.root !== checkout) return `the build in dist/ was made in ${manifest.root}`;
  const changed = [];
  for (const [path, hash] of Object.entries(sources)) {
    if (manifest.sources[path] === undefined) changed.push(`${path} (new)`);
    else if (manifest.sources[path] !== hash) changed.push(path);
  }
  for (const path of Object.keys(manifest.sources)) if (sources[path] === undefined) changed.push(`${path} (deleted)`);
  if (changed.length === 0) return null;
  const named = changed.slice(0, 3).join(", ");
  const more = changed.length > 3 ? ` and ${changed.length - 3} more` : "";
  return `${changed.length === 1 ? "a source changed" : `${changed.length} sources changed`} since the last build: ${named}${more}`;
}

/** @returns {import("./build-manifest.d.mts").BuildManifest | null} */
export function readManifest(path = manifestPath) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return null;
  }
}

/**
 * Writes into `dir` a copy of the build's manifest whose worker has the settings it has once deployed
 * (ENVIRONMENT=production, `previewDomain`, the operator's `accessSecret`), for scripts/serve-build.mjs
 * to serve locally without a launcher (the process tests' production mode, the bench). Returns its path.
 * @param {string} dir
 * @param {{ previewDomain: string, accessSecret: string }} settings
 */
export function writeDeployedManifest(dir, { previewDomain, accessSecret }) {
  const manifest = readManifest();
  if (!manifest) throw new Error("There is no build in dist/ to serve as deployed: run `npm run build`.");
  const options = /** @type {{ bindings?: Record<string, unknown> }} */ (manifest.worker.options);
  options.bindings = {
    ...options.bindings,
    ENVIRONMENT: "production",
    PREVIEW_DOMAIN: previewDomain,
    ACCESS_SECRET: accessSecret,
  };
  const path = join(dir, "facet-ide-build.json");
  writeFileSync(path, JSON.stringify(manifest));
  return path;
}
