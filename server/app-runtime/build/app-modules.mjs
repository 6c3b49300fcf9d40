/**
 * The build of the app's runtime: turns a module of server/app-runtime/ into the JavaScript text the
 * loader hands the Worker Loader (server/supervisor/app-host/runtime-modules.ts).
 *
 * `import text from "../guard.ts?app-module"` gives `guard.ts` type-stripped with
 * sucrase (line for line, comments kept, so it reads as written) and its imports of sibling runtime
 * modules (`./originals`, `../logs/log-lines`) rewritten to the names the loader gives them
 * (`./__facet_ide_originals.js`: `runtimeModuleName`). The folders under server/app-runtime/ are
 * for readers: in the isolate every module sits side by side, named by its file name alone, so file
 * names are unique across the folders (checked). A runtime module may import only other runtime
 * modules, `cloudflare:workers`,
 * `node:async_hooks` and the placeholder specifiers the loader fills in (`facet-ide:*`); anything else
 * fails the build, since nothing else exists in the app's isolate.
 *
 * Used by Vite (vite.config.ts: the dev server and `npm run build`), by the test configurations
 * (tests/unit, tests/worker) and by the bench, which bundles with wrangler and gets each text as an
 * `--alias` module (bench/runtime.mjs).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "es-module-lexer/js";
import { transform } from "sucrase";

/** server/app-runtime/, where every runtime module lives (in it, or in a folder of it). */
export const RUNTIME_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Folders of server/app-runtime/ that hold no runtime module. */
const NOT_RUNTIME = new Set(["build", "types"]);

/** Whether `file` is a runtime module: a .ts file in `root` (server/app-runtime/) or one of its folders. */
function isRuntimeModule(file, root = RUNTIME_DIR) {
  const rel = relative(root, file);
  if (rel.startsWith("..") || isAbsolute(rel) || !rel.endsWith(".ts") || rel.endsWith(".d.ts")) return false;
  const parts = rel.split(sep);
  return parts.length === 1 || (parts.length === 2 && !NOT_RUNTIME.has(parts[0]));
}

/** Every runtime module of `root` by its name in the isolate; two files of one name would be one module there. */
export function runtimeFilesByName(root = RUNTIME_DIR) {
  const byName = new Map();
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const files = entry.isDirectory()
      ? NOT_RUNTIME.has(entry.name)
        ? []
        : readdirSync(join(root, entry.name)).map((name) => join(root, entry.name, name))
      : [join(root, entry.name)];
    for (const file of files.filter((f) => isRuntimeModule(f, root))) {
      const name = runtimeModuleName(file);
      if (byName.has(name))
        throw new Error(`${file} and ${byName.get(name)}: runtime modules need distinct file names`);
      byName.set(name, file);
    }
  }
  return byName;
}
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

/** The runtime module a relative specifier of `file` names. */
const moduleAt = (file, specifier) => resolve(dirname(file), specifier.endsWith(".ts") ? specifier : `${specifier}.ts`);

/** Adds `file` and every runtime module it imports, directly or not, to `into`. */
function addWithImports(file, into) {
  if (into.has(file)) return;
  into.add(file);
  for (const imp of transpiled(file).imports) {
    if (imp.n?.startsWith(".")) addWithImports(moduleAt(file, imp.n), into);
  }
}

/**
 * The runtime module `path` as the app's isolate loads it (throws what keeps it from loading there).
 * `root`: the folder of the runtime's modules (another one in tests).
 */
export function appModuleText(path, root = RUNTIME_DIR) {
  const file = resolve(path);
  runtimeFilesByName(root);
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
      const target = moduleAt(file, specifier);
      if (!isRuntimeModule(target, root) || !existsSync(target)) {
        throw new Error(`${where}: a runtime module imports only the other runtime modules (server/app-runtime/)`);
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
      if (!isRuntimeModule(file)) throw new Error(`${source}: app modules are the files of server/app-runtime/`);
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
