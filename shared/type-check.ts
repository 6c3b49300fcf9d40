/**
 * What the editor and the save's type check (server/type-check/) agree on: the globals a project's
 * code sees beyond the Workers types (the `Env` name, its variables, a Worker project's bindings), so
 * that both report the same type errors, and how the save answer says where its type check is.
 */
import { z } from "zod";

/** What of a Worker project's configuration types `env` (shared/project-config.ts's ProjectConfig has it). */
export interface EnvConfig {
  main: string;
  vars: Record<string, unknown>;
  bindings: { name: string; className: string }[];
  assets: { binding?: string | null } | null;
}

/** What a project's code can also use, beyond the runtime: the `Env` name the template and docs use. */
export const PROJECT_GLOBALS = `
/** Bindings of the app. A Facet IDE app has none yet; declare fields here to type your own. */
interface Env extends Cloudflare.Env {}
`;

/**
 * `Cloudflare.Env` after the project's variables and secrets (`names`), and, in a Worker project,
 * after its wrangler.jsonc as `wrangler types` would: each Durable Object binding a namespace of its
 * class, `vars` by their values, the assets binding a Fetcher. `root`: the path of the project's files
 * ("/" on the server, "/<project>/" in the editor); the declaration sits in node_modules/@facet-ide/.
 */
export function envDeclaration(names: string[], config: EnvConfig | null = null, root = "/"): string {
  const types = new Map<string, string>(names.map((name) => [name, "string"]));
  for (const [name, value] of Object.entries(config?.vars ?? {})) {
    if (!types.has(name)) types.set(name, typeof value === "object" || value === undefined ? "unknown" : typeof value);
  }
  // From node_modules/@facet-ide/ back to the project's files.
  const main = `../..${root}${config?.main.replace(/\.(ts|js|mjs)$/, "") ?? ""}`;
  for (const { name, className } of config?.bindings ?? []) {
    types.set(name, `DurableObjectNamespace<import(${JSON.stringify(main)}).${className}>`);
  }
  if (config?.assets?.binding) types.set(config.assets.binding, "Fetcher");
  const fields = [...types].map(([name, type]) => `    ${name}: ${type};`).join("\n");
  return `declare namespace Cloudflare {\n  interface Env {\n${fields}\n  }\n}\n`;
}

/** TypeScript's code of a type error ("2322" of "... (TS2322)"), or null for another warning. */
export function typeErrorCode(diagnostic: { message: string }): string | null {
  return /\(TS(\d+)\)$/.exec(diagnostic.message)?.[1] ?? null;
}

/** How long a save's answer waits for its type check; past it the diagnostics come by the terminal. */
export const TYPE_CHECK_WAIT_MS = 4000;

/**
 * Where the save's type check stood when the answer left: "done" (its diagnostics are among the
 * warnings), "running" (they follow in the terminal and the editor), "failed" (the checker could not
 * run; the terminal says why), "off" (FACET_IDE_TYPE_CHECK=off), "skipped" (the sources are past
 * TYPE_CHECK_MAX_SOURCE_BYTES).
 */
export const TypeCheckState = z.enum(["done", "running", "failed", "off", "skipped"]);

/**
 * The sources a save's type check takes, at most. The checker runs in the local runtime's one thread
 * between other work, and a large or pathological file (100 KB of `x=>x,`) holds it for seconds;
 * past this the save goes live unchecked and the terminal says so.
 */
export const TYPE_CHECK_MAX_SOURCE_BYTES = 64 * 1024;
export type TypeCheckState = z.infer<typeof TypeCheckState>;

/**
 * `GET /api/projects/:id/types`: the declaration files (and package.json) of the live version's
 * packages, keyed `node_modules/<name>/<path>`, for the editor's TypeScript.
 */
export const TypesResponse = z.object({
  /** The live version they are of (null before the first save). */
  version: z.number().nullable(),
  files: z.record(z.string(), z.string()),
});
export type TypesResponse = z.infer<typeof TypesResponse>;
