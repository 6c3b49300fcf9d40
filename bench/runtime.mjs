// Starts the bench's runtime: bundles bench/wrangler.bench.jsonc's worker into a temp dir, runs
// `wrangler dev --no-bundle` on that snapshot on a free port with its own persistence directory,
// waits for /api/health, finds the workerd processes (for memory and CPU figures), and kills the
// whole process group on stop (also on exit, errors and Ctrl-C).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
// Wrangler needs Node >= 22: it runs on the Node running the bench (npm puts the `node` package's first).
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_UPDATE_NOTIFIER: "1", FORCE_COLOR: "0" };

/**
 * Bundles the worker of `config` into `dir/bundle` and writes `dir/wrangler.json` pointing at it.
 * @returns {string} the path of the snapshot's config
 */
function bundle(config, dir, out) {
  const built = spawnSync(
    process.execPath,
    [WRANGLER, "deploy", "--dry-run", "-c", config, "--outdir", join(dir, "bundle")],
    {
      cwd: ROOT,
      stdio: ["ignore", out, out],
      env: ENV,
    },
  );
  if (built.status !== 0)
    throw new Error(`bundling ${config} failed:\n${readFileSync(join(dir, "wrangler.log"), "utf8").slice(-3000)}`);
  // JSONC with whole-line comments only (ours): drop them and parse.
  const text = readFileSync(join(ROOT, config), "utf8").replace(/^\s*\/\/.*$/gm, "");
  const { $schema, alias, main, ...rest } = JSON.parse(text);
  const path = join(dir, "wrangler.json");
  const entry = `bundle/${basename(main).replace(/\.[cm]?[jt]s$/, ".js")}`;
  writeFileSync(path, JSON.stringify({ ...rest, main: entry, no_bundle: true }, null, 2));
  return path;
}

/** @returns {Promise<number>} a TCP port nothing listens on right now */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/**
 * `workerdPid` is the workerd that runs the worker; wrangler dev starts a second one, a proxy that
 * owns the public port, which runs none of our code.
 * @typedef {{ port: number, inspectorPort: number, origin: string, dir: string, logFile: string, pid: number,
 *   workerdPid: () => number | null, proxyPid: () => number | null, stop: () => void }} Runtime
 */

/**
 * The server is bundled once, up front, and wrangler dev runs that snapshot without bundling: a
 * watched source tree would restart the runtime mid-run whenever someone edits server/.
 * State goes to tmpfs (/dev/shm) when there is one, so SQLite commits cost no disk flush on a shared
 * VM disk and the figures measure the runtime's work; `onDisk` uses the OS temp dir instead.
 * @returns {Promise<Runtime>}
 */
export async function startRuntime({ timeoutMs = 90_000, onDisk = false, config = "bench/wrangler.bench.jsonc" } = {}) {
  const root = !onDisk && existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
  const dir = mkdtempSync(join(root, "facet-ide-bench-"));
  const logFile = join(dir, "wrangler.log");
  const out = openSync(logFile, "a");
  let snapshot;
  try {
    snapshot = bundle(config, dir, out);
  } catch (error) {
    if (!process.env.BENCH_KEEP_STATE) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const port = await freePort();
  const inspectorPort = await freePort();
  const args = [WRANGLER, "dev", "-c", snapshot, "--no-bundle", "--port", String(port), "--ip", "127.0.0.1"];
  args.push("--inspector-port", String(inspectorPort), "--persist-to", join(dir, "state"));
  args.push("--show-interactive-dev-session=false", "--log-level", "warn");
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    detached: true, // its own process group, so stop() reaches workerd too
    stdio: ["ignore", out, out],
    env: ENV,
  });
  const pid = /** @type {number} */ (child.pid);
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const signal of /** @type {const} */ (["SIGTERM", "SIGKILL"])) {
      try {
        process.kill(-pid, signal);
      } catch {
        // Already gone.
      }
      if (signal === "SIGTERM") waitSync(300);
    }
    if (!process.env.BENCH_KEEP_STATE) rmSync(dir, { recursive: true, force: true });
  };
  process.on("exit", stop);
  for (const sig of /** @type {const} */ (["SIGINT", "SIGTERM", "SIGHUP"])) {
    process.on(sig, () => {
      stop();
      process.exit(130);
    });
  }

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      const log = readFileSync(logFile, "utf8");
      stop();
      throw new Error(`wrangler dev exited before it was ready:\n${log.slice(-3000)}`);
    }
    try {
      const res = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error(`runtime did not answer /api/health within ${timeoutMs / 1000} s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    port,
    inspectorPort,
    origin,
    dir,
    logFile,
    pid,
    workerdPid: () => runtimeWorkerd(pid),
    proxyPid: () => proxyWorkerd(pid),
    stop,
  };
}

/** Busy-waits (only used while exiting, where timers no longer run). */
function waitSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** @returns {number | null} the workerd under `root` started with an inspector (the proxy has none) */
function runtimeWorkerd(root) {
  const workerds = descendants(root, "workerd");
  const withInspector = workerds.find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--inspector-addr");
    } catch {
      return false;
    }
  });
  return withInspector ?? workerds[0] ?? null;
}

/** @returns {number | null} the other workerd: wrangler's proxy in front of the runtime */
function proxyWorkerd(root) {
  const runtime = runtimeWorkerd(root);
  return descendants(root, "workerd").find((pid) => pid !== runtime) ?? null;
}

/** @returns {number[]} descendants of `root` whose command name is `comm` */
function descendants(root, comm) {
  /** @type {Map<number, number[]>} */
  const children = new Map();
  const names = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const name = stat.slice(stat.indexOf("(") + 1, close);
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      const pid = Number(entry);
      names.set(pid, name);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // Exited while we looked.
    }
  }
  const found = [];
  const queue = [root];
  while (queue.length) {
    const pid = /** @type {number} */ (queue.shift());
    if (pid !== root && names.get(pid) === comm) found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** @returns {number | null} resident memory of a process in MiB (VmRSS from /proc) */
export function rssMiB(pid) {
  try {
    const match = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** @returns {number} CPU time (user + system) a process has used, in ms; NaN when it is gone */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}
