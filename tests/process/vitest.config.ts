import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests that drive the real processes (`npm start`, and `npm run dev` in a smoke test): hangs,
// restarts, memory, log streaming, data shared between the two modes.
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    include: ["tests/process/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/process/build-once.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
