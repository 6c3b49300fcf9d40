import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Plain modules of the client, the server and the launcher, tested in Node without a runtime or a
// browser: the fast suite `npm test` runs first.
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    include: ["tests/unit/**/*.test.ts"],
    environment: "node",
  },
});
