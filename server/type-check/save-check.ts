/**
 * The type check of a save: started with the compile and probe so the app goes live as fast as
 * without it, awaited by the save's answer up to TYPE_CHECK_WAIT_MS from the save's start. Found in
 * time, the diagnostics join the answer's warnings (and the terminal's `type-check` line, written only
 * when there are some); later, they reach the terminal and the editor as a `type-check` line of the
 * version. Either way they are warnings: the version is live.
 *
 * Reached by the saves (versions/saves.ts) through `SaveTypeChecks.start`; holds no table.
 */
import type { Diagnostic } from "../../shared/diagnostics";
import type { NewLogEntry } from "../../shared/logs";
import type { PackageLock } from "../../shared/packages";
import { configFileOf, readProjectConfig } from "../../shared/project-config";
import {
  envDeclaration,
  PROJECT_GLOBALS,
  TYPE_CHECK_MAX_SOURCE_BYTES,
  TYPE_CHECK_WAIT_MS,
  type TypeCheckState,
} from "../../shared/type-check";
import type { TypeCheckInput } from "./type-checker";

/** What the save's type check needs, each narrow (given by the supervisor's wiring). */
export interface SaveTypeCheckParts {
  /** The checker (type-checker.ts), or null when FACET_IDE_TYPE_CHECK is "off". */
  checker: { check(input: TypeCheckInput): Promise<Diagnostic[]> } | null;
  projectId(): string;
  /** The names of the project's variables and secrets (they type `env`). */
  envNames(): string[];
  /** The declaration files of the packages of a lock (server/packages/type-files.ts). */
  typeFiles(lock: PackageLock): Promise<Record<string, string>>;
  record(entries: NewLogEntry[]): void;
  now(): number;
  /** Resolves after `ms`: the bound on the answer's wait. */
  sleep(ms: number): Promise<void>;
}

/** The project's globals as the editor declares them (shared/type-check.ts). */
export function projectGlobals(files: Record<string, string>, envNames: string[]): string {
  const read = configFileOf(files) ? readProjectConfig(files) : null;
  return `${PROJECT_GLOBALS}\n${envDeclaration(envNames, read?.ok ? read.config : null, "/")}`;
}

/** The terminal's line for a check's outcome. */
export function typeCheckEntry(
  version: number,
  outcome: { diagnostics: Diagnostic[] } | { error: string },
  at: number,
): NewLogEntry {
  if ("error" in outcome) {
    return {
      kind: "type-check",
      level: "warn",
      at,
      version,
      message: `type check failed: ${outcome.error}`,
      diagnostics: [],
    };
  }
  const count = outcome.diagnostics.length;
  const message =
    count === 0
      ? `v${version}: no type errors`
      : `v${version}: ${count} type error${count === 1 ? "" : "s"} (it runs anyway)`;
  return {
    kind: "type-check",
    level: count === 0 ? "info" : "warn",
    at,
    version,
    message,
    diagnostics: outcome.diagnostics,
  };
}

const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** The size of the files TypeScript would read (code, not assets or data). */
function sourceBytes(files: Record<string, string>): number {
  let bytes = 0;
  for (const [name, text] of Object.entries(files)) if (SOURCE_FILE.test(name)) bytes += text.length;
  return bytes;
}

/** The terminal's line for a save whose sources are too large to check. */
function skippedEntry(version: number, bytes: number, at: number): NewLogEntry {
  const kib = (n: number) => `${Math.round(n / 1024)} KiB`;
  return {
    kind: "type-check",
    level: "info",
    at,
    version,
    message: `v${version}: not type-checked: its sources are ${kib(bytes)}, past the check's ${kib(TYPE_CHECK_MAX_SOURCE_BYTES)}`,
    diagnostics: [],
  };
}

/** A check under way, from the save's start. */
export interface PendingTypeCheck {
  /**
   * What the answer carries for `version`: the diagnostics if the check ends within the bound (its
   * terminal line written now), else none and "running" (the line is written when it ends).
   */
  settle(version: number): Promise<{ state: TypeCheckState; diagnostics: Diagnostic[] }>;
}

type Outcome = { diagnostics: Diagnostic[] } | { error: string };

export class SaveTypeChecks {
  #parts: SaveTypeCheckParts;

  constructor(parts: SaveTypeCheckParts) {
    this.#parts = parts;
  }

  /** Checks `files` against the types of the packages `lock` holds. */
  start(files: Record<string, string>, lock: PackageLock): PendingTypeCheck {
    const parts = this.#parts;
    const checker = parts.checker;
    if (!checker) return { settle: async () => ({ state: "off", diagnostics: [] }) };
    const bytes = sourceBytes(files);
    if (bytes > TYPE_CHECK_MAX_SOURCE_BYTES) {
      return {
        settle: async (version) => {
          parts.record([skippedEntry(version, bytes, parts.now())]);
          return { state: "skipped", diagnostics: [] };
        },
      };
    }
    const startedAt = parts.now();
    const outcome: Promise<Outcome> = (async () => {
      const typeFiles = await parts.typeFiles(lock);
      const globals = projectGlobals(files, parts.envNames());
      return { diagnostics: await checker.check({ project: parts.projectId(), files, typeFiles, globals }) };
    })().catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
    return {
      settle: async (version) => {
        const left = Math.max(0, startedAt + TYPE_CHECK_WAIT_MS - parts.now());
        const early = await Promise.race([outcome, parts.sleep(left).then(() => null)]);
        if (early === null) {
          void outcome.then((late) => parts.record([typeCheckEntry(version, late, parts.now())]));
          return { state: "running", diagnostics: [] };
        }
        // On time and clean, the answer says so; a terminal line per save would only repeat it.
        if ("error" in early || early.diagnostics.length > 0) {
          parts.record([typeCheckEntry(version, early, parts.now())]);
        }
        return "error" in early
          ? { state: "failed", diagnostics: [] }
          : { state: "done", diagnostics: early.diagnostics };
      },
    };
  }
}
