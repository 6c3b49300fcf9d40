/**
 * What a package's `require(expression)` and `import(expression)` become (server/packages/rewrite.ts
 * rewrites them to calls of these): a module name known only at run time could reach any of the
 * loader's modules, the IDE's own included, so such a call fails when it runs, naming the package
 * module that made it. Loaded only with the packages whose code needs it (server/packages/modules.ts).
 * Imports nothing.
 */

/** What `require(name)` calls in the CommonJS package module `module`: it throws. */
export function refusedRequire(module: string): (name: unknown) => never {
  return (name) => {
    throw new Error(`require(${JSON.stringify(name)}) of a computed name is not supported in packages (${module})`);
  };
}

/** What `import(name)` is in the ES package module `module`: a rejected promise. */
export function refusedImport(module: string): Promise<never> {
  return Promise.reject(new Error(`import() of a computed name is not supported in packages (${module})`));
}

/** workerd's `require()` of an ES module gives its default export: CommonJS packages reach these so. */
export default { refusedRequire, refusedImport };
