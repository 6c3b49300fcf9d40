// The API's route table and its typed client (shared/http/routes.ts, shared/http/api-client.ts) for the bench,
// which is plain ESM: the Node the bench runs on (node_modules/.bin/node, 24) strips TypeScript's
// types itself, and shared/'s modules use only erasable syntax. What Node does not do is resolve
// their extensionless relative imports (`from "./api"`), as the bundlers do; the hook below adds the
// `.ts` for those, and for nothing else.
import { registerHooks } from "node:module";

if (!process.features.typescript) {
  throw new Error(
    `the bench imports shared/*.ts, which needs a Node that strips types (>= 22.18); this is ${process.version}`,
  );
}

registerHooks({
  resolve(specifier, context, nextResolve) {
    const relative = specifier.startsWith("./") || specifier.startsWith("../");
    if (relative && context.parentURL?.endsWith(".ts") && !/\.[cm]?[jt]s$/.test(specifier)) {
      return nextResolve(`${specifier}.ts`, context);
    }
    return nextResolve(specifier, context);
  },
});

/** @type {typeof import("../shared/http/api-client.ts")} */
const { apiClient } = await import("../shared/http/api-client.ts");
/** @type {typeof import("../shared/http/routes.ts")} */
const { routes } = await import("../shared/http/routes.ts");

export { apiClient, routes };
