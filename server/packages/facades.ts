/**
 * The re-exporting modules the package graph writes (everything else it loads is the packages' own
 * code): a bare import's entry module, which re-exports the file the package resolves it to, and the
 * facade that gives a CommonJS module's exports to ES modules by name (workerd gives them only its
 * default). Every name in them is a JSON string or an identifier checked here.
 */
import { relativeSpecifier } from "./module-names";

/** An entry module `module` that re-exports module `target` (with its default when `hasDefault`). */
export function reexportModule(module: string, target: string, hasDefault: boolean): string {
  const from = JSON.stringify(relativeSpecifier(module, target));
  return `export * from ${from};${hasDefault ? `\nexport { default } from ${from};` : ""}`;
}

/**
 * An ES module `facade` that gives CommonJS module `target`'s exports by name, and module.exports as
 * default. Names that are not identifiers, or are reserved words, are left out (reached through the default).
 */
export function cjsFacade(facade: string, target: string, names: string[]): string {
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
