import { rmSync } from "node:fs";
import { type Server, type ServerResponse, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import { cloudflare } from "@cloudflare/vite-plugin";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { assistantVariables } from "./scripts/assistant-env.mjs";
import { manifestPath } from "./scripts/build-manifest.mjs";
import { exitWithLauncher } from "./scripts/follow-launcher.mjs";
import { appModules } from "./server/app-runtime/build/app-modules.mjs";
import { typeCheckBuild } from "./server/type-check/build/checker-modules.mjs";
import {
  IDE_RESPONSE_HEADERS,
  ideRequestRefusal,
  isLoopbackHost,
  methodRefusal,
  refusalParts,
  refusalResponse,
} from "./shared/http/ide-requests.ts";
import {
  isMarkerKey,
  LAUNCHER_VARIABLE,
  MARKER_BEACONS_VARIABLE,
  MARKER_KEY_VARIABLE,
  REGISTRY_VARIABLE,
  registryFrom,
} from "./shared/launcher-contract.mjs";

const root = fileURLToPath(new URL(".", import.meta.url));
/** Where projects, versions and app databases live locally (see README, "Limits and safety"). */
const dataDir = (process.env.FACET_IDE_DATA_DIR ?? `${root}.data`).replace(/\/+$/, "");

// Miniflare's local explorer (`/cdn-cgi/local/explorer`) reads and writes every Durable Object's
// SQLite, on every host name: an app's page could call it on its own origin. The IDE has its own
// SQL console, so it is off unless asked for.
process.env.X_LOCAL_EXPLORER ??= "false";

exitWithLauncher();

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

/**
 * The dev server answers on the IDE's origin (`localhost`) and on every app's (`<project>.localhost`).
 * Vite serves files from the repository itself on the IDE's origin, so the same rules as the worker's
 * apply there before Vite sees a request (shared/http/ide-requests.ts): no reads or writes from other
 * sites, never framed; `/mcp` goes on to the worker, which refuses in the MCP's own format. App origins
 * go to the worker untouched, except what the runtime would answer for them before the app could:
 * TRACE (Node's fetch refuses it, which was Vite's HTML 500). On every host, Miniflare's `/cdn-cgi/`
 * tools are not served (they answer on an app's own origin too). Host names other than localhost's
 * are refused by Vite itself (`server.allowedHosts`), as the worker does under `npm start`.
 */
function ideOriginGuard(): Plugin {
  return {
    name: "facet-ide:origin-guard",
    // Before the Cloudflare plugin's own middleware (it forwards /cdn-cgi/local/ itself).
    enforce: "pre",
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        const hostname = (req.headers.host ?? "").toLowerCase().replace(/:\d+$/, "");
        const path = req.url ?? "/";
        const method = req.method ?? "GET";
        const isIde = isLoopbackHost(hostname);
        const refusal = path.startsWith("/cdn-cgi/")
          ? ({ status: 404, code: "not_found", message: "Not found (the runtime's /cdn-cgi/ tools are off)" } as const)
          : !isIde || path === "/mcp" || path.startsWith("/mcp?")
            ? methodRefusal(method)
            : ideRequestRefusal({
                method,
                origin: `http://${req.headers.host ?? ""}`,
                header: (name) => {
                  const value = req.headers[name];
                  return Array.isArray(value) ? value.join(", ") : value;
                },
              });
        if (refusal) {
          const answer = refusalResponse(refusal, isIde ? IDE_RESPONSE_HEADERS : {});
          res.writeHead(answer.status, Object.fromEntries(answer.headers));
          res.end(await answer.text());
          return;
        }
        if (isIde) for (const [name, value] of Object.entries(IDE_RESPONSE_HEADERS)) res.setHeader(name, value);
        next();
      });
      if (server.httpServer) refuseMethodsNodeCannotParse(server.httpServer as Server);
    },
  };
}

/**
 * TRACK and CONNECT never reach a middleware: Node's HTTP parser does not know TRACK (a client error,
 * which Vite answered with a bare 400), and CONNECT is the server's `connect` event (with no listener,
 * Node closed the socket unanswered). Both get the JSON 405 that TRACE gets, written on the socket.
 * Ours runs before Vite's client error handler, which leaves a socket it finds ended alone.
 */
function refuseMethodsNodeCannotParse(httpServer: Server): void {
  httpServer.on("connect", (request, socket: Duplex) => refuseOnSocket(socket, "CONNECT", request.headers.host));
  httpServer.prependListener("clientError", (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    const head = error.rawPacket?.toString("latin1") ?? "";
    const method = /^([A-Za-z]+)[ \t]/.exec(head)?.[1] ?? "";
    if (error.code !== "HPE_INVALID_METHOD" || !methodRefusal(method)) return;
    refuseOnSocket(socket, method, /\r\nhost:[ \t]*([^\r\n]*)/i.exec(head)?.[1]);
  });
}

function refuseOnSocket(socket: Duplex, method: string, host: string | undefined): void {
  const refusal = methodRefusal(method);
  if (!refusal || !socket.writable) return void socket.destroy();
  const hostname = (host ?? "").toLowerCase().replace(/:\d+$/, "");
  const answer = refusalParts(refusal, isLoopbackHost(hostname) ? IDE_RESPONSE_HEADERS : {});
  const lines = Object.entries({
    ...answer.headers,
    "content-length": String(Buffer.byteLength(answer.body)),
    connection: "close",
  }).map(([name, value]) => `${name}: ${value}`);
  socket.end(`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\n${lines.join("\r\n")}\r\n\r\n${answer.body}`);
}

export default defineConfig(({ command }) => ({
  publicDir: false,
  plugins: [
    ideOriginGuard(),
    forgetLastBuild,
    // The loader's `?app-module` imports: the app's runtime as the text its isolate loads.
    appModules(),
    // The type checker's modules (`?type-check-modules`), and TypeScript's compiler and lib files as
    // assets of the client build, which the checker's isolate is loaded from (server/type-check/).
    typeCheckBuild(),
    react(),
    cloudflare({
      persistState: { path: dataDir },
      // The runtime's inspector port accepts WebSockets from any origin, and through it any page
      // could run code in the IDE's worker. FACET_IDE_INSPECTOR=1 turns it on for debugging.
      inspectorPort: process.env.FACET_IDE_INSPECTOR ? undefined : false,
      // The launcher (scripts/launcher.mjs) asks for the activity markers it reads after a freeze, and
      // gives the address of its verdict desk (server/launcher.ts); a build never carries either (npm
      // start's serve-build.mjs sets them the same way).
      config: {
        vars: {
          // The launcher's marker key (64 hex digits) turns the markers on; anything else leaves them off.
          [MARKER_KEY_VARIABLE]:
            command === "serve" && isMarkerKey(process.env[MARKER_KEY_VARIABLE])
              ? process.env[MARKER_KEY_VARIABLE]
              : "",
          // "1" keeps those markers in memory instead of printing them (scripts/beacons.mjs).
          [MARKER_BEACONS_VARIABLE]: command === "serve" && process.env[MARKER_BEACONS_VARIABLE] === "1" ? "1" : "",
          [LAUNCHER_VARIABLE]: command === "serve" ? (process.env[LAUNCHER_VARIABLE] ?? "") : "",
          // The assistant's model and bounds (scripts/assistant-env.mjs): served only, never built in.
          ...(command === "serve" ? assistantVariables() : {}),
          // The npm registry apps' packages come from, as the shell names it for npm (docs/packages.md).
          [REGISTRY_VARIABLE]: command === "serve" ? registryFrom(process.env) : "",
        },
      },
    }),
    abortCutResponses,
  ],
  server: {
    port: Number(process.env.PORT ?? 5173),
    strictPort: true,
    host: "localhost",
    allowedHosts: [".localhost"],
    // Vite's default lets every *.localhost origin read what it serves, app pages included, and it
    // answered every OPTIONS request itself (CORS preflights included). The IDE reads only its own
    // origin; the worker and the apps answer OPTIONS, as under `npm start` and once deployed.
    cors: false,
    fs: {
      // The data folder holds every project's database, secrets and token hashes: never served,
      // wherever it is (the default is inside the repository, which Vite serves).
      deny: [".env", ".env.*", "*.{crt,pem}", "**/.git/**", "**/.data/**", `${dataDir}/**`, "**/*.sqlite*"],
    },
  },
  build: { chunkSizeWarningLimit: 8000 },
}));
