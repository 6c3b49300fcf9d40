// The type checker's modules as its isolate loads them (build/checker-modules.mjs, `checkerModules`).
declare module "*?type-check-modules" {
  const build: import("./build/checker-modules.mjs").CheckerBuild;
  export default build;
}
