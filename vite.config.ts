import { fileURLToPath } from "node:url";
import { cloudflare } from "@cloudflare/vite-plugin";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { exitWithLauncher } from "./scripts/follow-launcher.mjs";

const root = fileURLToPath(new URL(".", import.meta.url));
/** Where projects, versions and app databases live locally (see README, "Limits and safety"). */
const dataDir = process.env.FACET_IDE_DATA_DIR ?? `${root}.data`;

exitWithLauncher();

export default defineConfig({
  publicDir: false,
  plugins: [react(), cloudflare({ persistState: { path: dataDir } })],
  server: {
    port: Number(process.env.PORT ?? 5173),
    strictPort: true,
    host: "localhost",
    allowedHosts: [".localhost"],
  },
  build: { chunkSizeWarningLimit: 8000 },
});
