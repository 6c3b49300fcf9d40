import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";
import { routes } from "../../shared/http/routes";
import { chromiumArgs, chromiumPath } from "./chromium.mjs";

const PORT = Number(process.env.E2E_PORT ?? 5199);
/** The fixture npm registry's port, beside the IDE's. */
const REGISTRY_PORT = PORT + 1;
const REGISTRY = `http://127.0.0.1:${REGISTRY_PORT}/`;
/**
 * A fresh data directory per run: the tests start from an empty IDE, and never share SQLite files
 * with a dev server running on the same checkout (two runtimes on one directory block each other).
 */
const DATA_DIR = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), "facet-ide-e2e-"));
/**
 * The scripted model (tests/fixtures/scripted-model.mjs) the IDE's assistant talks to: an
 * OpenAI-compatible endpoint that answers with the turns a test puts (assistant.spec.ts). The tests
 * read its address from E2E_MODEL_URL; no other spec uses the assistant.
 */
const MODEL_PORT = Number(process.env.E2E_MODEL_PORT ?? PORT + 1000);
process.env.E2E_MODEL_URL = `http://127.0.0.1:${MODEL_PORT}`;

export default defineConfig({
  testDir: ".",
  testMatch: /.*\.spec\.ts$/,
  // One server, one runtime on a 2-core machine: tests run one after another.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? "line" : "list",
  outputDir: "../../test-results",
  use: {
    baseURL: `http://localhost:${PORT}`,
    viewport: { width: 1280, height: 800 },
    trace: "retain-on-failure",
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
  },
  webServer: [
    {
      command: `node tests/fixtures/scripted-model.mjs --port ${MODEL_PORT}`,
      cwd: "../..",
      url: `http://127.0.0.1:${MODEL_PORT}/requests`,
      reuseExistingServer: !process.env.CI,
      stdout: "pipe",
      stderr: "pipe",
    },
    // The npm registry apps' packages come from: fixture tarballs, never the internet.
    {
      command: "node_modules/.bin/node tests/e2e/registry-server.ts",
      cwd: "../..",
      env: { REGISTRY_PORT: String(REGISTRY_PORT) },
      url: `${REGISTRY}-/counts`,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
    },
    // What users run: `npm start` (it builds first when dist/ is not current, hence the long timeout).
    {
      command: "npm start",
      cwd: "../..",
      env: {
        PORT: String(PORT),
        FACET_IDE_DATA_DIR: DATA_DIR,
        FACET_IDE_MODEL_URL: `http://127.0.0.1:${MODEL_PORT}/v1`,
        FACET_IDE_MODEL: "scripted",
        NPM_CONFIG_REGISTRY: REGISTRY,
      },
      url: `http://localhost:${PORT}${routes.health.path}`,
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
      stdout: "pipe",
      stderr: "pipe",
      // The launcher must get to stop the runtime it started (its own process group); the default
      // SIGKILL of the launcher alone would orphan the runtime, and Playwright waits on it.
      gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    },
  ],
});
