import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { appModules } from "../../server/app-runtime/build/app-modules.mjs";
import { typeCheckBuild, writeTypeCheckAssets } from "../../server/type-check/build/checker-modules.mjs";
import { REGISTRY_URL, standInApi } from "./network/stand-in-api.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
// The type checker's compiler and lib files, where the assets binding serves them (as the build does).
writeTypeCheckAssets(`${root}/dist/client`);

export default defineConfig({
  root,
  plugins: [
    // The loader's `?app-module` imports of the app's runtime.
    appModules(),
    typeCheckBuild(),
    cloudflareTest({
      wrangler: { configPath: `${root}/wrangler.jsonc` },
      // A short drain deadline, so tests of what a swap cuts off take one second, not five.
      // The worker's own fetches (the network gateway's, the package cache's) reach a stand-in for
      // the internet, the npm registry included (tests/fixtures/registry/).
      miniflare: {
        bindings: { SWAP_DRAIN_DEADLINE_MS: "1000", NPM_CONFIG_REGISTRY: REGISTRY_URL },
        outboundService: standInApi,
      },
    }),
  ],
  test: {
    include: ["tests/worker/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
