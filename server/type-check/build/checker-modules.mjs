/**
 * The build of the type checker (server/type-check/checker/): its modules as the text its isolate
 * loads, and the files it needs that are too large for the IDE's worker, which become static assets.
 *
 * `import checker from "./checker/checker.ts?type-check-modules"` gives `{ mainModule, modules, key,
 * typescriptVersion }`: every module of checker/ type-stripped with sucrase, its imports rewritten to
 * the names the isolate knows (`./diagnostic-mapping` -> `./diagnostic-mapping.js`, `typescript` ->
 * the compiler module, `facet-ide-type-check:libs` -> the libs module), and a key that changes when
 * any of them does. TypeScript's compiler (node_modules/typescript/lib/typescript.js) and its lib
 * files with the Workers types (one JSON) are assets under TYPE_CHECK_ASSETS (the client build emits
 * them; the worker tests write them into dist/client), fetched by the supervisor through the assets
 * binding when it first loads the checker.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "es-module-lexer/js";
import { transformSync } from "esbuild";
import { transform } from "sucrase";

const HERE = dirname(fileURLToPath(import.meta.url));
const CHECKER_DIR = resolve(HERE, "..", "checker");
const ROOT = resolve(HERE, "..", "..", "..");
const QUERY = "?type-check-modules";
/** Module names in the checker's isolate: keep in step with server/type-check/type-checker.ts. */
export const COMPILER_MODULE = "typescript.js";
export const LIBS_MODULE = "libs.txt";
const REWRITES = new Map([
  ["typescript", `./${COMPILER_MODULE}`],
  ["facet-ide-type-check:libs", `./${LIBS_MODULE}`],
]);

/** TypeScript's version in node_modules: names the assets and the checker's isolate. */
export function typescriptVersion() {
  return JSON.parse(readFileSync(join(ROOT, "node_modules", "typescript", "package.json"), "utf8")).version;
}

/** Where the assets live under the IDE's origin (the supervisor fetches `<dir>/typescript.js`, `<dir>/libs.json`). */
export const assetDir = (version = typescriptVersion()) => `__facet_ide/type-check/${version}`;

/** A module of checker/ as its isolate loads it. */
function moduleText(file) {
  const { code } = transform(readFileSync(file, "utf8"), {
    transforms: ["typescript"],
    filePath: file,
    disableESTransforms: true,
    keepUnusedImports: false,
  });
  const [imports] = parse(code, file);
  let out = "";
  let last = 0;
  for (const imp of imports) {
    const specifier = imp.n;
    if (imp.d !== -1 || specifier === undefined) throw new Error(`${file}: the checker imports statically`);
    let target;
    if (specifier.startsWith("./")) target = `./${basename(specifier).replace(/\.ts$/, "")}.js`;
    else if (REWRITES.has(specifier)) target = REWRITES.get(specifier);
    else if (specifier === "cloudflare:workers") continue;
    else throw new Error(`${file}: '${specifier}' does not exist in the checker's isolate`);
    out += code.slice(last, imp.s) + target;
    last = imp.e;
  }
  return out + code.slice(last);
}

/** The checker's modules by name, its main module and the key that names this build of them. */
export function checkerModules() {
  const modules = {};
  for (const name of readdirSync(CHECKER_DIR).sort()) {
    if (!name.endsWith(".ts") || name.endsWith(".d.ts")) continue;
    modules[name.replace(/\.ts$/, ".js")] = moduleText(join(CHECKER_DIR, name));
  }
  const version = typescriptVersion();
  const key = createHash("sha256").update(version).update(JSON.stringify(modules)).digest("hex").slice(0, 16);
  return {
    mainModule: "checker.js",
    modules,
    key: `${version}:${key}`,
    typescriptVersion: version,
    compilerModule: COMPILER_MODULE,
    libsModule: LIBS_MODULE,
    assetDir: assetDir(version),
  };
}

/**
 * TypeScript's compiler minified: the checker's isolate evaluates it in one go on its first call, and
 * locally that holds the runtime's one thread, so the less text it parses the shorter the hold.
 * Kept per file and size, since minifying takes a while and the build may ask more than once.
 */
const minified = new Map();
function minifiedCompiler(file) {
  const source = readFileSync(file, "utf8");
  const key = `${file}:${source.length}`;
  if (!minified.has(key))
    minified.set(key, transformSync(source, { minify: true, format: "cjs", target: "es2022" }).code);
  return minified.get(key);
}

/** The assets the checker's isolate is built from: the compiler, and the lib files with the Workers types. */
export function typeCheckAssets() {
  const lib = join(ROOT, "node_modules", "typescript", "lib");
  const libs = {};
  for (const name of readdirSync(lib).sort()) {
    // The runtime has no DOM and no WebWorker globals of the browser's kind; the editor leaves them out too.
    if (/^lib\..*\.d\.ts$/.test(name) && !/dom|webworker|scripthost/.test(name)) {
      libs[name] = readFileSync(join(lib, name), "utf8");
    }
  }
  libs["workers-types/index.d.ts"] = readFileSync(
    join(ROOT, "node_modules", "@cloudflare", "workers-types", "index.d.ts"),
    "utf8",
  );
  const dir = assetDir();
  return {
    [`${dir}/typescript.js`]: minifiedCompiler(join(lib, "typescript.js")),
    [`${dir}/libs.json`]: JSON.stringify(libs),
  };
}

/** Writes the assets into `outDir` (the worker tests' dist/client, which their assets binding serves). */
export function writeTypeCheckAssets(outDir) {
  for (const [path, content] of Object.entries(typeCheckAssets())) {
    mkdirSync(dirname(join(outDir, path)), { recursive: true });
    writeFileSync(join(outDir, path), content);
  }
}

/**
 * The Vite plugin: `?type-check-modules` imports, and the assets emitted into the client build.
 * @returns {import("vite").Plugin}
 */
export function typeCheckBuild() {
  return {
    name: "facet-ide:type-check",
    enforce: "pre",
    resolveId(source) {
      return source.endsWith(QUERY) ? `\0${source.slice(source.lastIndexOf("/") + 1)}` : null;
    },
    load(id) {
      if (!id.startsWith("\0") || !id.endsWith(QUERY)) return null;
      for (const name of readdirSync(CHECKER_DIR)) this.addWatchFile(join(CHECKER_DIR, name));
      return `export default ${JSON.stringify(checkerModules())};\n`;
    },
    generateBundle() {
      if (this.environment?.name !== "client") return;
      for (const [fileName, source] of Object.entries(typeCheckAssets())) {
        this.emitFile({ type: "asset", fileName, source });
      }
    },
  };
}
