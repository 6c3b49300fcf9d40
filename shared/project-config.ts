/**
 * A Worker project's configuration (wrangler.jsonc, .json or .toml) read and checked: what the
 * supervisor runs the project with (its main module, vars, Durable Object bindings and classes,
 * module rules, assets), what it cannot use (diagnostics, the save is refused) and what it ignores
 * (warnings). The file's accepted shape is wrangler-schema.ts's; parsing is config-files.ts's.
 */

import { parseJsoncConfig, parseTomlConfig } from "./config-files";
import type { Diagnostic } from "./diagnostics";
import { envVarNameProblem } from "./identifiers";
import { classesOf, RawConfig, UNSUPPORTED_BINDINGS } from "./wrangler-schema";

/** The files a project's configuration may be in, in the order wrangler looks for them. */
export const CONFIG_FILES = ["wrangler.jsonc", "wrangler.json", "wrangler.toml"] as const;

export interface NamespaceBinding {
  /** The name in `env` (`FLIGHT`). */
  name: string;
  /** The exported class each object of the namespace runs (`Flight`). */
  className: string;
}

export interface AssetsConfig {
  /** The folder, relative to the project's root, without a trailing slash ("public"). */
  directory: string;
  /** `env` name of a binding whose fetch() serves the assets, if the config asks for one. */
  binding: string | null;
  htmlHandling: "auto-trailing-slash" | "force-trailing-slash" | "drop-trailing-slash" | "none";
  notFoundHandling: "none" | "404-page" | "single-page-application";
  /** Requests go to the Worker first (it may call the binding); else a matching file is answered first. */
  runWorkerFirst: boolean;
}

/** A module rule (wrangler's `rules`): files matching `globs` are imported as `type`. */
export interface ModuleRule {
  type: "ESModule" | "Text" | "Data" | "CompiledWasm";
  globs: string[];
  fallthrough: boolean;
}

/** What a Worker project's configuration says, once read and checked. */
export interface ProjectConfig {
  /** The configuration's file name. */
  file: string;
  /** The main module, a project file. */
  main: string;
  /** `vars`, as their JSON values (Cloudflare passes them so: strings stay strings). */
  vars: Record<string, unknown>;
  bindings: NamespaceBinding[];
  /** The project's own module rules (`rules`), in order; wrangler's defaults follow them (compile.ts). */
  rules: ModuleRule[];
  /**
   * Every Durable Object class: those the bindings name, then those the migrations create (and do not
   * delete), bound or not; each is reachable as `ctx.exports.<Class>` when main exports it, as on Cloudflare.
   */
  classes: string[];
  assets: AssetsConfig | null;
  /** `compatibility_flags`: packages' bare Node built-ins need nodejs_compat among them (docs/packages.md). */
  compatibilityFlags: string[];
}

export type ConfigResult =
  | { ok: true; config: ProjectConfig | null; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

/** The project's configuration file, if it has one (wrangler's order). */
export function configFileOf(files: Record<string, string>): string | null {
  return CONFIG_FILES.find((name) => Object.hasOwn(files, name)) ?? null;
}

/**
 * Reads the project's configuration. `config` is null for a project without one (an App project).
 * A configuration that cannot be used is a list of diagnostics; one that can, with parts a project
 * here ignores, comes with warnings.
 *
 * `savedMain`: the main module a save names, used when the configuration names none (as
 * `wrangler dev src/index.ts` runs a config without `main`).
 */
export function readProjectConfig(files: Record<string, string>, savedMain?: string): ConfigResult {
  const file = configFileOf(files);
  if (file === null) return { ok: true, config: null, warnings: [] };
  const source = files[file] ?? "";
  const parsed = file.endsWith(".toml") ? parseTomlConfig(file, source) : parseJsoncConfig(file, source);
  if (!parsed.ok) return parsed;
  const { value, locate } = parsed;
  const checked = RawConfig.safeParse(value);
  if (!checked.success) {
    return {
      ok: false,
      diagnostics: checked.error.issues.map((issue) => ({
        file,
        ...locate(issue.path.map((p) => (typeof p === "number" ? p : String(p)))),
        message: `${issue.path.join(".") || "the configuration"}: ${issue.message}`,
      })),
    };
  }
  const raw = checked.data;
  const diagnostics: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const at = (path: (string | number)[]) => ({ file, ...locate(path) });

  const named = raw.main ?? (savedMain && savedMain !== file ? savedMain : undefined);
  const main = normalizePath(named ?? "");
  if (!named) {
    diagnostics.push({
      ...at([]),
      message: `${file} needs "main": the module whose default export handles the app's requests (for example "src/index.ts")`,
    });
  } else if (!Object.hasOwn(files, main)) {
    diagnostics.push({ ...at(["main"]), message: `main "${named}" is not one of the project's files` });
  } else if (!/\.(ts|tsx|js|jsx|mjs)$/.test(main)) {
    diagnostics.push({ ...at(["main"]), message: `main "${named}" must be a .ts, .js or .mjs file` });
  }

  const bindings: NamespaceBinding[] = [];
  const seen = new Set<string>();
  (raw.durable_objects?.bindings ?? []).forEach((b, i) => {
    if (b.script_name !== undefined) {
      diagnostics.push({
        ...at(["durable_objects", "bindings", i, "script_name"]),
        message: `binding ${b.name}: script_name names another Worker's class; a project here runs its own classes only (remove script_name and export ${b.class_name} from main)`,
      });
      return;
    }
    if (seen.has(b.name)) {
      diagnostics.push({
        ...at(["durable_objects", "bindings", i, "name"]),
        message: `binding ${b.name} is declared twice`,
      });
      return;
    }
    seen.add(b.name);
    bindings.push({ name: b.name, className: b.class_name });
  });

  const vars = raw.vars ?? {};
  for (const name of Object.keys(vars)) {
    const problem = envVarNameProblem(name);
    if (problem) {
      diagnostics.push({
        ...at(["vars", name]),
        message: `vars: "${name}" is not a name env can carry here: ${problem}`,
      });
    } else if (seen.has(name)) {
      diagnostics.push({ ...at(["vars", name]), message: `vars: ${name} is also a Durable Object binding` });
    }
  }

  let assets: AssetsConfig | null = null;
  if (raw.assets) {
    const directory = normalizePath(raw.assets.directory ?? "").replace(/\/+$/, "");
    if (!directory) {
      if (raw.assets.binding === undefined) {
        warnings.push({ ...at(["assets"]), message: "assets: no directory, so no files are served" });
      }
    } else if (!Object.keys(files).some((f) => f.startsWith(`${directory}/`))) {
      warnings.push({
        ...at(["assets", "directory"]),
        message: `assets: no project file is in "${directory}/", so none is served (add ${directory}/index.html, say)`,
      });
    }
    assets = {
      directory,
      binding: raw.assets.binding ?? null,
      htmlHandling: raw.assets.html_handling ?? "auto-trailing-slash",
      notFoundHandling: raw.assets.not_found_handling ?? "none",
      runWorkerFirst: raw.assets.run_worker_first === true,
    };
    if (assets.binding && (seen.has(assets.binding) || Object.hasOwn(vars, assets.binding))) {
      diagnostics.push({ ...at(["assets", "binding"]), message: `assets.binding ${assets.binding} is already in env` });
    }
    if (Array.isArray(raw.assets.run_worker_first)) {
      warnings.push({
        ...at(["assets", "run_worker_first"]),
        message: "assets.run_worker_first as a list of patterns is not supported here: matching files are served first",
      });
    }
  }

  for (const [key, what] of Object.entries(UNSUPPORTED_BINDINGS)) {
    if (!(key in raw)) continue;
    warnings.push({
      ...at([key]),
      message: `${key}: ${what} are not available to apps here (no network, no other Cloudflare resources); env will not have them`,
    });
  }

  const rules: ModuleRule[] = [];
  (raw.rules ?? []).forEach((rule, i) => {
    const { type } = rule;
    if (type === "CommonJS" || type === "PythonModule" || type === "PythonRequirement") {
      diagnostics.push({
        ...at(["rules", i, "type"]),
        message: `rules: type ${type} is not supported here (ES modules, Text, Data and CompiledWasm are)`,
      });
      return;
    }
    rules.push({ type, globs: rule.globs, fallthrough: rule.fallthrough === true });
  });

  if ("exports" in raw) {
    warnings.push({
      ...at(["exports"]),
      message:
        "exports: not read here; ctx.exports has default and a Durable Object namespace for each Durable Object class main exports (bound in durable_objects.bindings or created by migrations)",
    });
  }

  if (diagnostics.length > 0) return { ok: false, diagnostics };
  return {
    ok: true,
    config: {
      file,
      main,
      vars,
      bindings,
      classes: classesOf(
        bindings.map((b) => b.className),
        raw.migrations ?? [],
      ),
      rules,
      assets,
      compatibilityFlags: raw.compatibility_flags ?? [],
    },
    warnings,
  };
}

/** "./src/index.ts" -> "src/index.ts" (wrangler resolves main relative to the configuration's folder). */
function normalizePath(path: string): string {
  return path.replace(/^(\.\/)+/, "");
}

/**
 * A version's files and configuration, read once per version: every request of a Worker project
 * needs its configuration, and reading a version's files parses them from the store.
 */
export class VersionCode {
  #key: string | null = null;
  #value: { files: Record<string, string>; config: ProjectConfig | null } = { files: {}, config: null };

  /**
   * `key` names the version ("v7", "draft r2"); `load` gives its files (null: none yet) and the main
   * module it was saved with (for a configuration that names none).
   */
  get(
    key: string,
    load: () => { files: Record<string, string>; main?: string } | null,
  ): { files: Record<string, string>; config: ProjectConfig | null } {
    if (key !== this.#key) {
      const loaded = load();
      const files = loaded?.files ?? {};
      const read = readProjectConfig(files, loaded?.main);
      this.#value = { files, config: read.ok ? read.config : null };
      this.#key = key;
    }
    return this.#value;
  }
}
