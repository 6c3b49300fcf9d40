import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { appModules } from "../../server/app-runtime/build/app-modules.mjs";

// Plain modules of the client, the server and the launcher, tested in Node without a runtime or a
// browser: the fast suite `npm test` runs first.
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  // The loader's `?app-module` imports of the app's runtime (compile.ts's tests load apps).
  plugins: [appModules()],
  // Runtime modules that import cloudflare:workers (shapes.ts) get a stub of its two classes.
  resolve: {
    alias: { "cloudflare:workers": fileURLToPath(new URL("server/stubs/cloudflare-workers.ts", import.meta.url)) },
  },
  test: {
    include: ["tests/unit/**/*.test.ts"],
    environment: "node",
  },
});
