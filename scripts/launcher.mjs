/**
 * The supervising launcher behind `npm start` and `npm run dev`: runs a runtime (the built worker
 * under Miniflare, or vite dev) in its own process group and keeps it answering.
 *
 * Local workerd enforces no CPU limit, so app code that never yields (a catastrophic regex, a huge
 * JSON.parse, anything the loop guard cannot see) freezes every project and the IDE, and a heap bomb
 * crashes it. The launcher reads the activity markers apps print (activity-markers.mjs) and probes
 * /api/health. When the runtime has not answered for longer than the loop guard allows with workerd
 * busy, or workerd crashed, it replaces workerd and blames the code that was running: it hands the new
 * runtime a verdict, which the project's supervisor records (marking the version hung) before it runs
 * anything, so that code is not run again (hung-marker.mjs, server/launcher.ts: no crash loop, no
 * replay); when no app's code was running, nobody is blamed. Under `npm start`, Miniflare starts the
 * new workerd itself (recovery.mjs), about half a second; under `npm run dev` the dev server is
 * restarted around it (see `workerdAlone`). It caps workerd's memory (prlimit) and restarts it when
 * its resident memory passes a ceiling, since local workerd never frees the isolates of old versions.
 * Ctrl+C / SIGTERM stop everything cleanly; data stays in FACET_IDE_DATA_DIR. docs/launcher.md tells
 * how a verdict reaches the new runtime, and why that way.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import {
  beaconMagic,
  hostTerminalText,
  LAUNCHER_VARIABLE,
  MARKER_BEACONS_VARIABLE,
  MARKER_KEY_VARIABLE,
  printable,
} from "../shared/launcher-contract.mjs";
import { ActivityLog } from "./activity-markers.mjs";
import { memoryReadable } from "./beacons.mjs";
import { Blame } from "./blame.mjs";
import { DataFolder, dataFolderCeiling } from "./data-folder.mjs";
import { openDesk, VerdictDesk } from "./hung-marker.mjs";
import { DATA_LIMIT_MB, watchMemory } from "./memory-watch.mjs";
import {
  answers,
  answersWithin,
  findWorkerd,
  killGroup,
  replaceWorkerd,
  WorkerdWatch,
  waitForExit,
} from "./recovery.mjs";
import { RuntimeOutput } from "./runtime-output.mjs";
import { silenceOf } from "./silence.mjs";

/** The port and data directory both modes use, so a project made under one opens under the other. */
export const port = Number(process.env.PORT ?? 5173);
export const dataDir = resolve(process.env.FACET_IDE_DATA_DIR ?? ".data");

const HEALTH_EVERY_MS = 250;
/**
 * Until the runtime first answers, it is probed faster: a freeze is judged only after an answer, and
 * an app request that freezes the runtime a moment after it came up must not slip in before that.
 */
const STARTING_HEALTH_EVERY_MS = 100;
const PROBE_TIMEOUT_MS = 5_000;
/** After workerd was replaced, how long it may take to answer before the whole runtime is restarted. */
const BACK_WITHIN_MS = 15_000;
/** What Miniflare prints when workerd died under it (it starts a new one by itself)... */
const CRASH_LINE = "The Workers runtime crashed unexpectedly";
/** ...and when that new one did not start (then it gives up, and the runtime is restarted whole). */
const RESTART_FAILED_LINE = "The Workers runtime failed to restart";

export const log = (message) => console.log(`\x1b[36m[facet-ide]\x1b[0m ${message}`);

/**
 * Starts `command args` as the runtime and supervises it until Ctrl+C or SIGTERM.
 * @param {{ name: string, command: string, args: string[], workerdAlone: boolean, ownOutput?: boolean }} runtime
 *   `ownOutput`: workerd's output comes on the launcher's own pipe (Miniflare under `npm start`). `name` is
 *   how messages call it; `workerdAlone` says whether workerd may be replaced alone, with the Node
 *   process that runs Miniflare starting the new one (true under `npm start`). Not under vite dev:
 *   after workerd restarts, the Cloudflare plugin restarts the Vite server in-process, which took 5 s
 *   and in our runs left the worker's module runner broken ("Parent environment not initialized"), so
 *   there a frozen or crashed workerd takes the dev server with it.
 */
export async function launch(runtime) {
  // The verdicts on what froze or crashed a runtime, and where the next runtime asks for them (and
  // what the data folder holds: data-folder.mjs).
  const verdicts = VerdictDesk.in(dataDir);
  const desk = await openDesk(
    verdicts,
    (_verdict, lines) => {
      for (const line of lines) log(printable(line));
    },
    new DataFolder(dataDir, dataFolderCeiling()),
  );
  if (verdicts.pending().length > 0)
    log(`${verdicts.pending().length} verdict(s) from an earlier run are handed to the runtime as it starts`);
  let child = null;
  let healthy = false;
  /** When the runtime last answered (when that probe was sent), and workerd's runnable time then. */
  let lastAnswer = null;
  let stopping = false;
  /** Set while the launcher itself replaces workerd or restarts the runtime (a crash then is its own doing). */
  let recovering = false;
  let warnedSlow = false;
  let startingPoll = null;
  /** Set when Miniflare says it could not start workerd again after a crash. */
  let restartFailed = false;
  // The key the runtime's supervisors sign each load's activity markers with (activity-markers.mjs):
  // made for this launch, known only to the launcher and the runtime (never to an app).
  const markerKey = randomBytes(32).toString("hex");
  const activity = new ActivityLog((text) => process.stdout.write(text), markerKey);
  // Apps keep their markers in memory (beacons.mjs) when the launcher can read workerd's, and print
  // them otherwise, or after a crash that no printed marker explained (blame.mjs).
  const blame = new Blame({
    activity,
    verdicts,
    magic: await beaconMagic(markerKey),
    beacons: process.env.FACET_IDE_ACTIVITY !== "lines" && (await memoryReadable()),
    log,
    dataDir,
    drain: () => output?.drain(),
  });
  log(blame.beacons ? "apps keep their activity markers in memory (beacons)" : "apps print their activity markers");
  const workerdWatch = new WorkerdWatch(DATA_LIMIT_MB * 1024 * 1024, log);
  /** Set when the runtime must be restarted to print every marker (a crash nobody was blamed for). */
  let restartToPrint = false;
  // Under `npm start`, workerd's own output (the markers in it) comes on a pipe the launcher reads
  // itself, not through Miniflare's process (runtime-output.mjs).
  const output = runtime.ownOutput
    ? RuntimeOutput.open(
        (text) => activity.feed(text),
        (text) => process.stderr.write(hostTerminalText(text)),
        log,
      )
    : null;
  if (output) process.on("exit", () => output.close());

  function start() {
    healthy = false;
    restartToPrint = false;
    blame.reset();
    warnedSlow = false;
    lastAnswer = null;
    output?.drain();
    activity.reset();
    clearInterval(startingPoll);
    startingPoll = setInterval(() => {
      if (healthy) clearInterval(startingPoll);
      else probeHealth();
    }, STARTING_HEALTH_EVERY_MS);
    child = spawn(runtime.command, runtime.args, {
      // Output is read for activity markers and crash reports, and passed on.
      stdio: ["inherit", "pipe", "pipe"],
      detached: true, // its own process group, so a restart takes workerd with it
      env: {
        ...process.env,
        PORT: String(port),
        FACET_IDE_DATA_DIR: dataDir,
        FACET_IDE_LAUNCHER_PID: String(process.pid),
        [MARKER_KEY_VARIABLE]: markerKey,
        [MARKER_BEACONS_VARIABLE]: blame.beacons ? "1" : "",
        [LAUNCHER_VARIABLE]: desk.url,
        ...output?.env,
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        // Miniflare's explorer reads and writes every Durable Object's SQLite from any host name.
        X_LOCAL_EXPLORER: "false",
      },
    });
    const started = child;
    started.stdout.setEncoding("utf8");
    started.stderr.setEncoding("utf8");
    const watch = (text) => {
      if (text.includes(RESTART_FAILED_LINE)) restartFailed = true;
      // An app can print Miniflare's line too: while the workerd last seen still runs, it did not crash.
      if (text.includes(CRASH_LINE) && !recovering && !workerdWatch.stillRuns(child.pid)) void recoverFromCrash();
    };
    started.stdout.on("data", (text) => {
      if (started !== child) return process.stdout.write(hostTerminalText(text));
      // Markers come only on the launcher's pipe when it has one: this is Miniflare's own output then.
      if (output) process.stdout.write(hostTerminalText(text));
      // The markers before a crash report are the dead workerd's; read them first.
      else activity.feed(text);
      watch(text);
    });
    started.stderr.on("data", (text) => {
      // What the runtime prints reaches this terminal only with its control characters made visible.
      process.stderr.write(hostTerminalText(text));
      if (started === child) watch(text);
    });
    log(`runtime started: ${runtime.name} (process group ${started.pid})`);
    started.on("exit", (code, signal) => {
      if (started !== child) return;
      if (stopping) process.exit(0);
      if (!recovering) {
        log(`${runtime.name} exited (${signal ?? code}); starting it again`);
        setTimeout(start, 500);
      }
    });
  }

  /** Blames what was running (blame.mjs); a crash nobody is blamed for has every marker printed from now on. */
  function blameRunning(how) {
    if (blame.blame(how)) restartToPrint = true;
  }

  /**
   * Replaces workerd (or the whole runtime, see `workerdAlone`), blaming what was running while
   * nothing runs; falls back to restarting the runtime if workerd does not come back.
   */
  async function replace(reason, { blame, graceful = false }) {
    if (!runtime.workerdAlone) return restartRuntime(reason, { blame, graceful });
    if (recovering || stopping || !child) return;
    recovering = true;
    restartFailed = false;
    log(reason);
    const replaced = await replaceWorkerd(child.pid, {
      graceful,
      crashed: blame === "crashed",
      whileDown: () => {
        if (blame) blameRunning(blame);
        activity.reset();
      },
    });
    const back = replaced && (await answersWithin(port, BACK_WITHIN_MS, () => restartFailed));
    if (back) log(`workerd is back: ready on http://localhost:${port}`);
    // Known at once, not at the next look: a crash line printed right after must not pass for a crash.
    if (back) workerdWatch.note(child.pid);
    lastAnswer = { at: Date.now(), workerdRunnable: workerdRunnableSeconds() };
    recovering = false;
    if (!back) await restartRuntime(`workerd did not come back by itself; restarting ${runtime.name}`, {});
    else if (restartToPrint)
      await restartRuntime(`restarting ${runtime.name} so that apps print every activity marker from now on`, {});
  }

  async function recoverFromCrash() {
    // Markers come on stdout and the crash report may come on stderr: let what the dead workerd wrote arrive.
    await new Promise((r) => setTimeout(r, 100));
    await replace("workerd crashed (out of memory?); marking what was running before it starts again", {
      blame: "crashed",
    });
  }

  /** Stops the runtime (at once, when something is to be blamed), blames, and starts it again. */
  async function restartRuntime(reason, { blame = null, graceful = !blame } = {}) {
    if (recovering || stopping || !child) return;
    recovering = true;
    const old = child;
    log(reason);
    if (graceful) {
      killGroup(old, "SIGTERM");
      if (!(await waitForExit(old, 5_000))) killGroup(old, "SIGKILL");
    } else {
      killGroup(old, "SIGKILL");
    }
    await waitForExit(old, 5_000);
    // workerd may outlive its parent by a moment: the next one starts only once it is gone.
    for (let i = 0; i < 100 && findWorkerd(old.pid); i++) await new Promise((r) => setTimeout(r, 50));
    if (blame) blameRunning(blame);
    recovering = false;
    start();
  }

  const workerdRunnableSeconds = () => (child ? workerdWatch.runnableSeconds(child.pid) : 0);

  /**
   * Probes go out every HEALTH_EVERY_MS without waiting for each other, so "silent" means no probe at
   * all was answered for that long (a slow answer under load still counts), measured to the probe.
   */
  let probesInFlight = 0;
  function probeHealth() {
    if (recovering || stopping || !child) return;
    workerdWatch.look(child.pid);
    if (probesInFlight >= 16) return;
    probesInFlight++;
    const sent = Date.now();
    answers(port, PROBE_TIMEOUT_MS)
      .then((ok) => {
        if (!ok || recovering || stopping) return;
        if (!healthy) log(`ready on http://localhost:${port}`);
        healthy = true;
        warnedSlow = false;
        if (!lastAnswer || sent > lastAnswer.at) lastAnswer = { at: sent, workerdRunnable: workerdRunnableSeconds() };
      })
      .finally(() => {
        probesInFlight--;
      });
  }

  let judging = false;
  async function judgeSilence() {
    if (judging || recovering || stopping || !child || !healthy || !lastAnswer) return;
    judging = true;
    try {
      const silentMs = Date.now() - lastAnswer.at;
      const silence = silenceOf(silentMs, () => workerdRunnableSeconds() - lastAnswer.workerdRunnable);
      if (silence === null) return;
      const frozen = silence.frozen ? findWorkerd(child.pid) : null;
      const runnable = `runnable ${Math.round(silence.busy * 100)} % of the time`;
      if (frozen) {
        blame.readBeacons(frozen.pid);
        await replace(
          `the runtime has not answered for ${(silentMs / 1000).toFixed(1)} s with workerd busy (${runnable}); replacing workerd`,
          { blame: "froze" },
        );
      } else if (silence.stalled) {
        await restartRuntime(
          `${runtime.name} has not answered for ${Math.round(silentMs / 1000)} s (workerd idle); restarting it`,
          {},
        );
      } else if (!warnedSlow) {
        warnedSlow = true;
        log(`${runtime.name} is slow to answer, but workerd is idle (${runnable}): waiting (nothing is blamed)`);
      }
    } finally {
      judging = false;
    }
  }

  function stop() {
    if (stopping) return;
    stopping = true;
    if (!child) process.exit(0);
    killGroup(child, "SIGTERM");
    waitForExit(child, 5_000).then((exited) => {
      if (!exited && child) killGroup(child, "SIGKILL");
      process.exit(0);
    });
  }

  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("SIGHUP", stop);
  setInterval(probeHealth, HEALTH_EVERY_MS).unref();
  setInterval(judgeSilence, HEALTH_EVERY_MS).unref();
  watchMemory({
    groupToCheck: () => (!healthy || recovering || stopping || !child ? null : child.pid),
    restart: (why) => void replace(why, { blame: null, graceful: true }),
  });
  start();
}
