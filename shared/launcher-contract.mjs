/**
 * What the launcher (scripts/launcher.mjs, plain Node, under `npm start` and `npm run dev`) and the
 * runtime it supervises (server/) say to each other, in one place both import. Plain JavaScript,
 * with types in launcher-contract.d.mts, so that Node imports it as it is.
 *
 * - **Activity markers**, runtime to launcher: apps print `<MARKER_PREFIX> enter <tag> <project>
 *   <code> <what> <detail>` and `<MARKER_PREFIX> leave <tag> <project> <code>` on the runtime's output
 *   (server/app-runtime/guard.ts); the launcher reads them (scripts/activity-markers.mjs) to tell
 *   whose code was running when the runtime froze or crashed. The tag is an HMAC of the project and
 *   the code ID under a key the launcher makes for each launch (MARKER_KEY_VARIABLE): the supervisor
 *   derives it for each load and the guard keeps it where the app's code cannot read it, so a line an
 *   app prints can never pass for another project's marker (at most for its own).
 * - **Verdicts**, launcher to runtime: after a freeze or a crash the launcher keeps a verdict (whose
 *   code, doing what) and the restarted runtime fetches it from the launcher's verdict desk
 *   (scripts/hung-marker.mjs) before the project serves anything; the project's supervisor records
 *   it in its own tables (server/supervisor/verdicts.ts) and reports back. docs/launcher.md tells why.
 *
 * Deployed there is no launcher: LAUNCHER_VARIABLE is empty and none of this runs.
 */

/** Starts every activity marker line; the launcher reads these lines and does not show them. */
export const MARKER_PREFIX = "\u001e[facet-ide]";

/**
 * The worker's variable that holds the launcher's marker key (64 hex digits, made for each launch):
 * activity markers are printed only when it holds one. Empty without a launcher. Never in an app's env.
 */
export const MARKER_KEY_VARIABLE = "FACET_IDE_ACTIVITY_MARKERS";

/** Whether `value` is a marker key (32 bytes in hex). */
export const isMarkerKey = (value) => typeof value === "string" && /^[0-9a-f]{64}$/.test(value);

/** What a marker's tag signs: the project and the code ID, on lines of their own. */
export const markerTagMessage = (projectId, codeId) => `${projectId}\n${codeId}`;

/** The hex digits of a tag: the first 128 bits of HMAC-SHA-256. */
export const MARKER_TAG_LENGTH = 32;

/**
 * The tag of the markers of `projectId`'s code `codeId` under `key` (a marker key): the runtime's
 * side (Web Crypto, in workerd and in Node alike; the launcher checks with node:crypto).
 */
export async function markerTag(key, projectId, codeId) {
  return (await hmacHex(key, markerTagMessage(projectId, codeId))).slice(0, MARKER_TAG_LENGTH);
}

/** HMAC-SHA-256 of `message` under `key` (a marker key), in hex: Web Crypto, in workerd and in Node alike. */
async function hmacHex(key, message) {
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = Number.parseInt(key.slice(2 * i, 2 * i + 2), 16);
  const hmac = await crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const signed = new Uint8Array(await crypto.subtle.sign("HMAC", hmac, new TextEncoder().encode(message)));
  return Array.from(signed, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The worker's variable that, set to "1" with a marker key, turns printed markers into beacons: each
 * app isolate keeps its marker in memory (a few bytes written as its code starts and stops, nothing
 * printed), and the launcher reads workerd's memory only after a freeze (scripts/beacons.mjs). A turn
 * that runs long still prints its `enter`, so a crash in it is blamed as before; a crash nobody
 * could be blamed for makes the launcher go back to printed markers. Empty: markers are printed.
 */
export const MARKER_BEACONS_VARIABLE = "FACET_IDE_ACTIVITY_BEACONS";

/**
 * A beacon, as the guard lays it out in an ArrayBuffer of its own (off V8's heap, so it never moves):
 * BEACON_MAGIC_BYTES bytes of magic (derived from the launch's key, so no app can make one the
 * launcher takes for a beacon), one byte of state (1 while the isolate runs code), then the marker's
 * text `<tag> <project> <code> <what> <detail>` in UTF-8, ended by a zero byte.
 */
export const BEACON_BYTES = 512;
export const BEACON_MAGIC_BYTES = 16;
export const BEACON_STATE_AT = BEACON_MAGIC_BYTES;
export const BEACON_TEXT_AT = BEACON_MAGIC_BYTES + 1;

/** What a launch's beacon magic signs (under its marker key). */
export const BEACON_MAGIC_MESSAGE = "facet-ide activity beacon";

/** The beacons' magic under `key` (a marker key), in hex (Web Crypto: the runtime and the launcher alike). */
export async function beaconMagic(key) {
  return (await hmacHex(key, BEACON_MAGIC_MESSAGE)).slice(0, 2 * BEACON_MAGIC_BYTES);
}

/** How the activity markers name the draft's code (its isolate is its own, see server/supervisor/loader.ts). */
export const DRAFT_MARK = ":draft";

/**
 * The worker's variable that holds the address of the launcher's verdict desk,
 * `http://127.0.0.1:<port>/<secret>` (a secret made for each launch). Empty when no launcher runs
 * the runtime (wrangler.jsonc, deployed, tests).
 */
export const LAUNCHER_VARIABLE = "FACET_IDE_LAUNCHER";

/**
 * The worker's variable naming the npm registry apps' packages come from (docs/packages.md). Both
 * local modes pass the shell's on, as npm reads it: NPM_CONFIG_REGISTRY, or npm_config_registry,
 * which npm itself sets for `npm start` from its config (.npmrc included). Empty: registry.npmjs.org.
 */
export const REGISTRY_VARIABLE = "NPM_CONFIG_REGISTRY";

/**
 * @param {Record<string, string | undefined>} env
 * @returns {string}
 */
export function registryFrom(env) {
  return env.NPM_CONFIG_REGISTRY ?? env.npm_config_registry ?? "";
}

/**
 * The desk's routes, under its address: `GET /verdicts` lists the pending verdicts (all, or one
 * project's with `?project=<id>`), as `{ verdicts: Verdict[] }`; `POST /verdicts/<id>/applied`
 * with `{ lines: string[] }` says the runtime recorded one (the lines are for the launcher to print).
 */
export const VERDICTS_PATH = "/verdicts";
export const APPLIED_SUFFIX = "/applied";

/**
 * The data folder's routes on the same desk (scripts/data-folder.mjs): `GET /objects/<Class>/<id>`
 * answers `{ stored: boolean }`, whether that Durable Object (its ID in hex) has storage in the data
 * folder, so the runtime can refuse an unknown project without making its storage;
 * `GET /data-folder` answers `{ bytes: number, ceiling: number }`, what the data folder holds and
 * the operator's ceiling on it.
 */
export const OBJECTS_PATH = "/objects";
export const DATA_FOLDER_PATH = "/data-folder";

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
    case "listener":
      // An event listener or on<event> handler (a function of the app's, or a native one).
      return `in a "${detail}" event listener`;
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

/**
 * Text the runtime printed, for the host terminal (the launcher's own code, outside every app's
 * isolate): control characters made visible as server/app-runtime/logs/terminal-text.ts does (C0 and
 * DEL in caret notation, C1 and bidi overrides as `<U+XXXX>`; tabs and line feeds stay, CRLF becomes
 * LF), so nothing an app prints changes the terminal's title or colours or draws a link.
 */
export function hostTerminalText(text) {
  let out = "";
  const s = String(text);
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code === 9 || code === 10) out += s[i];
    else if (code === 13 && s.charCodeAt(i + 1) === 10) continue;
    else if (code < 0x20) out += `^${String.fromCharCode(code + 0x40)}`;
    else if (code === 0x7f) out += "^?";
    else if ((code >= 0x80 && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069))
      out += `<U+${code.toString(16).toUpperCase().padStart(4, "0")}>`;
    else out += s[i];
  }
  // The launcher's own lines start with "[facet-ide]" (coloured): one the runtime printed (an app's
  // console.log of a fake verdict) says where it came from.
  return out.replace(LAUNCHER_LINE, "$1(printed by the runtime) [facet-ide]");
}
const LAUNCHER_LINE = /(^|\n)[ \t]*\[facet-ide\]/g;

/** Text for the host terminal: project names and request paths never carry control characters to it. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
export const printable = (text) => String(text).replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
