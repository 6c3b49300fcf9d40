/**
 * A package's files as module resolution reads them: its package.json (a field of the wrong type
 * counts as absent), the file a path names (extensions and index files as Node tries them, the
 * browser field's map), the files a bare import's subpath may resolve to, and whether a file is an ES
 * module, CommonJS or JSON. The package graph (modules.ts) walks packages with these.
 */
import { parse as parseEsm } from "es-module-lexer/js";
import { exports as resolveExports } from "resolve.exports";
import { z } from "zod";
import { normalizeModulePath } from "../../shared/module-paths";
import type { LockEntry } from "../../shared/packages";
import { PackageError } from "./tarball";

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

/** A package's package.json from its unpacked files. */
export function manifestOf(files: Map<string, Uint8Array>, id: string): PackageJson {
  const bytes = files.get("package.json");
  if (!bytes) throw new PackageError(`'${id}' has no package.json in its tarball`);
  try {
    return PackageJson.parse(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    throw new PackageError(`'${id}''s package.json is not valid JSON`);
  }
}

/** One file of a package: where it is, and the name the loader knows it by. */
export interface Located {
  pkg: PackageContents;
  path: string;
  name: string;
}

export type ImportKind = "esm" | "cjs";
type Kind = ImportKind | "json";

export const ESM_CONDITIONS = ["workerd", "worker", "browser", "import", "module", "default"];
export const CJS_CONDITIONS = ["workerd", "worker", "browser", "require", "default"];
export const conditionsFor = (kind: ImportKind) => (kind === "esm" ? ESM_CONDITIONS : CJS_CONDITIONS);
const EXTENSIONS = ["", ".js", ".mjs", ".cjs", ".json", "/index.js", "/index.mjs", "/index.cjs", "/index.json"];

/**
 * The paths in `pkg` a subpath (`.`, `./sub`) may resolve to, in order: its `exports` with the
 * conditions of `kind`, else `browser`/`module`/`main`. Throws when `exports` does not export it.
 */
export function subpathCandidates(pkg: PackageContents, subpath: string, kind: ImportKind, by: string): string[] {
  const { manifest } = pkg;
  if (manifest.exports !== undefined) {
    let candidates: string[];
    try {
      candidates = resolveExports(manifest, subpath, { unsafe: true, conditions: conditionsFor(kind) }) ?? [];
    } catch {
      candidates = [];
    }
    if (candidates.length === 0) {
      throw new PackageError(`${by}: '${pkg.entry.name}' does not export '${subpath}' (its package.json "exports")`);
    }
    return candidates;
  }
  if (subpath !== ".") return [subpath];
  const { browser } = manifest;
  return [
    ...(typeof browser === "string" ? [browser] : []),
    ...(kind === "esm" && manifest.module ? [manifest.module] : []),
    manifest.main ?? "index.js",
    ...(kind === "cjs" && manifest.module ? [manifest.module] : []),
  ];
}

/** The file a path names in `pkg` (extension and index files as Node tries them, the browser field's map). */
export function findFile(pkg: PackageContents, path: string | null): string | null {
  if (path === null) return null;
  for (const ext of EXTENSIONS) {
    const candidate = (path + ext).replace(/^\/+/, "");
    if (!pkg.files.has(candidate)) continue;
    const browser = pkg.manifest.browser;
    if (browser && typeof browser === "object") {
      const mapped = browser[`./${candidate}`] ?? browser[candidate];
      if (typeof mapped === "string") return findFile(pkg, normalizeModulePath(mapped)) ?? candidate;
    }
    return candidate;
  }
  return null;
}

/** `specifier` relative to the folder of `file` (both inside one package); null if it leaves the package. */
export function joinPath(file: string, specifier: string): string | null {
  const dir = file.split("/").slice(0, -1).join("/");
  return normalizeModulePath(`${dir}/${specifier}`);
}

const decoder = new TextDecoder();

/** The text of a located file (which the graph only locates when the package holds it). */
export const sourceOf = (located: Pick<Located, "pkg" | "path">) =>
  decoder.decode(located.pkg.files.get(located.path) ?? new Uint8Array());

export function kindOf(located: Located): Kind {
  const { path, pkg } = located;
  if (path.endsWith(".json")) return "json";
  if (path.endsWith(".mjs")) return "esm";
  if (path.endsWith(".cjs")) return "cjs";
  if (pkg.manifest.type === "module") return "esm";
  return looksLikeEsm(sourceOf(located)) ? "esm" : "cjs";
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

/** Whether an ES module has a default export (`export *` does not pass one on). */
export function esmHasDefault(source: string): boolean {
  try {
    return parseEsm(source)[1].some((e) => e.n === "default");
  } catch {
    return false;
  }
}
