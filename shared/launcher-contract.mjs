/**
 * What the launcher (scripts/launcher.mjs, plain Node, under `npm start` and `npm run dev`) and the
 * runtime it supervises (server/) say to each other, in one place both import. Plain JavaScript,
 * with types in launcher-contract.d.mts, so that Node imports it as it is.
 *
 * - **Activity markers**, runtime to launcher: apps print `<MARKER_PREFIX> enter <project> <code>
 *   <what> <detail>` and `<MARKER_PREFIX> leave <project> <code>` on the runtime's output
 *   (server/supervisor/guard-runtime.ts); the launcher reads them (scripts/activity-markers.mjs) to
 *   tell whose code was running when the runtime froze or crashed.
 * - **Verdicts**, launcher to runtime: after a freeze or a crash the launcher keeps a verdict (whose
 *   code, doing what) and the restarted runtime fetches it from the launcher's verdict desk
 *   (scripts/hung-marker.mjs) before the project serves anything; the project's supervisor records
 *   it in its own tables (server/supervisor/verdicts.ts) and reports back. docs/launcher.md tells why.
 *
 * Deployed there is no launcher: LAUNCHER_VARIABLE is empty and none of this runs.
 */

/** Starts every activity marker line; the launcher reads these lines and does not show them. */
export const MARKER_PREFIX = "\u001e[facet-ide]";

/** How the activity markers name the draft's code (its isolate is its own, see server/supervisor/loader.ts). */
export const DRAFT_MARK = ":draft";

/**
 * The worker's variable that holds the address of the launcher's verdict desk,
 * `http://127.0.0.1:<port>/<secret>` (a secret made for each launch). Empty when no launcher runs
 * the runtime (wrangler.jsonc, deployed, tests).
 */
export const LAUNCHER_VARIABLE = "FACET_IDE_LAUNCHER";

/**
 * The desk's routes, under its address: `GET /verdicts` lists the pending verdicts (all, or one
 * project's with `?project=<id>`), as `{ verdicts: Verdict[] }`; `POST /verdicts/<id>/applied`
 * with `{ lines: string[] }` says the runtime recorded one (the lines are for the launcher to print).
 */
export const VERDICTS_PATH = "/verdicts";
export const APPLIED_SUFFIX = "/applied";

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

/** Text for the host terminal: project names and request paths never carry control characters to it. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
export const printable = (text) => String(text).replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
