/**
 * A package file's code with its imports pointed at the loader's names: each import and
 * `require("…")` string literal is replaced by the module it resolves to (relative to the file, or a
 * `node:`/`cloudflare:` built-in), and nothing else changes, so line numbers stay. A `require` or
 * `import()` of a computed name cannot be resolved before the code runs, and could reach any of the
 * loader's modules: it fails when it runs, naming the module.
 */
import { parse as parseEsm } from "es-module-lexer/js";
import { relativeSpecifier } from "./module-names";
import type { ImportKind, Located } from "./package-files";
import { PackageError } from "./tarball";

/** The loader's name for what `specifier` names from `from`, resolved as an import of `kind` does. */
export type ResolveFrom = (from: Located, specifier: string, kind: ImportKind) => Promise<string>;

/** `require("literal")` (groups 1 and 2), or any other call or member of `require` (neither group). */
const REQUIRE_USE = /(?<![\w$.])require\s*\(\s*(["'])((?:(?!\1)[^\\\n]|\\.)*)\1\s*\)|(?<![\w$.])require(?=\s*[(.])/g;
const REFUSED_REQUIRE = "__facetComputedRequire";

/** The specifier `from`'s code writes for a resolved module. */
const specifierFor = (from: Located, resolved: string) =>
  resolved.startsWith("node:") || resolved.startsWith("cloudflare:")
    ? resolved
    : relativeSpecifier(from.name, resolved);

export async function rewriteEsm(from: Located, code: string, resolve: ResolveFrom): Promise<string> {
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
    const target = specifierFor(from, await resolve(from, imp.n, "esm"));
    // A dynamic import's string keeps its quotes inside s..e.
    const quoted = imp.d > -1;
    out += code.slice(last, imp.s) + (quoted ? JSON.stringify(target) : target);
    last = imp.e;
  }
  return out + code.slice(last);
}

export async function rewriteCjs(from: Located, code: string, resolve: ResolveFrom): Promise<string> {
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
  if (refused) {
    out += `\nfunction ${REFUSED_REQUIRE}(name) { throw new Error("require(" + JSON.stringify(name) + ") of a computed name is not supported in packages (${from.name})"); }`;
  }
  return out;
}
