/**
 * After a freeze or a crash, marks the app whose code was running (the last activity marker the
 * runtime printed, scripts/activity-markers.mjs), directly in the supervisors' SQLite files: the
 * runtime is down, so nothing else has them open.
 *
 * Only the code that was running is blamed, whatever started it: its version is marked hung, so it
 * is not run again (no crash loop, no replay) until the owner saves (any code, the same code too).
 * A statement from the SQL console is the owner's, not the app's: it is reported and nothing is
 * marked. Code that is not the live version (a save's probe, starting new code) is reported to the
 * owner; there is no version to mark. When no app's code was running, nobody is blamed.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { HANG_SQL } from "../server/supervisor/versions/tables.mjs";

/** Words for what started the code that was running, from the marker's `what` and `detail`. */
export function describeActivity({ what, detail }) {
  switch (what) {
    case "request":
      return `on ${detail}`;
    case "timer":
      return "in a setTimeout callback";
    case "interval":
      return "in a setInterval callback";
    case "websocket":
      return `in ${detail || "a WebSocket handler"}`;
    case "alarm":
      return "in alarm()";
    case "construct":
      // A Worker project's object names its class.
      return detail ? `in the constructor of ${detail}` : "in its constructor";
    case "rpc":
      // A Worker project's object, in a method a stub called.
      return `in the RPC method ${detail}()`;
    case "startup":
      return "while its modules started";
    case "console":
      return `running the SQL console's statement ${JSON.stringify(detail.slice(0, 120))}`;
    case "swap":
      return "while its sockets were closed for a swap";
    default:
      return detail ? `in the ${detail}` : "in its code";
  }
}

/** How the markers name the draft's code (its isolate is its own, see server/supervisor/app-host/loader.ts). */
export const DRAFT_SUFFIX = ":draft";
/** The hung mark of the draft (server/supervisor/time-travel/drafts.ts, DRAFT_HANG_VERSION): versions start at 1. */
const DRAFT_HANG_VERSION = 0;

/** Text for the host terminal: project names and request paths never carry control characters to it. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const printable = (text) => String(text).replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");

/**
 * Blames `marker` (an `enter` marker) for a freeze or crash: marks its version hung when it is the
 * live one, and tells the owner's terminal. Returns lines for the launcher to print.
 * @param {string} dataDir
 * @param {{ projectId: string, codeId: string, what: string, detail: string }} marker
 * @param {{ how?: "froze" | "crashed", now?: number }} [options]
 */
export function blameActivity(dataDir, marker, { how = "froze", now = Date.now() } = {}) {
  const found = openProject(dataDir, marker.projectId);
  if (!found) return [`could not find project ${printable(marker.projectId)}, whose code ${how} the runtime`];
  const { db, project } = found;
  try {
    const where = printable(describeActivity(marker));
    const current =
      project.current_version === null ? null : db.prepare(HANG_SQL.versionCode).get(project.current_version);
    const verb = how === "crashed" ? "crashed the runtime (out of memory?)" : "froze the runtime";
    const log = (message) =>
      db
        .prepare(HANG_SQL.appendLog)
        .run(JSON.stringify({ kind: "system", level: "error", at: now, version: project.current_version, message }));

    if (marker.what === "console") {
      const message = `The SQL console's statement ${verb}; the runtime was restarted. The app's code did not do it, so nothing was stopped.`;
      log(`${message} (${where})`);
      return [`project ${printable(project.id)}: ${verb} ${where}; nothing was marked`];
    }
    if (marker.codeId.endsWith(DRAFT_SUFFIX)) {
      // The draft runs on a copy of the live data, in its own isolate; its hangs are marked as version 0.
      const draft = db.prepare(HANG_SQL.draft).get();
      if (!draft || draft.code_id !== marker.codeId.slice(0, -DRAFT_SUFFIX.length)) {
        log(`Code no longer in the draft ${verb} ${where}; the runtime was restarted.`);
        return [`project ${printable(project.id)}: an old draft ${verb} ${where}; nothing was marked`];
      }
      db.prepare(HANG_SQL.markHung).run(
        DRAFT_HANG_VERSION,
        `${where.replace(/^on /, "")}, ${new Date(now).toISOString()}`,
      );
      log(
        `The draft (r${draft.revision}) ${verb} ${where}; the runtime was restarted and the draft will not run again until code is saved to it.`,
      );
      return [
        `project ${printable(project.id)}: the draft r${draft.revision} ${verb} ${where}; it will not run again until code is saved to it`,
      ];
    }
    if (!current || current.code_id !== marker.codeId) {
      const known = db.prepare(HANG_SQL.newestVersionOfCode).get(marker.codeId)?.v;
      const which = known ? `v${known}, which is not the live version,` : "code being saved";
      log(`The ${which} ${verb} ${where}; the runtime was restarted${known ? "" : " and that code was not deployed"}.`);
      return [`project ${printable(project.id)}: ${which} ${verb} ${where}; no version was marked`];
    }
    const version = current.version;
    const detail = `${where.replace(/^on /, "")}, ${new Date(now).toISOString()}`;
    db.prepare(HANG_SQL.markHung).run(version, detail);
    log(
      `v${version} ${verb} ${where}; the runtime was restarted and v${version} will not run again. Save any code (the same code too) to run it again.`,
    );
    return [
      `project ${printable(project.id)}: v${version} ${verb} ${where}; it will not run again until code is saved`,
    ];
  } finally {
    db.close();
  }
}

/** The supervisor database of `projectId`, open, with its project row; null when there is none. */
function openProject(dataDir, projectId) {
  const dir = join(dataDir, "v3", "do", "facet-ide-ProjectSupervisor");
  if (!existsSync(dir)) return null;
  // Supervisor databases are `<id>.sqlite`; a facet's is `<id>.<n>.sqlite`.
  for (const file of readdirSync(dir).filter((f) => /^[0-9a-f]+\.sqlite$/.test(f))) {
    const db = new DatabaseSync(join(dir, file));
    try {
      const project = db.prepare(HANG_SQL.hasProject).get() ? db.prepare(HANG_SQL.project).get() : undefined;
      if (project?.id === projectId) return { db, project };
    } catch {
      // Not a supervisor's database after all.
    }
    db.close();
  }
  return null;
}
