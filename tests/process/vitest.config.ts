import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests that drive the real `npm run dev` process: hangs, restarts, memory, log streaming.
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    include: ["tests/process/**/*.test.ts"],
    environment: "node",
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
