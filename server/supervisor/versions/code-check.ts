/**
 * Checking code before it goes live or into the draft: which file is main and the content hash that
 * names the code (identify), then compiling it and starting it in a probe without touching what runs
 * (check). A failure is a 422 with diagnostics, also shown in the terminal. Used by the saves
 * (saves.ts, restores.ts) and the draft's (time-travel/drafts.ts), through CodeSaves.
 * Tables: none.
 */
import type { Diagnostic } from "../../../shared/api";
import type { NewLogEntry } from "../../../shared/logs";
import type { PackageLock } from "../../../shared/packages";
import { configFileOf, readProjectConfig } from "../../../shared/project-config";
import { failure, type Outcome, success } from "../../outcome";
import { saveWarnings } from "../app-host/app-model";
import { type CompiledApp, compileProject } from "../app-host/compile/compile";
import { type Bundler, type CompiledPackages, MANIFEST_FILE, NO_PACKAGES } from "../app-host/compile/packages";
import { contentHash } from "./hashing";
import type { SupervisorStore } from "./store";

/** What identifies code: its main module, its content hash, and the code ID the loader caches it by. */
export interface CodeIdentity {
  main: string;
  contentHash: string;
  codeId: string;
}

/** Code that compiled and started in a probe: ready to go live (or into the draft). */
export interface CheckedCode {
  codeId: string;
  contentHash: string;
  main: string;
  files: Record<string, string>;
  warnings: Diagnostic[];
  startupLogs: unknown;
  /** The label the version is saved with (write_code's message, a promoted draft's). */
  message?: string | null;
  /** Its npm packages: the lock the version keeps, and what the save answers about them. */
  packages: CompiledPackages;
}

/** The loader (app-host/loader.ts): starts new code in a probe, without touching what runs. */
export interface CodeProbe {
  probe(
    codeId: string,
    compiled: CompiledApp,
    main: string,
    files: Record<string, string>,
    draft?: boolean,
  ): Promise<{ diagnostics: Diagnostic[]; startupLogs: unknown }>;
  /** Installs the packages a compile imports, keeping `lock` where it fits (server/packages/bundler.ts). */
  bundler(lock: PackageLock | null): Bundler;
}

/** The main module and content hash of `files` (main: as asked, else app.ts, else the only file). */
export async function identifyCode(
  store: SupervisorStore,
  files: Record<string, string>,
  requestedMain: string | undefined,
): Promise<Outcome<CodeIdentity>> {
  const project = store.project;
  if (!project) return failure("not_found", "No such project");
  const names = Object.keys(files);
  // A Worker project's configuration names its main module; one that cannot be read is reported
  // by the compile step, with where in the file.
  const configFile = configFileOf(files);
  const read = configFile ? readProjectConfig(files, requestedMain) : null;
  const configured = read?.ok ? read.config?.main : (configFile ?? undefined);
  const main =
    configured ?? requestedMain ?? (names.includes("app.ts") ? "app.ts" : names.length === 1 ? names[0] : undefined);
  if (!main || !Object.hasOwn(files, main)) {
    return failure("bad_request", main ? `main '${main}' is not one of the files` : "say which file is main");
  }
  if (!configFile && !/\.(ts|js|mjs)$/.test(main)) return failure("bad_request", "main must be a .ts or .js file");
  const hash = await contentHash({ main, files });
  return success({ main, contentHash: hash, codeId: `${project.id}:${hash.slice(0, 32)}` });
}

/**
 * Compiles and probes code without touching what runs. A failure is a 422 with diagnostics, also
 * shown in the terminal through `record` (`marks` marks the line, as the draft's for a draft save).
 */
export async function checkCode(
  loader: CodeProbe,
  record: (entries: NewLogEntry[]) => void,
  files: Record<string, string>,
  identity: CodeIdentity,
  marks: { version: number | null; draft?: number },
  lock: PackageLock | null,
): Promise<Outcome<CheckedCode>> {
  const { main, codeId } = identity;
  const compiled = await compileProject(files, main, loader.bundler(lock));
  const draft = marks.draft !== undefined;
  const { diagnostics, startupLogs } = compiled.ok
    ? await loader.probe(codeId, compiled, main, files, draft)
    : { diagnostics: compiled.diagnostics, startupLogs: [] };
  if (diagnostics.length > 0) {
    const first = diagnostics[0];
    const message = `${first?.file}:${first?.line}:${first?.column} ${first?.message}`;
    record([{ kind: "save-error", at: Date.now(), ...marks, message, diagnostics }]);
    const code = !compiled.ok && compiled.packageError ? "package_error" : "compile_error";
    return failure(code, `The code was not deployed: ${message}`, { diagnostics });
  }
  const packages = compiled.ok ? compiled.packages : NO_PACKAGES;
  const warnings = [...saveWarnings(files, main), ...packageWarnings(files, packages)];
  return success({ ...identity, files, warnings, startupLogs, packages });
}

/** A package warning as the save's warnings carry them: at package.json (or main when there is none). */
function packageWarnings(files: Record<string, string>, packages: CompiledPackages): Diagnostic[] {
  const file = Object.hasOwn(files, MANIFEST_FILE) ? MANIFEST_FILE : (Object.keys(files)[0] ?? MANIFEST_FILE);
  return packages.warnings.map((message) => ({ file, line: 1, column: 1, message }));
}
