import { rmSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { cloudflare } from "@cloudflare/vite-plugin";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { manifestPath } from "./scripts/build-manifest.mjs";
import { exitWithLauncher } from "./scripts/follow-launcher.mjs";
import { forbiddenMethodResponse } from "./shared/forbidden-methods.ts";

const root = fileURLToPath(new URL(".", import.meta.url));
/** Where projects, versions and app databases live locally (see README, "Limits and safety"). */
const dataDir = process.env.FACET_IDE_DATA_DIR ?? `${root}.data`;

exitWithLauncher();

/**
 * The dev server answers what Node's fetch cannot pass on to the worker (TRACE) as the worker does,
 * instead of with Vite's HTML error page. Listed before cloudflare(), so it runs first.
 */
const answerLikeTheWorker: Plugin = {
  name: "facet-ide:answer-like-the-worker",
  configureServer(server) {
    server.middlewares.use(async (req, res, next) => {
      const refused = forbiddenMethodResponse(req.method ?? "GET");
      if (!refused) return next();
      res.writeHead(refused.status, Object.fromEntries(refused.headers));
      res.end(await refused.text());
    });
  },
};

/**
 * A response body that fails after its headers were sent (a stream a save cut off) must reach the
 * client as an aborted body. Vite's own error handler would instead append its HTML error page and end
 * the response cleanly, so a cut-off stream would pass for a complete one. This error handler runs
 * first (it is added after the Cloudflare plugin's middleware and before Vite's error handler) and
 * drops the connection in that case; errors before any byte was sent still get Vite's page.
 */
const abortCutResponses: Plugin = {
  name: "facet-ide:abort-cut-responses",
  configureServer(server) {
    return () => {
      server.middlewares.use((error: unknown, _req: unknown, res: ServerResponse, next: (e: unknown) => void) => {
        if (!res.headersSent) return next(error);
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    };
  },
};

/** Any vite build invalidates the record `npm start` trusts; scripts/build.mjs writes it after a build. */
const forgetLastBuild: Plugin = {
  name: "facet-ide:forget-last-build",
  apply: "build",
  buildStart() {
    rmSync(manifestPath, { force: true });
  },
};

export default defineConfig({
  publicDir: false,
  plugins: [
    answerLikeTheWorker,
    forgetLastBuild,
    react(),
    cloudflare({ persistState: { path: dataDir } }),
    abortCutResponses,
  ],
  server: {
    port: Number(process.env.PORT ?? 5173),
    strictPort: true,
    host: "localhost",
    allowedHosts: [".localhost"],
    // Vite answered every OPTIONS request itself (CORS preflights included); the worker and the
    // apps answer them, as they do under `npm start` and once deployed.
    cors: false,
  },
  build: { chunkSizeWarningLimit: 8000 },
});
