import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { appModules } from "../../server/app-runtime/build/app-modules.mjs";
import { typeCheckBuild, writeTypeCheckAssets } from "../../server/type-check/build/checker-modules.mjs";
import { standInApi } from "./network/stand-in-api.ts";

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
      // The worker's own fetches (the network gateway's) reach a stand-in for the internet.
      miniflare: { bindings: { SWAP_DRAIN_DEADLINE_MS: "1000" }, outboundService: standInApi },
    }),
  ],
  test: {
    include: ["tests/worker/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
