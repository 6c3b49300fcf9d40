/**
 * What agents use over plain HTTP: agent keys and their projects, the operator's access secret, the
 * log ring's cursor, and requests sent to the app through the API.
 */

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../server/index";
import { AppResponse, LogsResponse } from "../../shared/api";
import { app, appWith, call, counterApp, createProject, deploy, ORIGIN } from "./helpers";
import { openTerminal } from "./socket";

async function mintKey(): Promise<string> {
  const response = await call("/api/keys", { method: "POST" });
  expect(response.status).toBe(201);
  const { key } = (await response.json()) as { key: string };
  expect(key).toMatch(/^fk_[A-Za-z0-9_-]{43}$/);
  return key;
}

describe("agent keys", () => {
  it("a key lists and opens the projects created with it, and only those", async () => {
    const key = await mintKey();
    const other = await mintKey();
    const created = await call("/api/projects", { method: "POST", token: key, json: { template: "blank" } });
    const project = (await created.json()) as { id: string; token: string };
    const elsewhere = await createProject();
    const listed = await call("/api/projects", { token: key });
    expect(await listed.json()).toMatchObject({ projects: [{ id: project.id, previewUrl: expect.any(String) }] });
    expect(await (await call("/api/projects", { token: other })).json()).toEqual({ projects: [] });

    // The key opens its project as the project's own token does, the terminal included.
    await deploy({ ...project, token: key } as never, counterApp("by-key"));
    expect((await call(`/api/projects/${project.id}`, { token: key })).status).toBe(200);
    expect((await call(`/api/projects/${project.id}`, { token: project.token })).status).toBe(200);
    const terminal = await openTerminal({ ...project, token: key } as never);
    await terminal.next((m) => m.type === "hello");
    terminal.socket.close();
    // Not another key's project, nor one created without a key.
    const refused = await call(`/api/projects/${project.id}`, { token: other });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/not created with it/);
    expect((await call(`/api/projects/${elsewhere.id}`, { token: key })).status).toBe(403);
  });

  it("a project imported or forked with a key belongs to the key", async () => {
    const key = await mintKey();
    const source = await createProject();
    await deploy(source, counterApp("exported"));
    const bundle = await (await call(`/api/projects/${source.id}/export`, { token: source.token })).json();
    const imported = await call("/api/projects/import", { method: "POST", token: key, json: bundle });
    expect(imported.status).toBe(201);
    const { id } = (await imported.json()) as { id: string };
    const fork = await call(`/api/projects/${id}/fork`, { method: "POST", token: key });
    expect(fork.status).toBe(201);
    const forked = (await fork.json()) as { id: string };
    const listed = (await (await call("/api/projects", { token: key })).json()) as { projects: { id: string }[] };
    expect(listed.projects.map((p) => p.id).sort()).toEqual([id, forked.id].sort());
    expect((await call(`/api/projects/${forked.id}/code`, { token: key })).status).toBe(200);
  });

  it("a key never minted is 401, a project token where a key is needed 403", async () => {
    const forged = "fk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    expect((await call("/api/projects", { token: forged })).status).toBe(401);
    expect((await call("/api/projects", { method: "POST", token: forged, json: {} })).status).toBe(401);
    const project = await createProject();
    expect((await call("/api/projects", { token: project.token })).status).toBe(403);
    expect((await call("/api/projects")).status).toBe(401);
  });

  it("with ACCESS_SECRET set, minting and creating need the secret (or, to create, a key)", async () => {
    const gated = { ...env, ACCESS_SECRET: "operator-secret" };
    const send = async (path: string, token?: string) => {
      const ctx = createExecutionContext();
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await worker.fetch(
        new Request(`${ORIGIN}${path}`, { method: "POST", headers, body: '{"template":"blank"}' }) as never,
        gated,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return response;
    };
    const refused = await send("/api/keys");
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/access secret/);
    expect((await send("/api/projects")).status).toBe(401);
    expect((await send("/api/keys", "wrong")).status).toBe(401);
    const minted = await send("/api/keys", "operator-secret");
    expect(minted.status).toBe(201);
    const { key } = (await minted.json()) as { key: string };
    expect((await send("/api/keys", key)).status).toBe(401);
    expect((await send("/api/projects", key)).status).toBe(201);
    expect((await send("/api/projects", "operator-secret")).status).toBe(201);
  });
});

describe("the log ring over HTTP", () => {
  it("reads the latest lines, then what came after a cursor, and says what it no longer holds", async () => {
    const project = await createProject();
    await deploy(project, counterApp("logs"));
    const latest = LogsResponse.parse(
      await (await call(`/api/projects/${project.id}/logs`, { token: project.token })).json(),
    );
    expect(latest.entries.map((e) => e.kind)).toEqual(["deploy"]);
    for (let i = 0; i < 3; i++)
      await call(`/api/projects/${project.id}/request`, { method: "POST", token: project.token, json: { path: "/" } });
    const path = `/api/projects/${project.id}/logs?since=${latest.cursor}&limit=4`;
    const page = LogsResponse.parse(await (await call(path, { token: project.token })).json());
    expect(page.entries.map((e) => e.kind)).toEqual(["request", "console", "request", "console"]);
    expect(page.more).toBe(true);
    const rest = LogsResponse.parse(
      await (await call(`/api/projects/${project.id}/logs?since=${page.cursor}`, { token: project.token })).json(),
    );
    expect(rest.entries.map((e) => e.kind)).toEqual(["request", "console"]);
    expect(rest).toMatchObject({ more: false, missed: 0 });

    // 600 lines later the ring (500) no longer holds what came after the first cursor.
    await deploy(project, appWith(`for (let i = 0; i < 40; i++) console.log("line", i); return new Response("ok");`));
    for (let i = 0; i < 15; i++) await app(project, "/");
    const late = LogsResponse.parse(
      await (
        await call(`/api/projects/${project.id}/logs?since=${latest.cursor}&limit=1`, { token: project.token })
      ).json(),
    );
    expect(late.missed).toBeGreaterThan(100);
    expect(late.more).toBe(true);
    const bad = await call(`/api/projects/${project.id}/logs?limit=0`, { token: project.token });
    expect(bad.status).toBe(400);
  });
});

describe("requests to the app through the API", () => {
  it("returns the answer, the version and the lines the request logged, an exception's stack included", async () => {
    const project = await createProject();
    const none = AppResponse.parse(
      await (
        await call(`/api/projects/${project.id}/request`, { method: "POST", token: project.token, json: { path: "/" } })
      ).json(),
    );
    expect(none).toMatchObject({ status: 404, version: null, logs: [] });
    await deploy(
      project,
      appWith(`    const url = new URL(request.url);
    console.log("got", request.method, url.pathname, request.headers.get("x-test"), await request.text());
    if (url.pathname === "/throw") throw new Error("kaboom");
    if (url.pathname === "/big") return new Response("x".repeat(100_000));
    if (url.pathname === "/bytes") return new Response(new Uint8Array([0, 255, 1]), { headers: { "content-type": "application/octet-stream" } });
    return Response.json({ host: url.host }, { status: 201 });`),
    );
    const send = async (json: unknown) =>
      call(`/api/projects/${project.id}/request`, { method: "POST", token: project.token, json });
    const ok = AppResponse.parse(
      await (await send({ method: "POST", path: "/hi?x=1", headers: { "x-test": "yes" }, body: "hello" })).json(),
    );
    expect(ok).toMatchObject({ status: 201, version: 1, bodyEncoding: "text", truncated: false });
    expect(JSON.parse(ok.body)).toEqual({ host: `${project.id}.localhost:5173` });
    expect(ok.logs).toMatchObject([
      { kind: "request", method: "POST", path: "/hi?x=1", status: 201 },
      { kind: "console", message: "got POST /hi yes hello" },
    ]);

    const thrown = AppResponse.parse(await (await send({ path: "/throw" })).json());
    expect(thrown.status).toBe(500);
    expect(thrown.logs.map((l) => l.kind)).toEqual(["request", "console", "exception"]);
    // The stack points at the line of the source (the module is named .js once compiled).
    expect(thrown.logs[2]).toMatchObject({ message: "kaboom", stack: expect.stringMatching(/app\.[jt]s:7:/) });

    const big = AppResponse.parse(await (await send({ path: "/big" })).json());
    expect(big.body.length).toBe(64 * 1024);
    expect(big).toMatchObject({ truncated: true, note: expect.stringMatching(/longer than 64 KiB/) });

    const bytes = AppResponse.parse(await (await send({ path: "/bytes" })).json());
    expect(bytes).toMatchObject({ bodyEncoding: "base64", body: "AP8B" });

    expect((await send({ method: "GET", path: "/", body: "x" })).status).toBe(400);
    expect((await send({ path: "no-slash" })).status).toBe(400);
    const odd = AppResponse.parse(await (await send({ path: "//elsewhere.example/x" })).json());
    expect(JSON.parse(odd.body)).toEqual({ host: `${project.id}.localhost:5173` });
    expect((await send({ path: "/", headers: { Upgrade: "websocket" } })).status).toBe(400);
    // The app still answers its own origin as before.
    expect((await exports.default.fetch(new Request(`http://${project.id}.localhost:5173/`))).status).toBe(201);
  });
});
