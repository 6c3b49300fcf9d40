/**
 * Starts the IDE as a user does (`npm start`: the build under Miniflare) or as a contributor does
 * (`npm run dev`: vite), each under the supervising launcher, on its own port and data directory; or
 * the build as it is deployed (`production`, see startServer).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import http from "node:http";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { root, writeDeployedManifest } from "../../scripts/build-manifest.mjs";
import type { CreateProjectResponse } from "../../shared/api";
import { type ApiClient, apiClient } from "../../shared/http/api-client";
import { routes } from "../../shared/http/routes";
import counterAppSource from "./fixtures/counter-app.ts?raw";

export type Mode = "start" | "dev" | "production";

/** What the deployed configuration is given in `production` mode (wrangler.jsonc's vars and secret, as deployed). */
export interface ProductionSettings {
  previewDomain: string;
  accessSecret: string;
}

export interface IdeServer {
  mode: Mode;
  port: number;
  dataDir: string;
  output: () => string;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * FACET_IDE_TEST_PORT fixes the first port (for machines where port ranges are shared out); the next
 * servers take the ports after it.
 */
let port = Number(process.env.FACET_IDE_TEST_PORT ?? 5300 + Math.floor(Math.random() * 200));
const nextPort = () => port++;

/**
 * `production` serves the build as deployed: ENVIRONMENT=production, the preview domain and the access
 * secret of `production`, and no launcher (so no activity markers and no data folder desk), through
 * the runtime `npm start` uses (scripts/serve-build.mjs) given a copy of the build's manifest with
 * those settings (scripts/build-manifest.mjs). The build is the process tests' (build-once.ts).
 */
export async function startServer(
  options: { mode?: Mode; dataDir?: string; env?: Record<string, string>; production?: ProductionSettings } = {},
): Promise<IdeServer> {
  const mode = options.mode ?? "start";
  const port = nextPort();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "facet-ide-test-"));
  let output = "";
  const [command, args] = commandFor(mode, options.production);
  const child = spawn(command, args, {
    // The type check is off here (a test's options.env may turn it on): these tests judge freezes and
    // restarts by timing, and its warm-up at every start of workerd, a replaced one included, weighs on
    // them. The worker and browser suites test it.
    env: {
      ...process.env,
      FACET_IDE_TYPE_CHECK: "off",
      PORT: String(port),
      FACET_IDE_DATA_DIR: dataDir,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so stop() can signal npm, the launcher and all, as a terminal's Ctrl+C does.
    detached: true,
  });
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`npm ${mode} exited (${code}) before it answered:\n${output}`))),
  );
  try {
    await Promise.race([waitForHealth(port, 90_000), exited]);
  } catch (error) {
    if (child.exitCode === null) process.kill(-(child.pid ?? 0), "SIGTERM");
    throw error;
  }
  return {
    mode,
    port,
    dataDir,
    output: () => output,
    process: child,
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      process.kill(-(child.pid ?? 0), signal);
      await exited;
    },
  };
}

function commandFor(mode: Mode, production: ProductionSettings | undefined): [string, string[]] {
  if (mode === "start") return ["npm", ["start"]];
  if (mode === "dev") return ["npm", ["run", "dev"]];
  if (!production) throw new Error("production mode needs its settings (previewDomain, accessSecret)");
  const manifest = writeDeployedManifest(mkdtempSync(join(tmpdir(), "facet-ide-production-")), production);
  return [process.execPath, [join(root, "scripts", "serve-build.mjs"), manifest]];
}

/**
 * One server for a test file: started before its first test, stopped after its last. The object is
 * filled in when the server has started, so a test reads it as the server itself.
 */
export function serverForFile(
  options: Parameters<typeof startServer>[0] | (() => Parameters<typeof startServer>[0]) = {},
): IdeServer {
  const server = {} as IdeServer;
  beforeAll(async () => {
    Object.assign(server, await startServer(typeof options === "function" ? options() : options));
  });
  afterAll(async () => {
    await server.stop?.();
  });
  return server;
}

/**
 * Waits until `server`'s launcher has printed `text`; else fails with the end of what it printed (the
 * bystander apps' own lines left out, so the launcher's show).
 */
export async function untilOutput(server: IdeServer, text: string | RegExp, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const output = server.output();
    if (typeof text === "string" ? output.includes(text) : text.test(output)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  const said = server
    .output()
    .split("\n")
    .filter((line) => !line.includes("bystander hit"))
    .join("\n");
  throw new Error(`the launcher never said ${text}; it said:\n${said.slice(-3000)}`);
}

/** The typed client of the route table (shared/http/api-client.ts) on the IDE at `server`, through Node's fetch. */
export const clientOf = (server: { port: number }): ApiClient<typeof routes> =>
  apiClient(routes, { baseUrl: `http://127.0.0.1:${server.port}`, fetch: (url, init) => fetch(url, init) });

/** The terminal WebSocket's URL for a project on `server`. */
export const terminalUrl = (server: { port: number }, id: string) =>
  clientOf(server).url("terminal", { params: { id } }).replace(/^http/, "ws");

export async function waitForHealth(port: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      const response = await clientOf({ port }).send("health", { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return Date.now() - started;
    } catch {
      // Not up yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the IDE on ${port} did not answer ${routes.health.path} within ${timeoutMs} ms`);
}

/** A raw call of the API (its path from `clientOf(server).path()`), for what the typed client will not send. */
export function api(
  server: { port: number },
  path: string,
  init: RequestInit & { token?: string; json?: unknown } = {},
) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  return fetch(`http://127.0.0.1:${server.port}${path}`, {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
}

export interface AppResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text(): Promise<string>;
}

/**
 * A request to the app's own origin. Node cannot resolve *.localhost here and its fetch() will not
 * send a Host header, so this goes through node:http to 127.0.0.1 with the Host set.
 */
export function appRequest(
  server: { port: number },
  projectId: string,
  path = "/",
  init: { method?: string; timeoutMs?: number; body?: string } = {},
): Promise<AppResponse> {
  return rawRequest(server, `${projectId}.localhost`, path, init);
}

/** A request through node:http, which (unlike fetch) sends any Host and any method, TRACE included. */
export function rawRequest(
  server: { port: number },
  hostname: string,
  path = "/",
  init: { method?: string; timeoutMs?: number; body?: string; headers?: Record<string, string> } = {},
): Promise<AppResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port: server.port,
        path,
        method: init.method ?? "GET",
        headers: { ...init.headers, host: `${hostname}:${server.port}` },
        timeout: init.timeoutMs ?? 30_000,
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => {
          body += chunk;
        });
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text: async () => body }),
        );
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error("timed out")));
    request.on("error", reject);
    request.end(init.body);
  });
}

export function createProject(server: { port: number }, template = "blank"): Promise<CreateProjectResponse> {
  return clientOf(server).call("createProject", { body: { template } });
}

export function deploy(server: { port: number }, project: CreateProjectResponse, source: string) {
  const input = { params: { id: project.id }, credential: project.token, body: { files: { "app.ts": source } } };
  return clientOf(server).call("putCode", input);
}

/** The counter app in fixtures/counter-app.ts: each request counts a hit and answers `<label> rows=<n>`. */
export const counterSource = (label: string) => counterAppSource.replaceAll('"__LABEL__"', () => JSON.stringify(label));

/**
 * A WebSocket to an app, over node:http: the app's origin is a Host header away, and Node cannot
 * resolve *.localhost. `send` writes one masked text frame, as a client must.
 */
export function openAppSocket(server: { port: number }, projectId: string, path: string) {
  return new Promise<{ headers: http.IncomingHttpHeaders; socket: Socket; send: (text: string) => void }>(
    (resolve, reject) => {
      const request = http.request({
        host: "127.0.0.1",
        port: server.port,
        path,
        headers: {
          host: `${projectId}.localhost:${server.port}`,
          connection: "Upgrade",
          upgrade: "websocket",
          "sec-websocket-version": "13",
          "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        },
      });
      request.on("upgrade", (response, socket) => {
        const send = (text: string) => {
          const mask = [1, 2, 3, 4];
          const payload = Buffer.from(text).map((b, i) => b ^ (mask[i % 4] ?? 0));
          socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, ...mask]), payload]));
        };
        resolve({ headers: response.headers, socket, send });
      });
      request.on("response", (response) => reject(new Error(`no upgrade: ${response.statusCode}`)));
      request.on("error", reject);
      request.end();
    },
  );
}
