import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("../..", import.meta.url));

export default defineConfig({
  root,
  plugins: [cloudflareTest({ wrangler: { configPath: `${root}/wrangler.jsonc` } })],
  test: {
    include: ["tests/worker/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
