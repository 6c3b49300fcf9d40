// Starts the bench's own runtime: bundles bench/wrangler.bench.jsonc's worker (the real server plus
// the AppRunner and StaticApp baselines) into a temp dir and serves that snapshot exactly as
// `npm start` serves the IDE's build (scripts/serve-build.mjs: Miniflare, one workerd, no proxy), on
// a free port with its own persistence directory. Waits for /api/health; kills the process group on
// stop (also on exit, errors and Ctrl-C).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { workerOptions } from "../scripts/worker-options.mjs";
import { APP_MODULE_QUERY, appModuleExport } from "../server/app-runtime/build/app-modules.mjs";
import { checkerModules } from "../server/type-check/build/checker-modules.mjs";
import { descendants, freePort, treeCpuMs } from "./processes.mjs";
import { ENV, ROOT, serve } from "./serve.mjs";

// Wrangler needs Node >= 22: it runs on the Node running the bench (npm puts the `node` package's first).
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");

/**
 * Bundles the worker of `config` into `dir/bundle` and writes `dir/wrangler.json` pointing at it.
 * @returns {string} the path of the snapshot's config
 */
function bundle(config, dir, out) {
  const built = spawnSync(
    process.execPath,
    [WRANGLER, "deploy", "--dry-run", "-c", config, "--outdir", join(dir, "bundle"), ...importAliases(dir)],
    { cwd: ROOT, stdio: ["ignore", out, out], env: ENV },
  );
  if (built.status !== 0)
    throw new Error(`bundling ${config} failed:\n${readFileSync(join(dir, "runtime.log"), "utf8").slice(-3000)}`);
  // JSONC with whole-line comments only (ours): drop them and parse.
  const text = readFileSync(join(ROOT, config), "utf8").replace(/^\s*\/\/.*$/gm, "");
  const { $schema, alias, main, ...rest } = JSON.parse(text);
  const path = join(dir, "wrangler.json");
  const entry = `bundle/${basename(main).replace(/\.[cm]?[jt]s$/, ".js")}`;
  writeFileSync(path, JSON.stringify({ ...rest, main: entry, no_bundle: true }, null, 2));
  return path;
}

/**
 * Vite's `?raw` imports in server/ (the MCP server's guide, the app templates, the empty app) and the `?app-module`
 * imports of the app's runtime (server/app-runtime/build/app-modules.mjs, a Vite plugin) mean nothing
 * to wrangler's bundler: each becomes an `--alias` to a module in `dir` that exports the text vite
 * would give (the file's, or the runtime module as its isolate loads it).
 */
function importAliases(dir) {
  const aliases = [];
  const server = join(ROOT, "server");
  for (const file of readdirSync(server, { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".ts")) continue;
    const source = readFileSync(join(server, file), "utf8");
    for (const [, specifier, query] of source.matchAll(/from\s+"([^"]+)(\?raw|\?app-module|\?type-check-modules)"/g)) {
      const path = resolve(server, dirname(file), specifier);
      const text =
        query === APP_MODULE_QUERY
          ? appModuleExport(path)
          : query === "?type-check-modules"
            ? `export default ${JSON.stringify(checkerModules())};\n`
            : `export default ${JSON.stringify(readFileSync(path, "utf8"))};\n`;
      const module = join(dir, `import-${aliases.length / 2}.mjs`);
      writeFileSync(module, text);
      aliases.push("--alias", `${specifier}${query}:${module}`);
    }
  }
  return aliases;
}

/**
 * @typedef {{ port: number, inspectorPort: number, origin: string, dir: string, logFile: string, pid: number,
 *   workerdPid: () => number | null, cpuMs: () => number, stop: () => void }} Runtime
 */

/**
 * The server is bundled once, up front, so edits to server/ during a run change nothing.
 * State goes to tmpfs (/dev/shm) when there is one, so SQLite commits cost no disk flush on a shared
 * VM disk and the figures measure the runtime's work; `onDisk` uses the OS temp dir instead.
 * @returns {Promise<Runtime>}
 */
export async function startRuntime({ timeoutMs = 90_000, onDisk = false, config = "bench/wrangler.bench.jsonc" } = {}) {
  // `build` serves npm start's own build (dist/, npm run build first): the server as users run it,
  // without the baselines.
  if (config === "build") return startRuntimeOf(join(ROOT, "dist", "facet-ide-build.json"), { timeoutMs, onDisk });
  const dir = mkdtempSync(join(stateRoot(onDisk), "facet-ide-bench-"));
  const logFile = join(dir, "runtime.log");
  const out = openSync(logFile, "a");
  let manifest;
  try {
    const snapshot = bundle(config, dir, out);
    manifest = join(dir, "manifest.json");
    writeFileSync(manifest, JSON.stringify({ worker: workerOptions(snapshot) }));
  } catch (error) {
    if (!process.env.BENCH_KEEP_STATE) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return startRuntimeOf(manifest, { timeoutMs, onDisk, dir });
}

/** Serves the worker a manifest describes (scripts/build-manifest.mjs) as npm start does. */
async function startRuntimeOf(
  manifest,
  { timeoutMs, onDisk, dir = mkdtempSync(join(stateRoot(onDisk), "facet-ide-bench-")) },
) {
  const logFile = join(dir, "runtime.log");
  const port = await freePort();
  const inspectorPort = await freePort();
  const { pid, origin, stop } = await serve({
    command: process.execPath,
    args: [join(ROOT, "scripts", "serve-build.mjs"), manifest],
    env: { FACET_IDE_DATA_DIR: join(dir, "state"), FACET_IDE_INSPECTOR_PORT: String(inspectorPort) },
    port,
    dir,
    logFile,
    timeoutMs,
  });
  return {
    port,
    inspectorPort,
    origin,
    dir,
    logFile,
    pid,
    workerdPid: () => descendants(pid, "workerd")[0] ?? null,
    cpuMs: () => treeCpuMs(pid),
    stop,
  };
}

/** tmpfs (/dev/shm) when there is one and `onDisk` is not asked for, else the OS temp dir. */
export const stateRoot = (onDisk = false) => (!onDisk && existsSync("/dev/shm") ? "/dev/shm" : tmpdir());
