/**
 * What an app is, said the same way wherever code does not fit it. A project is an App project (one
 * class `App`, one object, one database) or a Worker project (a wrangler.jsonc whose Durable Object
 * bindings put namespaces in env: a Worker routes to many objects by name, each with its own
 * database). Here: the 422 for a module that is neither, naming the wrangler.jsonc that would make
 * it a Worker project; the terminal's note on a save whose code picks objects by name from a
 * namespace env does not have; the explanation added to the TypeError such code gets; and the
 * diagnostics of a Worker project whose main module does not export what its configuration binds.
 * The README's "One object or many" has the worked example these messages point to.
 */
import type { Diagnostic } from "../../../shared/api";
import type { NewLogEntry } from "../../../shared/logs";
import { type ProjectConfig, readProjectConfig } from "../../../shared/project-config";
import { lineColumnAt } from "../../../shared/source-position";
import type { ExportShape } from "../../app-runtime/protocol";

export const ADAPT_GUIDE = `the README's "One object or many"`;

const NAMESPACE_METHODS = ["getByName", "idFromName", "idFromString", "newUniqueId"] as const;
const NAMESPACE_CALL = new RegExp(
  String.raw`\benv\s*\.\s*([A-Za-z_$][\w$]*)\s*\.\s*(${NAMESPACE_METHODS.join("|")})\s*\(`,
  "g",
);

const list = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;

/**
 * The 422 diagnostic for a main module that is not one Durable Object: the message below, at the
 * declaration it is about (the class to export as App, or the Worker) when the source shows it.
 */
export function notAnAppDiagnostic(main: string, source: string, shapes: Record<string, ExportShape>): Diagnostic {
  const names = Object.keys(shapes);
  const about =
    names.find((n) => n !== "default" && (shapes[n] === "durable-object" || shapes[n] === "plain-class")) ??
    names.find((n) => n !== "default" && shapes[n] === "class");
  const declaration = about
    ? new RegExp(String.raw`\bclass\s+${about.replaceAll("$", "\\$")}(?![\w$])`)
    : /\bexport\s+default\b/;
  const at = declaration.exec(source);
  const { line, column } = at ? lineColumnAt(source, at.index) : { line: 1, column: 1 };
  const bindings = [...new Set([...source.matchAll(NAMESPACE_CALL)].map((m) => m[1] ?? ""))].filter(Boolean);
  return { file: main, line, column, message: notAnAppMessage(main, shapes, bindings) };
}

/**
 * Why `main` cannot run as an app, and the changes that make it one: a wrangler.jsonc that makes it
 * a Worker project (its classes bound to the names `bindings`, the env names its code uses), or one
 * class exported as App. `shapes` maps each export name (`default` included) to what it is.
 */
export function notAnAppMessage(main: string, shapes: Record<string, ExportShape>, bindings: string[] = []): string {
  const names = Object.keys(shapes);
  const classes = names.filter((n) => shapes[n] === "durable-object" || shapes[n] === "plain-class");
  const otherClasses = names.filter((n) => shapes[n] === "class");
  const exportsWorker = shapes.default === "worker";
  const head = `A project without a wrangler.jsonc is an App project, one Durable Object: ${main} must export its class as App (or as the default export)`;
  if (classes.length > 0 && exportsWorker) {
    return `${head}. It exports a Worker and the class${classes.length > 1 ? "es" : ""} ${list(classes)}: to run it as it is, with an object per name, make it a Worker project by adding a wrangler.jsonc that binds ${classes.length > 1 ? "them" : "it"}: ${configExample(main, classes, bindings)}. Or keep one object: add \`export { ${classes[0]} as App };\` and move the Worker's routing into the class (see ${ADAPT_GUIDE}).`;
  }
  if (classes.length === 1) {
    const [name] = classes;
    return `${head}. It exports the class ${name}: add \`export { ${name} as App };\`.`;
  }
  if (classes.length > 1) {
    return `${head}. It exports the classes ${list(classes)}: add a wrangler.jsonc that binds them to run each as its own objects (a Worker project; its default export then handles requests), or export the one that serves requests as App (\`export { ${classes[0]} as App };\`) and fold the others into it (see ${ADAPT_GUIDE}).`;
  }
  if (exportsWorker) {
    return `${head}. Its default export is a Worker ({ fetch }) and it exports no Durable Object class: put its fetch in \`export class App extends DurableObject { async fetch(request) { ... } }\` (import DurableObject from "cloudflare:workers"), or add the classes it routes to and a wrangler.jsonc binding them (see ${ADAPT_GUIDE}).`;
  }
  if (otherClasses.length > 0) {
    const [name] = otherClasses;
    return `${head}. The class ${name} neither extends DurableObject nor has a fetch() method: write \`export class App extends DurableObject { async fetch(request) { ... } }\` with DurableObject from "cloudflare:workers".`;
  }
  const found = names.length ? `it exports ${list(names)}` : "it exports nothing";
  return `${head} that extends DurableObject from "cloudflare:workers"; ${found}.`;
}

/** The wrangler.jsonc that binds `classes`, named as the code's env reads them where that is clear. */
function configExample(main: string, classes: string[], bindings: string[]): string {
  const names =
    bindings.length === classes.length
      ? bindings
      : classes.map((c) => c.replace(/[a-z](?=[A-Z])/g, "$&_").toUpperCase());
  const entries = classes.map((c, i) => `{ "name": "${names[i]}", "class_name": "${c}" }`).join(", ");
  return `{ "main": "${main}", "durable_objects": { "bindings": [${entries}] } }`;
}

/**
 * Calls like `env.ROOMS.getByName(...)` in the project's files on a namespace env does not have: any
 * in an App project (no wrangler.jsonc), those on a name the configuration does not bind in a Worker
 * project.
 */
export function namespaceCallsIn(files: Record<string, string>, config: ProjectConfig | null = null): Diagnostic[] {
  const bound = new Set(config?.bindings.map((b) => b.name) ?? []);
  const found: Diagnostic[] = [];
  for (const [file, source] of Object.entries(files)) {
    if (!/\.(ts|js|mjs)$/.test(file)) continue;
    if (config?.assets?.directory && file.startsWith(`${config.assets.directory}/`)) continue;
    for (const match of source.matchAll(NAMESPACE_CALL)) {
      const [call = "", binding = "", method = ""] = match;
      if (bound.has(binding)) continue;
      // Pointed at the method, where the editor's mark then sits.
      const { line, column } = lineColumnAt(source, match.index + call.lastIndexOf(method));
      found.push({ file, line, column, message: namespaceCallMessage(binding, method, config) });
    }
  }
  return found;
}

/** What a save answers as warnings: the configuration's (bindings a project cannot have) and namespace calls env cannot serve. */
export function saveWarnings(files: Record<string, string>, main?: string): Diagnostic[] {
  const read = readProjectConfig(files, main);
  if (!read.ok) return [];
  return [...read.warnings, ...namespaceCallsIn(files, read.config)];
}

function namespaceCallMessage(binding: string, method: string, config: ProjectConfig | null): string {
  if (config) {
    const names = config.bindings.map((b) => b.name);
    return `env.${binding}.${method}() will throw: ${config.file} binds no Durable Object namespace ${binding}${names.length ? ` (it binds ${list(names)})` : ""}; add { "name": "${binding}", "class_name": "..." } to durable_objects.bindings.`;
  }
  return `env.${binding}.${method}() will throw: without a wrangler.jsonc this is an App project, one Durable Object (this class), and its env has no Durable Object namespaces. To route by name to many objects, make it a Worker project: add a wrangler.jsonc whose durable_objects.bindings binds ${binding} to a class, with a Worker as main's default export; or serve every name from this one object, keeping what differs by name in rows keyed by it (see ${ADAPT_GUIDE}).`;
}

/** The explanation for an exception that code picking objects by name from env gets, or null. */
export function exceptionHint(message: string): string | null {
  const match = /Cannot read properties of undefined \(reading '([\w$]+)'\)/.exec(message);
  const method = match?.[1];
  if (!method || !(NAMESPACE_METHODS as readonly string[]).includes(method)) return null;
  return `${method}() was called on something env does not have. env holds the project's variables and, in a Worker project (one with a wrangler.jsonc), the Durable Object namespaces its durable_objects.bindings name: code such as env.ROOMS.${method}(name) needs ROOMS bound there. An App project (no wrangler.jsonc) is one Durable Object with no namespaces: add a wrangler.jsonc to route by name to many objects, or serve every name from this object, keeping what differs by name in rows keyed by it (see ${ADAPT_GUIDE}).`;
}

/**
 * Adds the explanation after an exception that code picking objects by name from env gets: once per
 * version (each failing request would repeat it), while the supervisor stays loaded.
 */
export class ExceptionHints {
  #explained = new Set<number | null>();

  add(entries: NewLogEntry[]): NewLogEntry[] {
    if (!entries.some((e) => e.kind === "exception")) return entries;
    return entries.flatMap((entry): NewLogEntry[] => {
      if (entry.kind !== "exception" || this.#explained.has(entry.version)) return [entry];
      const hint = exceptionHint(entry.message);
      if (!hint) return [entry];
      this.#explained.add(entry.version);
      return [entry, { kind: "system", level: "info", at: entry.at, version: entry.version, message: hint }];
    });
  }
}

/**
 * What keeps a Worker project's main module from running as its configuration says: a default
 * export that is not a Worker, or a bound class it does not export as a Durable Object class. Each
 * at the line it is about (the binding in the configuration, or the export in main).
 */
export function workerProjectDiagnostics(
  config: ProjectConfig,
  source: string,
  configSource: string,
  shapes: Record<string, ExportShape>,
): Diagnostic[] {
  const found: Diagnostic[] = [];
  if (shapes.default !== "worker") {
    const at = /\bexport\s+default\b/.exec(source);
    found.push({
      file: config.main,
      ...(at ? lineColumnAt(source, at.index) : { line: 1, column: 1 }),
      message: `A Worker project's main module handles the app's requests in its default export: ${config.main} ${shapes.default === undefined ? "has no default export" : `exports a ${shapes.default} as default`}; write \`export default { async fetch(request, env, ctx) { ... } }\` (or a class extending WorkerEntrypoint)`,
    });
  }
  for (const binding of config.bindings) {
    const shape = shapes[binding.className];
    if (shape === "durable-object" || shape === "plain-class") continue;
    const at = configSource.indexOf(binding.className);
    found.push({
      file: config.file,
      ...(at >= 0 ? lineColumnAt(configSource, at) : { line: 1, column: 1 }),
      message:
        shape === undefined
          ? `${binding.name} is bound to the class ${binding.className}, which ${config.main} does not export: add \`export class ${binding.className} extends DurableObject { ... }\` to ${config.main}`
          : `${binding.name} is bound to ${binding.className}, which ${config.main} exports as a ${shape}, not a Durable Object class (extend DurableObject from "cloudflare:workers")`,
    });
  }
  return found;
}
