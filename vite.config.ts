import type { ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { cloudflare } from "@cloudflare/vite-plugin";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { exitWithLauncher } from "./scripts/follow-launcher.mjs";

const root = fileURLToPath(new URL(".", import.meta.url));
/** Where projects, versions and app databases live locally (see README, "Limits and safety"). */
const dataDir = process.env.FACET_IDE_DATA_DIR ?? `${root}.data`;

exitWithLauncher();

/**
 * A response body that fails after its headers were sent (a stream a save cut off) must reach the
 * client as an aborted body. Vite's own error handler would instead append its HTML error page and end
 * the response cleanly, so a cut-off stream would pass for a complete one. This error handler runs
 * first (it is added after the Cloudflare plugin's middleware and before Vite's error handler) and
 * drops the connection in that case; errors before any byte was sent still get Vite's page.
 */
function abortCutResponses(): Plugin {
  return {
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
}

export default defineConfig({
  publicDir: false,
  plugins: [react(), cloudflare({ persistState: { path: dataDir } }), abortCutResponses()],
  server: {
    port: Number(process.env.PORT ?? 5173),
    strictPort: true,
    host: "localhost",
    allowedHosts: [".localhost"],
  },
  build: { chunkSizeWarningLimit: 8000 },
});
