/**
 * Fails when `npm start`, the dev server, the worker tests and `wrangler deploy` would run different
 * workerd builds, or when npm start's Miniflare is not the one wrangler translates options for. Each tool brings its own Miniflare and workerd (the Vite plugin pinned 2026-10-12 while
 * wrangler targeted 2026-11-17, and a readable stream's cancel only arrives on the newer one), so
 * package.json's `overrides` pin workerd to wrangler's everywhere. (Miniflare, the Node wrapper
 * around workerd, stays each tool's own: the Vite plugin imports names newer Miniflares no longer
 * export.) This check keeps them from drifting
 * apart again when a package is upgraded: it resolves the workerd each tool would load, as Node
 * resolves it from that tool's own folder, and compares the versions.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The folder of package `name` as Node would find it from `fromDir`: the nearest
 * `node_modules/<name>` going up. (Not `require.resolve`: some of these packages do not export
 * their package.json.)
 */
function packageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) throw new Error(`${name} is not installed (looked from ${fromDir})`);
  }
}

const versionOf = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;

const tools = {
  "wrangler (deploy)": packageDir("wrangler", root),
  "npm start (the project's own miniflare)": root,
  "@cloudflare/vite-plugin (npm run dev)": packageDir("@cloudflare/vite-plugin", root),
  "@cloudflare/vitest-plugin (worker tests)": packageDir("@cloudflare/vitest-plugin", root),
};

const seen = [];
for (const [tool, dir] of Object.entries(tools)) {
  const miniflare = packageDir("miniflare", dir);
  const workerd = packageDir("workerd", miniflare);
  seen.push({ tool, miniflare: versionOf(miniflare), workerd: versionOf(workerd) });
}

// npm start hands Miniflare the options wrangler's own translation made (scripts/worker-options.mjs),
// so the Miniflare it runs must be the one that translation was written for.
const [wrangler, start] = seen;
if (wrangler && start && wrangler.miniflare !== start.miniflare) {
  console.error(
    `\nnpm start runs miniflare ${start.miniflare}, wrangler was built against ${wrangler.miniflare}: ` +
      `pin the project's miniflare to wrangler's (npm install --save-dev --save-exact miniflare@${wrangler.miniflare}).`,
  );
  process.exit(1);
}

const versions = new Set(seen.map((s) => s.workerd));
for (const s of seen) console.log(`${s.tool}: miniflare ${s.miniflare}, workerd ${s.workerd}`);
if (versions.size !== 1) {
  console.error(
    "\nThe tools run different workerd builds. Pin workerd to wrangler's with package.json `overrides`, " +
      "then `npm install`.",
  );
  process.exit(1);
}
console.log(`one runtime: workerd ${[...versions][0]}`);
