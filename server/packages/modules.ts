/**
 * The packages' modules an app loads: from the project's bare imports, the files each package
 * resolves them to (its `exports` with the conditions workerd, worker, browser, import/require and
 * default, else `module`/`main`/`browser`: package-files.ts), and every file those import in turn;
 * nothing a tarball holds beyond what is reached. Each file keeps its code; only its import and
 * `require("…")` string literals change, to the names the loader knows it by (module-names.ts,
 * rewrite.ts). An ES module is loaded as `js`, a CommonJS module as `cjs` (workerd wraps it in a
 * function with `require`, `module` and `exports`), reached from an ES module through a facade that
 * names its exports (facades.ts writes it; cjs-exports.ts finds the names, as Node's cjs-module-lexer
 * does). A `require` or `import()` of a computed name cannot be resolved before the code runs: it
 * fails when it runs, naming the module (the runtime's refused-names.ts, loaded when needed).
 */
import { imports as resolveImports } from "resolve.exports";
import semver from "semver";
import { normalizeModulePath } from "../../shared/module-paths";
import type { LockEntry, PackageLock } from "../../shared/packages";
import refusedNamesText from "../app-runtime/packages/refused-names.ts?app-module";
import { builtinOf, workerdHas } from "./builtins";
import { cjsExports } from "./cjs-exports";
import { cjsFacade, reexportModule } from "./facades";
import {
  entryModuleName,
  facadeModuleName,
  isPackageSpecifier,
  packageModuleName,
  packageNameOf,
} from "./module-names";
import {
  conditionsFor,
  esmHasDefault,
  findFile,
  type ImportKind,
  joinPath,
  kindOf,
  type Located,
  type PackageContents,
  sourceOf,
  subpathCandidates,
} from "./package-files";
import { REFUSED_NAMES_MODULE, rewriteCjs, rewriteEsm } from "./rewrite";
import { PackageError } from "./tarball";

export { type PackageContents, PackageJson } from "./package-files";

/** A module as the loader takes it. */
export type PackageModule = { js: string } | { cjs: string } | { json: unknown } | { text: string };

export interface GraphInput {
  lock: PackageLock;
  /** The project's own ranges (dependencies, then devDependencies), to pick among versions of one name. */
  rootRanges: Record<string, string>;
  /** The bare specifiers the project's code imports (not node:, not cloudflare:). */
  imports: string[];
  /** Whether the project runs with nodejs_compat (bare built-ins need it). */
  nodeCompat: boolean;
  contents(entry: LockEntry): Promise<PackageContents>;
}

export interface Graph {
  modules: Record<string, PackageModule>;
  /** Bare specifier of the project's code → the entry module it loads. */
  entries: Record<string, string>;
  /** The packages whose modules are loaded. */
  used: LockEntry[];
  /** Whether a package module imports a Node built-in (the app then needs nodejs_compat). */
  usesNode: boolean;
}

/** How deep a CommonJS facade follows `module.exports = require(…)` to find names. */
const MAX_REEXPORT_DEPTH = 8;

export async function buildGraph(input: GraphInput): Promise<Graph> {
  return new GraphBuilder(input).build();
}

class GraphBuilder {
  #input: GraphInput;
  #modules: Record<string, PackageModule> = {};
  #contents = new Map<string, Promise<PackageContents>>();
  #used = new Map<string, LockEntry>();
  #usesNode = false;
  #pending: Located[] = [];
  #seen = new Set<string>();
  #facades = new Map<string, Located>();

  constructor(input: GraphInput) {
    this.#input = input;
  }

  async build(): Promise<Graph> {
    const entries: Record<string, string> = {};
    for (const specifier of new Set(this.#input.imports)) {
      if (!isPackageSpecifier(specifier)) {
        throw new PackageError(`Cannot import '${specifier}': not a package name with a path inside it`);
      }
      const name = packageNameOf(specifier);
      const entry = this.#pick(name, this.#input.rootRanges[name], "the project");
      const target = await this.#resolveIn(
        await this.#open(entry),
        specifier,
        "esm",
        `the project's import '${specifier}'`,
      );
      const module = entryModuleName(specifier);
      entries[specifier] = module;
      this.#modules[module] = { js: this.#reexport(module, target) };
    }
    while (this.#pending.length > 0) {
      const next = this.#pending.shift() as Located;
      await this.#process(next);
    }
    for (const [facade, target] of this.#facades) {
      this.#modules[facade] = { js: cjsFacade(facade, target.name, this.#cjsExports(target, 0)) };
    }
    return { modules: this.#modules, entries, used: [...this.#used.values()], usesNode: this.#usesNode };
  }

  /** The locked version of `name` to use for a range (none: the project's, or any locked). */
  #pick(name: string, range: string | undefined, by: string): LockEntry {
    const locked = this.#input.lock.filter((entry) => entry.name === name);
    const fits = range ? locked.filter((entry) => semver.satisfies(entry.version, range)) : [];
    const chosen = fits.at(-1) ?? locked.at(-1);
    if (!chosen) throw new PackageError(`${by} imports '${name}', which is not installed`);
    return chosen;
  }

  #open(entry: LockEntry): Promise<PackageContents> {
    const key = `${entry.name}@${entry.version}`;
    let contents = this.#contents.get(key);
    if (!contents) {
      contents = this.#input.contents(entry);
      this.#contents.set(key, contents);
      this.#used.set(key, entry);
    }
    return contents;
  }

  /** The file `specifier` (bare: `name/sub`) resolves to in `pkg`, queued to be processed. */
  async #resolveIn(pkg: PackageContents, specifier: string, kind: ImportKind, by: string): Promise<Located> {
    const subpath = `.${specifier.slice(pkg.entry.name.length)}`;
    const candidates = subpathCandidates(pkg, subpath, kind, by);
    for (const candidate of candidates) {
      const path = findFile(pkg, normalizeModulePath(candidate));
      if (path !== null) return this.#queue(pkg, path);
    }
    throw new PackageError(
      `${by}: '${specifier}' resolves to ${candidates[0]} in ${pkg.entry.name}@${pkg.entry.version}, which has no such file`,
    );
  }

  #queue(pkg: PackageContents, path: string): Located {
    const located = { pkg, path, name: packageModuleName(pkg.entry.name, pkg.entry.version, path) };
    if (!this.#seen.has(located.name)) {
      this.#seen.add(located.name);
      this.#pending.push(located);
    }
    return located;
  }

  /** The module `specifier` names from `from` (relative, `#import`, bare package, built-in). */
  #resolveFrom = async (from: Located, specifier: string, kind: ImportKind): Promise<string> => {
    const by = `${from.pkg.entry.name}@${from.pkg.entry.version} (${from.path})`;
    if (specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === "..") {
      const joined = joinPath(from.path, specifier);
      const path = findFile(from.pkg, joined);
      if (path === null) throw new PackageError(`${by} imports '${specifier}', which is not in the package`);
      return this.#moduleFor(kind, this.#queue(from.pkg, path));
    }
    if (specifier.startsWith("#")) {
      let targets: string[] = [];
      try {
        targets =
          resolveImports(from.pkg.manifest, specifier, {
            unsafe: true,
            conditions: conditionsFor(kind),
          }) ?? [];
      } catch {}
      const first = targets[0];
      if (!first) throw new PackageError(`${by} imports '${specifier}', which its package.json "imports" does not map`);
      if (!first.startsWith("./")) return this.#resolveFrom(from, first, kind);
      const path = findFile(from.pkg, normalizeModulePath(first));
      if (path === null) throw new PackageError(`${by} imports '${specifier}' (${first}), which is not in the package`);
      return this.#moduleFor(kind, this.#queue(from.pkg, path));
    }
    if (specifier.startsWith("cloudflare:")) return specifier;
    const deps = {
      ...from.pkg.manifest.peerDependencies,
      ...from.pkg.manifest.optionalDependencies,
      ...from.pkg.manifest.dependencies,
    };
    const builtin = builtinOf(specifier);
    const name = packageNameOf(specifier);
    if (builtin !== null && !(specifier === name && Object.hasOwn(deps, name) && !specifier.startsWith("node:"))) {
      if (!workerdHas(builtin)) {
        throw new PackageError(`${by} needs the Node built-in '${specifier}', which workerd does not provide`);
      }
      if (!specifier.startsWith("node:") && !this.#input.nodeCompat) {
        throw new PackageError(
          `${by} needs the Node built-in '${specifier}': add the nodejs_compat compatibility flag (docs/packages.md says where)`,
        );
      }
      this.#usesNode = true;
      return `node:${builtin}`;
    }
    if (!isPackageSpecifier(specifier))
      throw new PackageError(`${by} imports '${specifier}', which is not a package name`);
    const entry = this.#pick(name, deps[name], by);
    const target = await this.#resolveIn(await this.#open(entry), specifier, kind, by);
    return this.#moduleFor(kind, target);
  };

  /** The name an importer of `kind` loads a file under: a CommonJS file's facade for an ES module. */
  #moduleFor(kind: ImportKind, target: Located): string {
    if (kind === "esm" && kindOf(target) === "cjs") {
      const facade = facadeModuleName(target.name);
      this.#facades.set(facade, target);
      return facade;
    }
    return target.name;
  }

  /** A bare import's entry module: re-exports what the package resolves it to (with its default if any). */
  #reexport(module: string, target: Located): string {
    const loaded = this.#moduleFor("esm", target);
    return reexportModule(module, loaded, loaded !== target.name || esmHasDefault(sourceOf(target)));
  }

  async #process(located: Located): Promise<void> {
    const { pkg, path, name } = located;
    const source = sourceOf(located);
    const kind = kindOf(located);
    if (kind === "json") {
      try {
        this.#modules[name] = { json: JSON.parse(source) };
      } catch {
        throw new PackageError(`${pkg.entry.name}@${pkg.entry.version}: ${path} is not valid JSON`);
      }
      return;
    }
    const rewrite = kind === "esm" ? rewriteEsm : rewriteCjs;
    const { code, refuses } = await rewrite(located, source, this.#resolveFrom);
    this.#modules[name] = kind === "esm" ? { js: code } : { cjs: code };
    // The runtime's module that refuses computed names, loaded with the packages that need it.
    if (refuses) this.#modules[REFUSED_NAMES_MODULE] = { js: refusedNamesText };
  }

  /** The names a CommonJS module exports, following `module.exports = require(…)` re-exports. */
  #cjsExports(target: Located, depth: number): string[] {
    const source = sourceOf(target);
    const lexed = cjsExports(source);
    const names = new Set(lexed.exports);
    if (depth < MAX_REEXPORT_DEPTH) {
      for (const reexport of lexed.reexports) {
        if (!reexport.startsWith(".")) continue;
        const path = findFile(target.pkg, joinPath(target.path, reexport));
        if (path === null) continue;
        for (const name of this.#cjsExports({ ...target, path }, depth + 1)) names.add(name);
      }
    }
    return [...names];
  }
}
