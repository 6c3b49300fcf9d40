/**
 * What an app is (one Durable Object), said the same way wherever code does not fit it: the 422 for a
 * module that exports no usable class, the terminal's note on a save whose code picks objects by name
 * from `env`, and the explanation added to the TypeError such code gets when it runs. Examples on
 * Cloudflare often route by name in a Worker (`env.ROOMS.getByName(room)`); a project is one object,
 * so that routing moves into the class. The README's "One app, one Durable Object" has the worked
 * example these messages point to.
 */
import { z } from "zod";
import type { Diagnostic } from "../../shared/api";
import type { NewLogEntry } from "../../shared/logs";
import { lineColumnAt } from "./compile";

export const ADAPT_GUIDE = `the README's "One app, one Durable Object"`;

/** How the wrapper's probe saw each export of the main module. */
export const ExportShape = z.enum(["durable-object", "plain-class", "class", "worker", "function", "other"]);
export type ExportShape = z.infer<typeof ExportShape>;

/** The wrapper's answer to the save's probe (wrapper.ts), which runs in the app's isolate. */
export const ProbeReport = z.object({
  isDurableObject: z.boolean(),
  shapes: z.record(z.string().max(200), ExportShape),
  logs: z.unknown(),
});

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
  return { file: main, line, column, message: notAnAppMessage(main, shapes) };
}

/**
 * Why `main` cannot run as an app, and the change that makes it one. `shapes` maps each export name
 * (`default` included) to what it is.
 */
export function notAnAppMessage(main: string, shapes: Record<string, ExportShape>): string {
  const names = Object.keys(shapes);
  const classes = names.filter((n) => shapes[n] === "durable-object" || shapes[n] === "plain-class");
  const otherClasses = names.filter((n) => shapes[n] === "class");
  const exportsWorker = shapes.default === "worker";
  const head = `An app is one Durable Object: ${main} must export its class as App (or as the default export)`;
  if (classes.length === 1) {
    const [name] = classes;
    const worker = exportsWorker
      ? ` The Worker in the default export then does not run (requests go straight to the class), so move its routing into the class's fetch: a project is one object, so env.ROOMS.getByName(name) has nothing to route to; keep what differs by name in rows keyed by it (see ${ADAPT_GUIDE}).`
      : "";
    return `${head}. It exports the class ${name}: add \`export { ${name} as App };\`.${worker}`;
  }
  if (classes.length > 1) {
    return `${head}. It exports the classes ${list(classes)}; a project runs one of them: export the one that serves requests as App (\`export { ${classes[0]} as App };\`) and fold the others into it, keeping what each object held in rows keyed by its name (see ${ADAPT_GUIDE}).`;
  }
  if (exportsWorker) {
    return `${head}. Its default export is a Worker ({ fetch }), not a Durable Object class: put its fetch in \`export class App extends DurableObject { async fetch(request) { ... } }\` (import DurableObject from "cloudflare:workers"); an app has no Durable Object namespaces in env, so calls such as env.ROOMS.getByName(room) become code in that one class (see ${ADAPT_GUIDE}).`;
  }
  if (otherClasses.length > 0) {
    const [name] = otherClasses;
    return `${head}. The class ${name} neither extends DurableObject nor has a fetch() method: write \`export class App extends DurableObject { async fetch(request) { ... } }\` with DurableObject from "cloudflare:workers".`;
  }
  const found = names.length ? `it exports ${list(names)}` : "it exports nothing";
  return `${head} that extends DurableObject from "cloudflare:workers"; ${found}.`;
}

/** Calls like `env.ROOMS.getByName(...)` in the project's files: there is no such binding in an app. */
export function namespaceCallsIn(files: Record<string, string>): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const [file, source] of Object.entries(files)) {
    if (file.endsWith(".json")) continue;
    for (const match of source.matchAll(NAMESPACE_CALL)) {
      const [call = "", binding = "", method = ""] = match;
      // Pointed at the method, where the editor's mark then sits.
      const { line, column } = lineColumnAt(source, match.index + call.lastIndexOf(method));
      found.push({ file, line, column, message: namespaceCallMessage(binding, method) });
    }
  }
  return found;
}

function namespaceCallMessage(binding: string, method: string): string {
  return `env.${binding}.${method}() will throw: an app is one Durable Object (this class) and its env has no Durable Object namespaces. Where an example routes by name to many objects, serve them all from this one: read the name in fetch and keep what differs by name in rows keyed by it (see ${ADAPT_GUIDE}).`;
}

/** The explanation for an exception that code picking objects by name from env gets, or null. */
export function exceptionHint(message: string): string | null {
  const match = /Cannot read properties of undefined \(reading '([\w$]+)'\)/.exec(message);
  const method = match?.[1];
  if (!method || !(NAMESPACE_METHODS as readonly string[]).includes(method)) return null;
  return `${method}() was called on something env does not have. An app is one Durable Object (this class), and its env holds only the project's variables, no Durable Object namespaces: code such as env.ROOMS.${method}(name) from an example that routes by name in a Worker has nothing to route to. Serve every name from this object instead: read the name from the request and keep what differs by name in rows keyed by it (see ${ADAPT_GUIDE}).`;
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
