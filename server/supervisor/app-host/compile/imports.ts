/**
 * A compiled file's imports, rewritten to the module names the loader knows (compile.ts): relative
 * imports resolved as TypeScript resolves them (extensionless, `.js` for a `.ts` file, `index` files,
 * JSON), tsconfig path aliases, files imported through a module rule, and bare imports of npm
 * packages pointed at their entry modules (the package cache makes those, compile/packages.ts).
 */
import { parse } from "es-module-lexer/js";
import type { Diagnostic } from "../../../../shared/api";
import { messageOf } from "../../../../shared/errors";
import { normalizeModulePath } from "../../../../shared/module-paths";
import type { ModuleRule } from "../../../../shared/project-config";
import { lineColumnAt } from "../../../../shared/source-position";
import { entryModuleName, isPackageSpecifier, relativeSpecifier } from "../../../packages/module-names";
import type { BareImport } from "./packages";
import { aliasTargets, type TsSettings } from "./tsconfig";

type RuleType = ModuleRule["type"];

/** Module name a source file is loaded under: TypeScript and JSX files become `.js`. */
export const moduleNameOf = (file: string) => file.replace(/\.(ts|tsx|jsx)$/, ".js");

export const SOURCE_EXTENSIONS = [".ts", ".tsx", ".js", ".jsx", ".mjs", ".json"];
const ALLOWED_BARE = /^(cloudflare:(workers|sockets)|node:[a-z_/]+)$/;
/** node:module's createRequire would load modules by computed name, past the checks below. */
const REFUSED_BARE = new Set(["node:module"]);

/** What rewriting found: the code, its problems, and what it imports. */
export interface RewrittenImports {
  code: string;
  diagnostics: Diagnostic[];
  usesNode: boolean;
  /** Files it imports through a module rule, with the rule's type. */
  ruled: Map<string, RuleType>;
  /** Its imports of npm packages. */
  bare: BareImport[];
  /** The project files it imports. */
  imports: string[];
}

export function rewriteImports(
  file: string,
  code: string,
  files: Record<string, string>,
  ruleOf: (file: string) => RuleType | null,
  settings: TsSettings,
): RewrittenImports {
  const diagnostics: Diagnostic[] = [];
  const ruled = new Map<string, RuleType>();
  const bare: BareImport[] = [];
  const imported: string[] = [];
  let imports: ReturnType<typeof parse>[0];
  try {
    [imports] = parse(code, file);
  } catch (error) {
    const idx = (error as { idx?: number }).idx ?? 0;
    return {
      code,
      diagnostics: [{ file, ...lineColumnAt(code, idx), message: messageOf(error) }],
      usesNode: false,
      ruled,
      bare,
      imports: imported,
    };
  }
  let out = "";
  let last = 0;
  let usesNode = false;
  for (const imp of imports) {
    const specifier = imp.n;
    if (imp.d === -2) continue; // import.meta
    if (specifier === undefined) {
      // import(name) with a computed name could load the IDE's own modules by theirs.
      diagnostics.push({
        file,
        ...lineColumnAt(code, imp.s),
        message: "import() needs a string literal (a computed module name cannot be checked before the code runs)",
      });
      continue;
    }
    // A tsconfig path alias (`@/db` for src/db.ts) names a project file as a relative import would.
    const aliased = specifier.startsWith(".") ? null : aliasTargets(specifier, settings);
    if (!specifier.startsWith(".") && aliased === null) {
      usesNode ||= specifier.startsWith("node:");
      if (REFUSED_BARE.has(specifier)) {
        diagnostics.push({
          file,
          ...lineColumnAt(code, imp.s),
          message: `Cannot import '${specifier}': apps cannot load modules by name at run time`,
        });
      } else if (!ALLOWED_BARE.test(specifier)) {
        if (!isPackageSpecifier(specifier)) {
          diagnostics.push({
            file,
            ...lineColumnAt(code, imp.s),
            message: `Cannot import '${specifier}': neither a project file, a package, node:* nor cloudflare:workers`,
          });
          continue;
        }
        // An npm package: its entry module (compile/packages.ts), named by the specifier alone.
        bare.push({ specifier, file, ...lineColumnAt(code, imp.s) });
        out += code.slice(last, imp.s) + quoted(imp, relativeSpecifier(moduleNameOf(file), entryModuleName(specifier)));
        last = imp.e;
      }
      continue;
    }
    // wrangler's `./module.wasm?module` names the file without its suffix.
    const target = aliased
      ? (aliased.map((path) => resolveRelative("", `./${path}`, files)).find((found) => found !== null) ?? null)
      : resolveRelative(file, specifier.replace(/\?module$/, ""), files);
    if (!target) {
      diagnostics.push({ file, ...lineColumnAt(code, imp.s), message: `Cannot find module '${specifier}'` });
      continue;
    }
    imported.push(target);
    if (!SOURCE_EXTENSIONS.some((ext) => target.endsWith(ext))) {
      const type = ruleOf(target);
      if (type === null || type === "ESModule") {
        diagnostics.push({
          file,
          ...lineColumnAt(code, imp.s),
          message: `Cannot import '${specifier}': no module rule matches ${target} (wrangler's defaults import .txt, .html and .sql as Text, .bin as Data and .wasm as CompiledWasm; add a rule to the config's "rules" for others)`,
        });
        continue;
      }
      ruled.set(target, type);
    }
    out += code.slice(last, imp.s) + quoted(imp, relativeSpecifier(moduleNameOf(file), moduleNameOf(target)));
    last = imp.e;
  }
  return { code: out + code.slice(last), diagnostics, usesNode, ruled, bare, imports: imported };
}

/** A dynamic import's string literal keeps its quotes inside the lexer's s..e; a static one's does not. */
const quoted = (imp: { d: number }, specifier: string) => (imp.d > -1 ? JSON.stringify(specifier) : specifier);

/** Resolves `./x`, `./x.js`, `./x.ts`, `./x/index` against the project's files, as TypeScript would. */
export function resolveRelative(importer: string, specifier: string, files: Record<string, string>): string | null {
  const base = joinPath(dirname(importer), specifier);
  if (base === null) return null;
  const stem = base.replace(/\.(js|mjs)$/, "");
  const candidates = [
    base,
    ...SOURCE_EXTENSIONS.map((ext) => stem + ext),
    ...SOURCE_EXTENSIONS.map((ext) => `${base}/index${ext}`),
  ];
  return candidates.find((c) => Object.hasOwn(files, c)) ?? null;
}

const dirname = (path: string) => path.split("/").slice(0, -1);

function joinPath(dir: string[], specifier: string): string | null {
  return normalizeModulePath([...dir, specifier].join("/"));
}
