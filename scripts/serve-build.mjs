/**
 * The runtime of `npm start`: the built worker and the IDE's assets (dist/) in workerd, through
 * Miniflare's API. workerd owns the port, so no Node code is in the path of a request: the IDE, the
 * API, the terminal's WebSocket and every app are served by workerd itself.
 *
 * Why Miniflare and not `wrangler dev -c dist/facet_ide/wrangler.json`: wrangler dev puts a second
 * workerd in front (its proxy, for reloads and the inspector), which a built worker does not need.
 * Measured on this machine (README, "Running it"): ready in 0.8 s instead of 2.6 s, about half the
 * memory, one hop less on every request, and a 20 MiB body answered instead of "Network connection
 * lost" from the proxy.
 */
import { join } from "node:path";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import {
  isMarkerKey,
  LAUNCHER_VARIABLE,
  MARKER_BEACONS_VARIABLE,
  MARKER_KEY_VARIABLE,
  REGISTRY_VARIABLE,
  registryFrom,
} from "../shared/launcher-contract.mjs";
import { assistantVariables } from "./assistant-env.mjs";
import { readManifest } from "./build-manifest.mjs";
import { exitWithLauncher } from "./follow-launcher.mjs";

const port = Number(process.env.PORT ?? 5173);
const dataDir = process.env.FACET_IDE_DATA_DIR ?? ".data";
/**
 * For a debugger or profiler (bench/profile/cpu-profile.mjs): workerd's own inspector. Off unless
 * asked for: it accepts WebSockets from any origin, and through it any page could run code in the
 * IDE's worker.
 */
const inspectorPort = process.env.FACET_IDE_INSPECTOR_PORT ? Number(process.env.FACET_IDE_INSPECTOR_PORT) : undefined;
/**
 * The launcher (launcher.mjs) asks apps for the activity markers it reads after a freeze
 * (server/app-runtime/guard.ts), and gives the address of its verdict desk, where the runtime
 * fetches the verdicts on what froze the last one (server/launcher.ts); the build itself carries both
 * variables empty, as deployed.
 */
const launcherVariables = {
  // The launcher's marker key (64 hex digits) turns the markers on; anything else leaves them off.
  [MARKER_KEY_VARIABLE]: isMarkerKey(process.env[MARKER_KEY_VARIABLE]) ? process.env[MARKER_KEY_VARIABLE] : "",
  // "1" keeps the markers in memory instead of printing them (scripts/beacons.mjs).
  [MARKER_BEACONS_VARIABLE]: process.env[MARKER_BEACONS_VARIABLE] === "1" ? "1" : "",
  [LAUNCHER_VARIABLE]: process.env[LAUNCHER_VARIABLE] ?? "",
  // The npm registry apps' packages come from, as the shell names it for npm (docs/packages.md).
  [REGISTRY_VARIABLE]: registryFrom(process.env),
  // "off" skips TypeScript's check of each save (server/type-check/), as the bench compares.
  ...(process.env.FACET_IDE_TYPE_CHECK ? { FACET_IDE_TYPE_CHECK: process.env.FACET_IDE_TYPE_CHECK } : {}),
};

exitWithLauncher();

// The build's manifest, or another worker's (the bench serves its own the same way).
const manifest = readManifest(process.argv[2]);
if (!manifest) {
  console.error("There is no build in dist/: run `npm start` (it builds first) or `npm run build`.");
  process.exit(1);
}
const { name, options, modules, moduleDir } = manifest.worker;

/**
 * The worker first, then (see below) a worker that only serves the IDE's assets.
 *
 * Given a worker with assets, Miniflare puts its asset router in front of it: a worker of its own
 * that every request passes through before ours, even with `run_worker_first`, where it only hands
 * the request on. That hop was a third of the runtime's CPU per app request (1.1 ms against 0.75 ms
 * without it, measured with bench/cmp runs of this build). Deployed, Cloudflare routes before the
 * worker and charges it nothing. So when every request goes to the worker first anyway, the worker
 * runs without Miniflare's assets, and its ASSETS binding calls a second worker that has them and
 * passes each request to its own ASSETS: the same answers (not-found handling included), and the
 * extra hop only for the IDE's own files.
 */
/**
 * The worker that serves the IDE's files, uncompressed. Miniflare's entry compresses what a
 * browser accepts compressed, as Cloudflare's edge does: 240 ms of gzip for the 2.7 MB editor chunk
 * against 34 ms to send it as it is over loopback, on every page load with a cold cache. It leaves a
 * response alone whose Content-Encoding it does not compress to, so the files say `identity` (which
 * browsers, curl and Node's fetch read as no encoding). Deployed, Cloudflare compresses them at its
 * edge and caches the result; app responses are compressed locally as there.
 */
const ASSETS_WORKER = `export default {
  async fetch(request, env) {
    const response = await env.ASSETS.fetch(request);
    if (response.headers.has("content-encoding")) return response;
    const headers = new Headers(response.headers);
    headers.set("content-encoding", "identity");
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  },
};`;

function workersOf() {
  const { assets, ...rest } = options;
  // Set only where the worker declares them (the bench's worker does not).
  const bindings = rest.bindings && { ...rest.bindings };
  for (const [name, value] of Object.entries(launcherVariables))
    if (bindings && name in bindings) bindings[name] = value;
  // The assistant's model and bounds, from the environment or .dev.vars (never in the build).
  if (bindings) Object.assign(bindings, assistantVariables());
  const worker = { ...rest, bindings, name, modules, modulesRoot: moduleDir };
  if (!assets?.run_worker_first || assets.run_worker_first !== true) return [{ ...worker, assets }];
  const assetsWorker = `${name}-assets`;
  return [
    { ...worker, serviceBindings: { ...rest.serviceBindings, [assets.binding]: assetsWorker } },
    {
      name: assetsWorker,
      compatibilityDate: rest.compatibilityDate,
      modules: true,
      script: ASSETS_WORKER,
      assets: { ...assets, binding: "ASSETS" },
    },
  ];
}

/**
 * workerd's console output as Miniflare hands it on, line by line, but written out at most every
 * FLUSH_MS, so that a burst of lines wakes the reader once. (Under the launcher, workerd's standard
 * output, with the activity markers every app request prints, goes to the launcher's own pipe and
 * not through here: runtime-output.mjs.) Output keeps its order: what stdout holds is written before a
 * line goes to stderr, and before this process exits.
 */
const FLUSH_MS = 20;
let pendingOut = "";
let flushTimer = null;
function flushOut() {
  clearTimeout(flushTimer ?? undefined);
  flushTimer = null;
  if (!pendingOut) return;
  const text = pendingOut;
  pendingOut = "";
  process.stdout.write(text);
}
const red = (text) => (process.stderr.isTTY || process.env.FORCE_COLOR === "1" ? `\x1b[31m${text}\x1b[39m` : text);
function handleStructuredLogs({ level, message }) {
  if (level === "error" || level === "warn") {
    flushOut();
    process.stderr.write(`${red(message)}\n`);
    return;
  }
  flushTimer ??= setTimeout(flushOut, FLUSH_MS);
  pendingOut += `${message}\n`;
}

const miniflare = new Miniflare(
  convertV4MiniflareOptions({
    workers: workersOf(),
    host: "localhost",
    port,
    // The same place the Vite plugin keeps state (`persistState: { path }` in vite.config.ts) and
    // `wrangler dev --persist-to` would: <dataDir>/v3/do/<worker>-<class>/<object id>.sqlite.
    resourcePersistencePath: join(dataDir, "v3"),
    // No request.cf from the network: the IDE runs offline.
    cf: false,
    inspectorPort,
    log: new Log(LogLevel.WARN),
    handleStructuredLogs,
  }),
);
await miniflare.ready;

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  flushOut();
  await miniflare.dispose().catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.on("SIGHUP", stop);
