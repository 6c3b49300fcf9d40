/**
 * A package file's code with its imports pointed at the loader's names: each import and
 * `require("…")` string literal is replaced by the module it resolves to (relative to the file, or a
 * `node:`/`cloudflare:` built-in), and nothing else changes, so line numbers stay. A `require` or
 * `import()` of a computed name cannot be resolved before the code runs, and could reach any of the
 * loader's modules: it becomes a call of the runtime's refused-names.ts (REFUSED_NAMES_MODULE), which
 * fails when it runs, naming the module; the code then imports that module.
 */
import { parse as parseEsm } from "es-module-lexer/js";
import { runtimeModule } from "../app-runtime/protocol";
import { relativeSpecifier } from "./module-names";
import type { ImportKind, Located } from "./package-files";
import { PackageError } from "./tarball";

/** The loader's name for what `specifier` names from `from`, resolved as an import of `kind` does. */
export type ResolveFrom = (from: Located, specifier: string, kind: ImportKind) => Promise<string>;

/** `require("literal")` (groups 1 and 2), or any other call or member of `require` (neither group). */
const REQUIRE_USE = /(?<![\w$.])require\s*\(\s*(["'])((?:(?!\1)[^\\\n]|\\.)*)\1\s*\)|(?<![\w$.])require(?=\s*[(.])/g;
const REFUSED_REQUIRE = "__facetComputedRequire";
const REFUSED_IMPORT = "__facetComputedImport";

/** The runtime's module that refuses computed names (server/app-runtime/packages/refused-names.ts). */
export const REFUSED_NAMES_MODULE = runtimeModule("refused-names");

/** A rewritten file, and whether it calls REFUSED_NAMES_MODULE (which then has to be loaded too). */
export interface Rewritten {
  code: string;
  refuses: boolean;
}

/** The specifier `from`'s code writes for a resolved module. */
const specifierFor = (from: Located, resolved: string) =>
  resolved.startsWith("node:") || resolved.startsWith("cloudflare:")
    ? resolved
    : relativeSpecifier(from.name, resolved);

export async function rewriteEsm(from: Located, code: string, resolve: ResolveFrom): Promise<Rewritten> {
  let imports: ReturnType<typeof parseEsm>[0];
  try {
    [imports] = parseEsm(code, from.name);
  } catch (error) {
    throw new PackageError(`${from.pkg.entry.name}: ${from.path} could not be read as a module (${String(error)})`);
  }
  let out = "";
  let last = 0;
  let refuses = false;
  for (const imp of imports) {
    if (imp.d === -2) continue;
    if (imp.n === undefined) {
      // import(expression): a name known only at run time could reach any of the loader's modules.
      if (imp.d > -1 && imp.se > imp.ss) {
        out += `${code.slice(last, imp.ss)}${REFUSED_IMPORT}(${JSON.stringify(from.name)})`;
        last = imp.se;
        refuses = true;
      }
      continue;
    }
    const target = specifierFor(from, await resolve(from, imp.n, "esm"));
    // A dynamic import's string keeps its quotes inside s..e.
    const quoted = imp.d > -1;
    out += code.slice(last, imp.s) + (quoted ? JSON.stringify(target) : target);
    last = imp.e;
  }
  out += code.slice(last);
  // Appended, so line numbers stay; an import declaration is hoisted wherever it stands.
  if (refuses) {
    out += `\nimport { refusedImport as ${REFUSED_IMPORT} } from ${refusedNamesFrom(from)};`;
  }
  return { code: out, refuses };
}

export async function rewriteCjs(from: Located, code: string, resolve: ResolveFrom): Promise<Rewritten> {
  let out = "";
  let last = 0;
  let refuses = false;
  for (const match of code.matchAll(REQUIRE_USE)) {
    const literal = match[2];
    if (literal === undefined) {
      // require(expression) or require.x: a name known only at run time could reach any of the
      // loader's modules, so it is sent to a function that throws, naming the module.
      out += `${code.slice(last, match.index)}${REFUSED_REQUIRE}`;
      last = (match.index ?? 0) + "require".length;
      refuses = true;
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
      resolved = await resolve(from, specifier, "cjs");
    } catch (error) {
      // A require of something absent is often guarded (try/catch, feature tests): it fails when it runs.
      if (error instanceof PackageError && /not installed|not in the package|no such file/.test(error.message))
        continue;
      throw error;
    }
    const start = (match.index ?? 0) + match[0].indexOf(match[1] as string);
    out += `${code.slice(last, start)}${JSON.stringify(specifierFor(from, resolved))}`;
    last = start + literal.length + 2;
  }
  out += code.slice(last);
  // Appended, so line numbers stay; a function declaration is hoisted to the module's top.
  if (refuses) {
    out += `\nfunction ${REFUSED_REQUIRE}(name) { return require(${refusedNamesFrom(from)}).refusedRequire(${JSON.stringify(from.name)})(name); }`;
  }
  return { code: out, refuses };
}

/** REFUSED_NAMES_MODULE as `from`'s code names it. */
const refusedNamesFrom = (from: Located) => JSON.stringify(relativeSpecifier(from.name, REFUSED_NAMES_MODULE));
