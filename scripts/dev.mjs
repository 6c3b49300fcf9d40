/**
 * `npm run dev`: the contributor's mode. Vite serves the IDE with hot reload of its own code and runs
 * the worker in workerd through the Cloudflare Vite plugin, under the supervising launcher
 * (launcher.mjs). Users run `npm start` (start.mjs), which serves the build with nothing in between.
 */
import { launch } from "./launcher.mjs";

// workerd is not replaced alone under vite dev (launcher.mjs says why): the dev server restarts with it.
await launch({ name: "vite dev", command: "vite", args: ["dev"], workerdAlone: false });
