// The lib files and Workers types the checker's isolate gets as a text module (JSON of name -> text):
// type-checker.ts hands it over under this name, and the build (build/checker-modules.mjs) keeps it.
declare module "facet-ide-type-check:libs" {
  const text: string;
  export default text;
}
