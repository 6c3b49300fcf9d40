/**
 * The names package modules are loaded under, shared by the compile step (which points the project's
 * bare imports at them) and the package graph (modules.ts). A package's file is
 * `node_modules/<name>@<version>/<path>`, so two versions of one package never meet; a project's bare
 * import `hono/cors` loads `node_modules/.entry/hono/cors.js`, a module that re-exports the file the
 * package resolves it to, so the project's compiled files do not depend on the lock.
 */

export const packageModuleName = (name: string, version: string, path: string) =>
  `node_modules/${name}@${version}/${path}`;

/** The module a bare import of the project's code loads. */
export const entryModuleName = (specifier: string) => `node_modules/.entry/${specifier}.js`;

/** The ES module that gives a CommonJS module's exports by name (workerd gives ES modules only its default). */
export const facadeModuleName = (moduleName: string) =>
  `node_modules/.facade/${moduleName.slice("node_modules/".length)}`;

const dirname = (path: string) => path.split("/").slice(0, -1);

/** The relative specifier that reaches module `toModule` from module `fromModule`, as the loader resolves it. */
export function relativeSpecifier(fromModule: string, toModule: string): string {
  const from = dirname(fromModule);
  const to = toModule.split("/");
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const ups = from.length - common;
  return (ups === 0 ? "./" : "../".repeat(ups)) + to.slice(common).join("/");
}

/** A bare specifier as a package import may be written: a package name, then a path with no `..`. */
export function isPackageSpecifier(specifier: string): boolean {
  if (!/^(@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*(\/[\w.~@+-]+)*$/i.test(specifier)) return false;
  return !specifier.split("/").some((part) => part === "." || part === "..");
}

/** A package name from a bare import specifier (`hono/cors` → hono, `@scope/x/y` → @scope/x). */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}
