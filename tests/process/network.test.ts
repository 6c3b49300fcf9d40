/**
 * The network gateway under `npm start`, against a real HTTP server on this machine standing in for an
 * external API: what reaches it, what the app sees, and what never goes out.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreateProjectResponse, LogsResponse } from "../../shared/api";
import networkCaller from "./fixtures/network-caller.ts?raw";
import { appRequest, clientOf, createProject, deploy, type IdeServer, startServer } from "./ide-server";

let server: IdeServer;
let api: http.Server;
let apiPort = 0;
/** What the stand-in API received, newest last. */
const received: { path: string; headers: http.IncomingHttpHeaders }[] = [];
const ref = (name: string) => `$\{${name}}`;

beforeAll(async () => {
  api = http.createServer((request, response) => {
    received.push({ path: request.url ?? "", headers: request.headers });
    if (request.url?.startsWith("/redirect")) {
      response.writeHead(302, { location: `http://127.0.0.1:${apiPort + 1}/echo` }).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  apiPort = (api.address() as AddressInfo).port;
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => api?.close(resolve));
});

async function call(project: CreateProjectResponse, url: string) {
  const response = await appRequest(server, project.id, `/?url=${encodeURIComponent(url)}`);
  return JSON.parse(await response.text()) as { status?: number; message?: string; env: string[] };
}

async function logs(project: CreateProjectResponse): Promise<string> {
  const answer = await clientOf(server).call("readLogs", {
    params: { id: project.id },
    credential: project.token,
    query: { limit: 500 },
  });
  return JSON.stringify((answer as LogsResponse).entries);
}

describe("the network gateway under npm start", () => {
  it("refuses by default, then lets the named local API answer with the secret injected, unseen by the app", async () => {
    const project = await createProject(server);
    await deploy(server, project, networkCaller);
    const refused = await call(project, `http://127.0.0.1:${apiPort}/echo`);
    expect(refused.message).toContain(`127.0.0.1:${apiPort}`);
    expect(refused.message).toContain("Environment → Network");

    const client = clientOf(server);
    await client.call("setEnv", {
      params: { id: project.id, name: "API_KEY" },
      credential: project.token,
      body: { value: "sk-process-secret", secret: true },
    });
    await client.call("putNetwork", {
      params: { id: project.id },
      credential: project.token,
      body: { allow: [{ host: `127.0.0.1:${apiPort}`, headers: { Authorization: `Bearer ${ref("API_KEY")}` } }] },
    });
    const allowed = await call(project, `http://127.0.0.1:${apiPort}/echo?token=in-query`);
    expect(allowed.status).toBe(200);
    expect(allowed.env).not.toContain("API_KEY");
    const last = received.at(-1);
    expect(last?.headers.authorization).toBe("Bearer sk-process-secret");
    // The app's own `${API_KEY}` is sent as it is, never expanded.
    expect(last?.headers["x-app"]).toBe(ref("API_KEY"));
    const lines = await logs(project);
    expect(lines).toContain(`fetch GET 127.0.0.1:${apiPort}/echo → 200`);
    expect(lines).not.toContain("sk-process-secret");

    // The same address in other spellings is the address the policy names; other ones are not.
    expect((await call(project, `http://2130706433:${apiPort}/echo`)).status).toBe(200);
    for (const url of [
      `http://[::1]:${apiPort}/echo`,
      `http://[::ffff:127.0.0.1]:${apiPort}/echo`,
      `http://localhost.:${apiPort}/echo`,
      `http://127.0.0.1.nip.io:${apiPort}/echo`,
      `http://127.0.0.2:${apiPort}/echo`,
    ]) {
      expect((await call(project, url)).message, url).toMatch(/refused|not allowed/);
    }
  });

  it("never reaches the IDE's own port, another project's origin, metadata, or an unlisted redirect target", async () => {
    const project = await createProject(server);
    const other = await createProject(server);
    await deploy(server, project, networkCaller);
    await clientOf(server).call("putNetwork", {
      params: { id: project.id },
      credential: project.token,
      body: { allow: [{ host: `127.0.0.1:${apiPort}` }, { host: `127.0.0.1:${server.port}` }] },
    });
    const before = received.length;
    const ide = await call(project, `http://127.0.0.1:${server.port}/api/health`);
    expect(ide.message).toContain("IDE's own");
    const preview = await call(project, `http://${other.id}.localhost:${server.port}/`);
    expect(preview.message).toContain("preview origin");
    const metadata = await call(project, "http://169.254.169.254/latest/meta-data/");
    expect(metadata.message).toContain("never reachable");
    const redirected = await call(project, `http://127.0.0.1:${apiPort}/redirect`);
    expect(redirected.message).toContain(`127.0.0.1:${apiPort + 1}`);
    // Only the redirect itself reached the stand-in.
    expect(received.slice(before).map((r) => r.path)).toEqual(["/redirect"]);
  });
});
