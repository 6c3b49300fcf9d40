/**
 * `npm run build`: `vite build` (the IDE's assets into dist/client, the worker into dist/facet_ide),
 * then the manifest `npm start` reads (build-manifest.mjs): the sources the build was made from and
 * the Miniflare options of the built worker.
 */
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { hashSources, manifestPath, root } from "./build-manifest.mjs";
import { workerOptions } from "./worker-options.mjs";

// Hashed before building: a file edited while vite runs makes the next `npm start` build again.
const sources = hashSources();
rmSync(manifestPath, { force: true });
const vite = spawnSync(process.execPath, [join(root, "node_modules", "vite", "bin", "vite.js"), "build"], {
  cwd: root,
  stdio: "inherit",
});
if (vite.status !== 0) process.exit(vite.status ?? 1);

const worker = workerOptions(join(root, "dist", "facet_ide", "wrangler.json"));
const manifest = { root, builtAt: new Date().toISOString(), sources, worker };
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`build recorded in ${manifestPath.slice(root.length + 1)}`);
