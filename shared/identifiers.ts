/**
 * The names the API accepts, as zod schemas and patterns: project ids, file paths, environment
 * variable names and version numbers, with the prefixes the IDE keeps for itself. Every route and
 * tool takes its names from here, so a name is valid (or not) in the same way everywhere.
 */
import { z } from "zod";
import { ObjectSelector } from "./objects";

/**
 * Agent keys start with this, so the API tells a key from a project token (a random token never
 * does: it is redrawn if it would).
 */
export const AGENT_KEY_PREFIX = "fk_";

/**
 * A DNS label, so that `<id>.<domain>` is the app's origin, without `--`: `<id>--draft.<domain>` is
 * the draft's (one label, so one wildcard certificate covers both). Ids were always made by
 * slugify(), which never wrote `--`, so no existing id is excluded.
 */
export const projectIdPattern = /^(?!.*--)[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const ProjectId = z
  .string()
  .regex(projectIdPattern, "project ids are DNS labels: a-z, 0-9 and '-' (never '--'), at most 40 chars");

/**
 * Names the IDE's own modules and bindings use inside every app (the wrapper module, its log and guard
 * modules, the env keys of its bridges). User files and variables may not take them.
 */
export const RESERVED_MODULE_PREFIX = "__facet_ide";
export const RESERVED_ENV_PREFIX = "__FACET_IDE";

/**
 * File names: relative paths of word-ish segments; no `..`, no leading `/`, no backslashes. Modules
 * are .ts, .tsx, .js, .jsx, .mjs and .json; a Worker project's configuration is wrangler.jsonc, .json or .toml,
 * and the files of its assets folder may also be web pages, styles and other text (.sql too: wrangler's
 * default rules import it as Text, as they do .txt and .html).
 */
export const FILE_EXTENSIONS = [
  "ts",
  "tsx",
  "js",
  "jsx",
  "mjs",
  "json",
  "jsonc",
  "toml",
  "html",
  "htm",
  "css",
  "txt",
  "svg",
  "md",
  "xml",
  "csv",
  "sql",
];
const filePathPattern = new RegExp(
  String.raw`^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*\/)*[A-Za-z0-9_][A-Za-z0-9_.-]*\.(?:${FILE_EXTENSIONS.join("|")})$`,
);
export const FilePath = z
  .string()
  .max(120)
  .regex(
    filePathPattern,
    "file names are relative paths ending in .ts, .tsx, .js, .jsx, .mjs or .json (or, in a Worker project, wrangler.jsonc/.toml and web files such as .html and .css), without '..'",
  )
  .refine((p) => !p.split("/").includes(".."), "file names must not contain '..'")
  .refine(
    (p) => !p.split("/").some((segment) => segment.toLowerCase().startsWith(RESERVED_MODULE_PREFIX)),
    `names starting with ${RESERVED_MODULE_PREFIX} are the IDE's own modules`,
  );

export const envVarNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Why `name` cannot be an environment variable, or null when it can. */
export function envVarNameProblem(name: string): string | null {
  if (!envVarNamePattern.test(name)) return "Variable names are letters, digits and _, and do not start with a digit";
  if (name === "__proto__") return "__proto__ cannot be a variable name (it is the prototype of this.env)";
  if (name.toUpperCase().startsWith(RESERVED_ENV_PREFIX)) {
    return `Names starting with ${RESERVED_ENV_PREFIX} are the IDE's own`;
  }
  return null;
}

export const EnvVarName = z
  .string()
  .superRefine((name, ctx) => {
    const problem = envVarNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe("The variable's name, as the app reads it: this.env.NAME");

const VERSION_MESSAGE = "Versions are whole numbers from 1";

/** A version number (an agent's tool argument): a whole number from 1. */
export const VersionNumber = z.coerce
  .number({ error: VERSION_MESSAGE })
  .int(VERSION_MESSAGE)
  .min(1, VERSION_MESSAGE)
  .max(Number.MAX_SAFE_INTEGER, VERSION_MESSAGE)
  .describe("A saved version's number (list_versions shows them)");

/**
 * A version number in a path: decimal digits only (Number() alone would read "0x1", "1e0" and " 1"
 * as version 1).
 */
const VersionInPath = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, `${VERSION_MESSAGE}, in decimal digits`)
  .transform(Number)
  .pipe(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER, VERSION_MESSAGE));

// Path parameters

export const ProjectParams = z.object({ id: ProjectId });
/** A Worker project's object in a path (objects.ts). */
export const ObjectParams = ProjectParams.extend({ object: ObjectSelector });
export const VersionParams = z.object({ id: ProjectId, version: VersionInPath });
export const EnvVarParams = z.object({ id: ProjectId, name: EnvVarName });
