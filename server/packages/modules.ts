/**
 * The packages' modules an app loads: from the project's bare imports, the files each package
 * resolves them to (its `exports` with the conditions workerd, worker, browser, import/require and
 * default, else `module`/`main`/`browser`), and every file those import in turn; nothing a tarball
 * holds beyond what is reached. Each file keeps its code; only its import and `require("…")` string
 * literals change, to the names the loader knows it by (module-names.ts). An ES module is loaded as
 * `js`, a CommonJS module as `cjs` (workerd wraps it in a function with `require`, `module` and
 * `exports`), reached from an ES module through a facade that names its exports (cjs-exports.ts
 * finds them, as Node's cjs-module-lexer does). A `require` or `import()` of a computed name cannot be resolved before
 * the code runs: it fails when it runs, naming the module.
 */
import { parse as parseEsm } from "es-module-lexer/js";
import { exports as resolveExports, imports as resolveImports } from "resolve.exports";
import semver from "semver";
import { z } from "zod";
import { normalizeModulePath } from "../../shared/module-paths";
import type { LockEntry, PackageLock } from "../../shared/packages";
import { builtinOf, workerdHas } from "./builtins";
import { cjsExports } from "./cjs-exports";
import {
  entryModuleName,
  facadeModuleName,
  isPackageSpecifier,
  packageModuleName,
  packageNameOf,
  relativeSpecifier,
} from "./module-names";
import { PackageError } from "./tarball";

/** A module as the loader takes it. */
export type PackageModule = { js: string } | { cjs: string } | { json: unknown } | { text: string };

const Ranges = z.record(z.string(), z.string()).optional().catch(undefined);
const Field = z.string().optional().catch(undefined);

/** package.json as resolution reads it (a field of the wrong type counts as absent). */
export const PackageJson = z.looseObject({
  name: Field,
  type: Field,
  main: Field,
  module: Field,
  browser: z
    .union([z.string(), z.record(z.string(), z.union([z.string(), z.literal(false)]))])
    .optional()
    .catch(undefined),
  exports: z.unknown().optional(),
  imports: z.unknown().optional(),
  dependencies: Ranges,
  peerDependencies: Ranges,
  optionalDependencies: Ranges,
});
export type PackageJson = z.infer<typeof PackageJson>;

/** One locked package's files (by path in the package) and its package.json. */
export interface PackageContents {
  entry: LockEntry;
  files: Map<string, Uint8Array>;
  manifest: PackageJson;
}

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

const ESM_CONDITIONS = ["workerd", "worker", "browser", "import", "module", "default"];
const CJS_CONDITIONS = ["workerd", "worker", "browser", "require", "default"];
const EXTENSIONS = ["", ".js", ".mjs", ".cjs", ".json", "/index.js", "/index.mjs", "/index.cjs", "/index.json"];
/** How deep a CommonJS facade follows `module.exports = require(…)` to find names. */
const MAX_REEXPORT_DEPTH = 8;

type Kind = "esm" | "cjs" | "json";

/** One file of a package: where it is, and what kind of module. */
interface Located {
  pkg: PackageContents;
  path: string;
  name: string;
}

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
  async #resolveIn(pkg: PackageContents, specifier: string, kind: "esm" | "cjs", by: string): Promise<Located> {
    const name = pkg.entry.name;
    const subpath = `.${specifier.slice(name.length)}`;
    const conditions = kind === "esm" ? ESM_CONDITIONS : CJS_CONDITIONS;
    let candidates: string[];
    if (pkg.manifest.exports !== undefined) {
      try {
        candidates = resolveExports(pkg.manifest, subpath, { unsafe: true, conditions }) ?? [];
      } catch {
        candidates = [];
      }
      if (candidates.length === 0) {
        throw new PackageError(`${by}: '${name}' does not export '${subpath}' (its package.json "exports")`);
      }
    } else if (subpath === ".") {
      const { browser } = pkg.manifest;
      candidates = [
        ...(typeof browser === "string" ? [browser] : []),
        ...(kind === "esm" && pkg.manifest.module ? [pkg.manifest.module] : []),
        pkg.manifest.main ?? "index.js",
        ...(kind === "cjs" && pkg.manifest.module ? [pkg.manifest.module] : []),
      ];
    } else candidates = [subpath];
    for (const candidate of candidates) {
      const path = this.#findFile(pkg, normalize(candidate));
      if (path !== null) return this.#queue(pkg, path);
    }
    throw new PackageError(
      `${by}: '${specifier}' resolves to ${candidates[0]} in ${name}@${pkg.entry.version}, which has no such file`,
    );
  }

  /** The file a path names in `pkg` (extension and index files as Node tries them, the browser field's map). */
  #findFile(pkg: PackageContents, path: string | null): string | null {
    if (path === null) return null;
    for (const ext of EXTENSIONS) {
      const candidate = (path + ext).replace(/^\/+/, "");
      if (!pkg.files.has(candidate)) continue;
      const browser = pkg.manifest.browser;
      if (browser && typeof browser === "object") {
        const mapped = browser[`./${candidate}`] ?? browser[candidate];
        if (typeof mapped === "string") return this.#findFile(pkg, normalize(mapped)) ?? candidate;
      }
      return candidate;
    }
    return null;
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
  async #resolveFrom(from: Located, specifier: string, kind: "esm" | "cjs"): Promise<string> {
    const by = `${from.pkg.entry.name}@${from.pkg.entry.version} (${from.path})`;
    if (specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === "..") {
      const joined = joinPath(from.path, specifier);
      const path = this.#findFile(from.pkg, joined);
      if (path === null) throw new PackageError(`${by} imports '${specifier}', which is not in the package`);
      return this.#moduleFor(kind, this.#queue(from.pkg, path));
    }
    if (specifier.startsWith("#")) {
      let targets: string[] = [];
      try {
        targets =
          resolveImports(from.pkg.manifest, specifier, {
            unsafe: true,
            conditions: kind === "esm" ? ESM_CONDITIONS : CJS_CONDITIONS,
          }) ?? [];
      } catch {}
      const first = targets[0];
      if (!first) throw new PackageError(`${by} imports '${specifier}', which its package.json "imports" does not map`);
      if (!first.startsWith("./")) return this.#resolveFrom(from, first, kind);
      const path = this.#findFile(from.pkg, normalize(first));
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
  }

  /** The name an importer of `kind` loads a file under: a CommonJS file's facade for an ES module. */
  #moduleFor(kind: "esm" | "cjs", target: Located): string {
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
    const from = JSON.stringify(relativeSpecifier(module, loaded));
    const hasDefault = loaded !== target.name || esmHasDefault(decode(target.pkg.files.get(target.path) as Uint8Array));
    return `export * from ${from};${hasDefault ? `\nexport { default } from ${from};` : ""}`;
  }

  async #process(located: Located): Promise<void> {
    const { pkg, path, name } = located;
    const source = decode(pkg.files.get(path) as Uint8Array);
    const kind = kindOf(located);
    if (kind === "json") {
      try {
        this.#modules[name] = { json: JSON.parse(source) };
      } catch {
        throw new PackageError(`${pkg.entry.name}@${pkg.entry.version}: ${path} is not valid JSON`);
      }
    } else if (kind === "esm") this.#modules[name] = { js: await this.#rewriteEsm(located, source) };
    else this.#modules[name] = { cjs: await this.#rewriteCjs(located, source) };
  }

  async #rewriteEsm(from: Located, code: string): Promise<string> {
    let imports: ReturnType<typeof parseEsm>[0];
    try {
      [imports] = parseEsm(code, from.name);
    } catch (error) {
      throw new PackageError(`${from.pkg.entry.name}: ${from.path} could not be read as a module (${String(error)})`);
    }
    let out = "";
    let last = 0;
    for (const imp of imports) {
      if (imp.d === -2) continue;
      if (imp.n === undefined) {
        // import(expression): a name known only at run time could reach any of the loader's modules.
        if (imp.d > -1 && imp.se > imp.ss) {
          out += `${code.slice(last, imp.ss)}Promise.reject(new Error("import() of a computed name is not supported in packages (${from.name})"))`;
          last = imp.se;
        }
        continue;
      }
      const resolved = await this.#resolveFrom(from, imp.n, "esm");
      const target =
        resolved.startsWith("node:") || resolved.startsWith("cloudflare:")
          ? resolved
          : relativeSpecifier(from.name, resolved);
      // A dynamic import's string keeps its quotes inside s..e.
      const quoted = imp.d > -1;
      out += code.slice(last, imp.s) + (quoted ? JSON.stringify(target) : target);
      last = imp.e;
    }
    return out + code.slice(last);
  }

  async #rewriteCjs(from: Located, code: string): Promise<string> {
    let out = "";
    let last = 0;
    let refused = false;
    for (const match of code.matchAll(REQUIRE_USE)) {
      const literal = match[2];
      if (literal === undefined) {
        // require(expression) or require.x: a name known only at run time could reach any of the
        // loader's modules, so it is sent to a function that throws, naming the module.
        out += `${code.slice(last, match.index)}${REFUSED_REQUIRE}`;
        last = (match.index ?? 0) + "require".length;
        refused = true;
        continue;
      }
      let specifier: string;
      try {
        specifier = JSON.parse(match[1] === "'" ? `"${literal.replace(/"/g, '\\"')}"` : `"${literal}"`);
      } catch {
        continue;
      }
      let resolved: string;
      try {
        resolved = await this.#resolveFrom(from, specifier, "cjs");
      } catch (error) {
        // A require of something absent is often guarded (try/catch, feature tests): it fails when it runs.
        if (error instanceof PackageError && /not installed|not in the package|no such file/.test(error.message))
          continue;
        throw error;
      }
      const target =
        resolved.startsWith("node:") || resolved.startsWith("cloudflare:")
          ? resolved
          : relativeSpecifier(from.name, resolved);
      const start = (match.index ?? 0) + match[0].indexOf(match[1] as string);
      out += `${code.slice(last, start)}${JSON.stringify(target)}`;
      last = start + literal.length + 2;
    }
    out += code.slice(last);
    // Appended, so line numbers stay; a function declaration is hoisted to the module's top.
    if (refused) {
      out += `\nfunction ${REFUSED_REQUIRE}(name) { throw new Error("require(" + JSON.stringify(name) + ") of a computed name is not supported in packages (${from.name})"); }`;
    }
    return out;
  }

  /** The names a CommonJS module exports, following `module.exports = require(…)` re-exports. */
  #cjsExports(target: Located, depth: number): string[] {
    const source = decode(target.pkg.files.get(target.path) as Uint8Array);
    const lexed = cjsExports(source);
    const names = new Set(lexed.exports);
    if (depth < MAX_REEXPORT_DEPTH) {
      for (const reexport of lexed.reexports) {
        if (!reexport.startsWith(".")) continue;
        const path = this.#findFile(target.pkg, joinPath(target.path, reexport));
        if (path === null) continue;
        for (const name of this.#cjsExports({ ...target, path }, depth + 1)) names.add(name);
      }
    }
    return [...names];
  }
}

/** `require("literal")` (groups 1 and 2), or any other call or member of `require` (neither group). */
const REQUIRE_USE = /(?<![\w$.])require\s*\(\s*(["'])((?:(?!\1)[^\\\n]|\\.)*)\1\s*\)|(?<![\w$.])require(?=\s*[(.])/g;
const REFUSED_REQUIRE = "__facetComputedRequire";

/** An ES module that gives CommonJS module `target`'s exports by name, and module.exports as default. */
function cjsFacade(facade: string, target: string, names: string[]): string {
  const from = JSON.stringify(relativeSpecifier(facade, target));
  const named = names.filter((name) => name !== "default" && /^[A-Za-z_$][\w$]*$/.test(name) && !RESERVED.has(name));
  const lines = [`import m from ${from};`, "export default m;"];
  if (named.length > 0) lines.push(`export const { ${named.join(", ")} } = m;`);
  return lines.join("\n");
}

const RESERVED = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval".split(
    " ",
  ),
);

/** Whether an ES module has a default export (`export *` does not pass one on). */
function esmHasDefault(source: string): boolean {
  try {
    return parseEsm(source)[1].some((e) => e.n === "default");
  } catch {
    return false;
  }
}

function kindOf(located: Located): Kind {
  const { path, pkg } = located;
  if (path.endsWith(".json")) return "json";
  if (path.endsWith(".mjs")) return "esm";
  if (path.endsWith(".cjs")) return "cjs";
  if (pkg.manifest.type === "module") return "esm";
  return looksLikeEsm(decode(pkg.files.get(path) as Uint8Array)) ? "esm" : "cjs";
}

/** Whether code has import/export statements or import.meta (a package without "type" may ship either). */
function looksLikeEsm(code: string): boolean {
  try {
    const [imports, exports, , hasModuleSyntax] = parseEsm(code);
    return hasModuleSyntax || exports.length > 0 || imports.some((imp) => imp.d === -1 || imp.d === -2);
  } catch {
    return false;
  }
}

const decoder = new TextDecoder();
const decode = (bytes: Uint8Array) => decoder.decode(bytes);

/** A path inside a package from `./x`, `x`, `/x`; null if it leaves the package. */
const normalize = normalizeModulePath;

/** `specifier` relative to the folder of `file` (both inside one package); null if it leaves the package. */
function joinPath(file: string, specifier: string): string | null {
  const dir = file.split("/").slice(0, -1).join("/");
  return normalize(`${dir}/${specifier}`);
}
