/** Starts every activity marker line; the launcher reads these lines and does not show them. */
export declare const MARKER_PREFIX: string;
/** The worker's variable that holds the launcher's marker key (see launcher-contract.mjs). */
export declare const MARKER_KEY_VARIABLE: "FACET_IDE_ACTIVITY_MARKERS";
/** Whether `value` is a marker key (32 bytes in hex). */
export function isMarkerKey(value: unknown): value is string;
/** What a marker's tag signs. */
export function markerTagMessage(projectId: string, codeId: string): string;
/** The hex digits of a tag. */
export declare const MARKER_TAG_LENGTH: number;
/** The tag of `projectId`'s code `codeId` under the marker key `key` (Web Crypto). */
export function markerTag(key: string, projectId: string, codeId: string): Promise<string>;
/** The worker's variable that turns printed markers into beacons ("1"; see launcher-contract.mjs). */
export declare const MARKER_BEACONS_VARIABLE: "FACET_IDE_ACTIVITY_BEACONS";
/** A beacon's layout (see launcher-contract.mjs). */
export declare const BEACON_BYTES: number;
export declare const BEACON_MAGIC_BYTES: number;
export declare const BEACON_STATE_AT: number;
export declare const BEACON_TEXT_AT: number;
export declare const BEACON_MAGIC_MESSAGE: string;
/** The beacons' magic under the marker key `key`, in hex (Web Crypto). */
export function beaconMagic(key: string): Promise<string>;
/** Text the runtime printed, with control characters made visible, for the host terminal. */
export function hostTerminalText(text: unknown): string;
/** How the activity markers name the draft's code. */
export declare const DRAFT_MARK: string;
/** The worker's variable that holds the address of the launcher's verdict desk ("" without a launcher). */
export declare const LAUNCHER_VARIABLE: "FACET_IDE_LAUNCHER";
/** The worker's variable naming the npm registry (see launcher-contract.mjs). */
export declare const REGISTRY_VARIABLE: "NPM_CONFIG_REGISTRY";
/** The registry the shell names (NPM_CONFIG_REGISTRY, else npm's npm_config_registry), "" for none. */
export declare function registryFrom(env: Record<string, string | undefined>): string;
/** The desk's routes (see launcher-contract.mjs). */
export declare const VERDICTS_PATH: string;
export declare const APPLIED_SUFFIX: string;
/** The data folder's routes on the desk (see launcher-contract.mjs). */
export declare const OBJECTS_PATH: string;
export declare const DATA_FOLDER_PATH: string;

/**
 * Whose code froze or crashed the runtime, as the launcher judged it from the last activity marker:
 * the restarted runtime records it once (by `id`) in the project's supervisor.
 */
export interface Verdict {
  id: string;
  /** When the launcher judged it (ms since the epoch). */
  at: number;
  how: "froze" | "crashed";
  projectId: string;
  /** The code's ID as the marker named it (the draft's ends with DRAFT_MARK). */
  codeId: string;
  what: string;
  detail: string;
}

/** What started the code that was running, in words ("on GET /x", "in a setTimeout callback"). */
export function describeActivity(activity: { what: string; detail: string }): string;
/** `text` with control characters replaced by `?`, for the terminal that runs the server. */
export function printable(text: unknown): string;
