import { cloudflare } from "@cloudflare/vite-plugin";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: "client",
  publicDir: false,
  plugins: [react(), cloudflare({ configPath: "../wrangler.jsonc" })],
  server: {
    port: Number(process.env.PORT ?? 5173),
    strictPort: true,
    host: "localhost",
    allowedHosts: [".localhost"],
  },
  build: { outDir: "../dist/client", emptyOutDir: true, chunkSizeWarningLimit: 8000 },
});
