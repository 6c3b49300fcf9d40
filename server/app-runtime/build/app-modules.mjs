/**
 * The build of the app's runtime: turns a module of server/app-runtime/ into the JavaScript text the
 * loader hands the Worker Loader (server/supervisor/app-host/runtime-modules.ts).
 *
 * `import text from "../../app-runtime/guard.ts?app-module"` gives `guard.ts` type-stripped with
 * sucrase (line for line, comments kept, so it reads as written) and its imports of sibling runtime
 * modules (`./originals`) rewritten to the names the loader gives them (`./__facet_ide_originals.js`:
 * `runtimeModuleName`). A runtime module may import only its siblings, `cloudflare:workers`,
 * `node:async_hooks` and the placeholder specifiers the loader fills in (`facet-ide:*`); anything else
 * fails the build, since nothing else exists in the app's isolate.
 *
 * Used by Vite (vite.config.ts: the dev server and `npm run build`), by the test configurations
 * (tests/unit, tests/worker) and by the bench, which bundles with wrangler and gets each text as an
 * `--alias` module (bench/runtime.mjs).
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "es-module-lexer/js";
import { transform } from "sucrase";

/** server/app-runtime/, where every runtime module lives. */
export const RUNTIME_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const APP_MODULE_QUERY = "?app-module";
/** Keep in step with protocol.ts (`runtimeModule`); tests/unit/server/app-runtime-build.test.ts checks it. */
const MODULE_PREFIX = "__facet_ide_";
const ALLOWED_BARE = new Set(["cloudflare:workers", "node:async_hooks"]);
const PLACEHOLDER_SPECIFIER = /^facet-ide:[a-z-]+$/;

/** The name the loader gives the runtime module in `file` (`guard.ts` -> `__facet_ide_guard.js`). */
export function runtimeModuleName(file) {
  return `${MODULE_PREFIX}${basename(file).replace(/\.ts$/, "")}.js`;
}

/** `file` type-stripped, and its imports. */
function transpiled(file) {
  const source = readFileSync(file, "utf8");
  const { code } = transform(source, {
    transforms: ["typescript"],
    filePath: file,
    disableESTransforms: true,
    keepUnusedImports: false,
  });
  return { code, imports: parse(code, file)[0] };
}

/** The sibling a relative specifier of `file` names. */
const siblingOf = (file, specifier) =>
  resolve(dirname(file), specifier.endsWith(".ts") ? specifier : `${specifier}.ts`);

/** Adds `file` and every sibling it imports, directly or not, to `into`. */
function addWithImports(file, into) {
  if (into.has(file)) return;
  into.add(file);
  for (const imp of transpiled(file).imports) {
    if (imp.n?.startsWith(".")) addWithImports(siblingOf(file, imp.n), into);
  }
}

/** The runtime module `file` as the app's isolate loads it (throws what keeps it from loading there). */
export function appModuleText(path) {
  const file = resolve(path);
  const { code, imports } = transpiled(file);
  let out = "";
  let last = 0;
  /** Siblings evaluated so far (imported, or imported by those): the app's main module must come after every one. */
  const evaluated = new Set();
  let userMainAt = -1;
  for (const imp of imports) {
    const where = `${file}: ${code.slice(imp.ss, imp.se || imp.e).split("\n")[0]}`;
    if (imp.d !== -1 || imp.n === undefined) throw new Error(`${where}: a runtime module imports statically`);
    const specifier = imp.n;
    if (specifier.startsWith(".")) {
      const target = siblingOf(file, specifier);
      if (dirname(target) !== dirname(file) || !existsSync(target)) {
        throw new Error(`${where}: a runtime module imports only the modules next to it in server/app-runtime/`);
      }
      out += `${code.slice(last, imp.s)}./${runtimeModuleName(target)}`;
      last = imp.e;
      if (userMainAt >= 0 && !evaluated.has(target)) {
        throw new Error(`${where}: import it before the app's main module, so that it evaluates before the app's code`);
      }
      addWithImports(target, evaluated);
    } else if (PLACEHOLDER_SPECIFIER.test(specifier)) {
      userMainAt = imp.s;
    } else if (!ALLOWED_BARE.has(specifier)) {
      throw new Error(`${where}: '${specifier}' does not exist in the app's isolate`);
    }
  }
  return out + code.slice(last);
}

/** `export default "<text>"` for the file an `?app-module` id names. */
export function appModuleExport(file) {
  return `export default ${JSON.stringify(appModuleText(file))};\n`;
}

/**
 * The Vite plugin: resolves `<path>.ts?app-module` next to its importer, and loads it as its text.
 * The id keeps the file's path, so a change to the file reloads what imports it.
 * @returns {import("vite").Plugin}
 */
export function appModules() {
  return {
    name: "facet-ide:app-modules",
    enforce: "pre",
    resolveId(source, importer) {
      if (!source.endsWith(APP_MODULE_QUERY)) return null;
      const path = source.slice(0, -APP_MODULE_QUERY.length);
      const file = isAbsolute(path) ? path : resolve(dirname((importer ?? "").replace(/\?.*$/, "")), path);
      if (dirname(file) !== RUNTIME_DIR) throw new Error(`${source}: app modules are the files of server/app-runtime/`);
      return `${file}${APP_MODULE_QUERY}`;
    },
    load(id) {
      if (!id.endsWith(APP_MODULE_QUERY)) return null;
      const file = id.slice(0, -APP_MODULE_QUERY.length);
      this.addWatchFile(file);
      return appModuleExport(file);
    },
  };
}
