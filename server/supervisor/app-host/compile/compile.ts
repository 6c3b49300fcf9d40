/**
 * Turns a project's source files into the modules the Worker Loader runs.
 *
 * Each file is transpiled on its own with sucrase (type stripping only, which keeps line numbers, so
 * stack traces point at the user's lines). Relative imports are resolved the way TypeScript code is
 * written (extensionless, `.js` for a `.ts` file, `index` files, JSON) and rewritten to the module
 * names the loader sees. Each load adds the app's runtime (server/app-runtime/, runtime-modules.ts),
 * whose wrapper becomes the main module: it exports the user's class as `App` with the IDE's methods
 * added, and answers a start-up probe.
 *
 * Why sucrase and not @cloudflare/worker-bundler: the bundler ships esbuild-wasm and the TypeScript
 * VFS inside the deployed worker (megabytes) to do what a per-file type strip plus import rewriting
 * does here. One file's compilation, and the cache of those, is compile-file.ts's. npm packages are modules of their own, resolved and rewritten the same way by the
 * package cache (compile/packages.ts, server/packages/, docs/packages.md).
 */
import type { Diagnostic } from "../../../../shared/api";
import { messageOf } from "../../../../shared/errors";
import { type ProjectConfig, readProjectConfig } from "../../../../shared/project-config";
import { lineColumnAt } from "../../../../shared/source-position";
import { MAIN_MODULE } from "../../../app-runtime/protocol";
import { type LoadOptions, runtimeModules } from "../runtime-modules";
import { type CompiledFile, compiledFiles, compileFile } from "./compile-file";
import { moduleNameOf, resolveRelative } from "./imports";
import { type ActiveRule, moduleRules, ruleFor, ruleModule } from "./module-rules";
import { type BareImport, type Bundler, bundlePackages, type CompiledPackages } from "./packages";
import { readTsSettings } from "./tsconfig";

export { lineColumnAt, resolveRelative };

export type LoaderModules = Record<string, string | WorkerLoaderModule>;
/** What the loader needs besides env and sandboxing. */
export type LoadableCode = { mainModule: string; modules: LoaderModules; compatibilityFlags: string[] };
/**
 * The user's modules, transpiled and guarded; `loadable` adds the IDE's own for one load. `config`: a
 * Worker project's configuration (null for an App project), which the loader's env follows.
 */
export type CompiledApp = {
  ok: true;
  main: string;
  modules: LoaderModules;
  compatibilityFlags: string[];
  config: ProjectConfig | null;
  /** The npm packages bundled (none: an empty lock). */
  packages: CompiledPackages;
};
/** `packageError`: the code failed on its packages (installing or resolving them), not on itself. */
export type CompileResult = CompiledApp | { ok: false; diagnostics: Diagnostic[]; packageError?: boolean };

export type { LoadOptions };

/**
 * nodejs_als gives the wrapper AsyncLocalStorage, far cheaper than nodejs_compat. Since the
 * 2026-08-04 compatibility date nodejs_compat is on by default, and it makes every new isolate slower
 * to load (a save's probe waits for it; the bench's save scenario shows it), so apps that import no
 * node:* module opt out.
 */
export const WRAPPER_COMPAT_FLAGS = ["nodejs_als", "no_nodejs_compat"];

/**
 * The compiled app with the IDE's modules for one load (runtime-modules.ts): the app's runtime, and as
 * main the wrapper around the App, or for a Worker project the Worker's main module, its namespaces'
 * runtime and a wrapper around each bound class.
 */
export function loadable(compiled: CompiledApp, options: LoadOptions): LoadableCode {
  const modules: LoaderModules = {
    ...compiled.modules,
    ...runtimeModules(moduleNameOf(compiled.main), compiled.config, options),
  };
  return { mainModule: MAIN_MODULE, modules, compatibilityFlags: compiled.compatibilityFlags };
}

/**
 * Compiles a project. `bundler` installs the packages its code imports (compile/packages.ts); without
 * one, a bare import is refused.
 */
export async function compileProject(
  files: Record<string, string>,
  requestedMain: string,
  bundler: Bundler | null = null,
): Promise<CompileResult> {
  // A Worker project (one with a wrangler.jsonc) names its main module and classes there.
  const read = readProjectConfig(files, requestedMain);
  if (!read.ok) return { ok: false, diagnostics: read.diagnostics };
  const { config } = read;
  const ts = readTsSettings(files);
  if (!ts.ok) return { ok: false, diagnostics: ts.diagnostics };
  const settings = ts.value;
  const main = config?.main ?? requestedMain;
  const diagnostics: Diagnostic[] = [];
  const modules: LoaderModules = {};
  let usesNode = false;
  const bare: BareImport[] = [];
  const byModuleName = new Map<string, string>();
  const rules = moduleRules(config);
  // How a file's imports resolve depends on which files exist and on the rules, not on what the others contain.
  const fileNames = `${Object.keys(files).sort().join("\n")}\0${main}\0${JSON.stringify([config?.rules ?? [], settings])}`;
  const importsOf = new Map<string, CompiledFile>();
  const ruled = new Map<string, ActiveRule["type"]>();

  for (const file of Object.keys(files)) {
    const name = moduleNameOf(file);
    const clash = byModuleName.get(name);
    if (clash) {
      diagnostics.push({ file, line: 1, column: 1, message: `${file} and ${clash} would both load as ${name}` });
    }
    byModuleName.set(name, file);
  }

  for (const [file, source] of Object.entries(files)) {
    if (!isModuleFile(file, config)) continue;
    if (file.endsWith(".json")) {
      try {
        modules[moduleNameOf(file)] = { json: JSON.parse(source) };
      } catch (error) {
        diagnostics.push({ file, line: 1, column: 1, message: `Invalid JSON: ${messageOf(error)}` });
      }
      continue;
    }
    const compiled = compiledFiles.get(file, source, fileNames, () =>
      compileFile(file, source, files, (target) => ruleFor(target, main, rules), settings),
    );
    importsOf.set(file, compiled);
    for (const [target, type] of compiled.ruled) ruled.set(target, type);
    usesNode ||= compiled.usesNode;
    diagnostics.push(...compiled.diagnostics);
    if (compiled.code !== null) modules[moduleNameOf(file)] = { js: compiled.code };
  }

  // Files imported through a module rule (wrangler's defaults or the project's rules).
  for (const [file, type] of ruled) {
    const module = ruleModule(type, files[file] ?? "");
    if (module) modules[moduleNameOf(file)] = module;
  }

  if (diagnostics.length > 0) return { ok: false, diagnostics };
  // Packages are installed for the files main reaches; a file it does not (client-side code kept in
  // the project, a script) stays in the project but is not loaded when it imports packages.
  const reached = reachable(main, importsOf);
  for (const [file, compiled] of importsOf) {
    if (reached.has(file)) bare.push(...compiled.bare);
    else if (compiled.bare.length > 0) delete modules[moduleNameOf(file)];
  }
  const nodeCompat = usesNode || (config?.compatibilityFlags.includes("nodejs_compat") ?? false);
  const packages = await bundlePackages(files, bare, nodeCompat, bundler, modules);
  if (!packages.ok) return { ok: false, diagnostics: packages.diagnostics, packageError: true };
  usesNode ||= packages.value.usesNode;
  // nodejs_compat costs every new isolate load time and memory (see WRAPPER_COMPAT_FLAGS),
  // so only apps that import node:* modules get it; the others opt out of its default-on date.
  return {
    ok: true,
    main,
    modules,
    compatibilityFlags: usesNode ? ["nodejs_compat"] : WRAPPER_COMPAT_FLAGS,
    config,
    packages: packages.value.compiled,
  };
}

/**
 * Whether a project file is one of the app's modules: source and JSON files, less a Worker project's
 * configuration and the files in its assets folder (served as they are, never run by the app).
 */
export function isModuleFile(file: string, config: ProjectConfig | null): boolean {
  if (!/\.(ts|tsx|js|jsx|mjs|json)$/.test(file)) return false;
  // TypeScript's settings (JSONC: comments allowed), read by tsconfig.ts, not loaded.
  if (/(^|\/)tsconfig[\w.-]*\.json$/.test(file)) return false;
  if (!config) return true;
  if (file === config.file) return false;
  const assets = config.assets?.directory;
  return !(assets && file.startsWith(`${assets}/`));
}

/** The files `main` imports, directly or not (itself included). */
function reachable(main: string, compiled: Map<string, CompiledFile>): Set<string> {
  const seen = new Set([main]);
  const queue = [main];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const target of compiled.get(file)?.imports ?? []) {
      if (seen.has(target)) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  return seen;
}
