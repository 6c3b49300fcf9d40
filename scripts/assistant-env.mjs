/**
 * The assistant's settings (server/assistant/config.ts) for the local runtime: taken from the
 * environment `npm start` / `npm run dev` runs in, else from .dev.vars in the project's folder, and
 * handed to the worker as variables when it is served (serve-build.mjs, vite.config.ts). Never put
 * into a build: deployed, they are Worker secrets (docs/assistant.md).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

export const ASSISTANT_VARIABLES = [
  "FACET_IDE_MODEL_URL",
  "FACET_IDE_MODEL_KEY",
  "FACET_IDE_MODEL",
  "FACET_IDE_ASSISTANT_STEPS",
  "FACET_IDE_ASSISTANT_TOKENS",
  "FACET_IDE_MODEL_TIMEOUT_MS",
];

/**
 * @param {Record<string, string | undefined>} env the process's environment
 * @param {string} root the folder that may hold .dev.vars
 * @returns {Record<string, string>} the settings that are set, by name
 */
export function assistantVariables(env = process.env, root = process.cwd()) {
  const file = join(root, ".dev.vars");
  const devVars = existsSync(file) ? parseEnv(readFileSync(file, "utf8")) : {};
  /** @type {Record<string, string>} */
  const variables = {};
  for (const name of ASSISTANT_VARIABLES) {
    const value = env[name] ?? devVars[name];
    if (typeof value === "string" && value !== "") variables[name] = value;
  }
  return variables;
}
