/**
 * What agents use over plain HTTP: agent keys and their projects, the operator's access secret, the
 * log ring's cursor, and requests sent to the app through the API.
 */

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../../server/index";
import { AppResponse } from "../../../shared/api";
import { apiClient } from "../../../shared/http/api-client";
import { routes } from "../../../shared/http/routes";
import requestEchoLogger from "../fixtures/apps/request-echo-logger.ts?raw";
import { api, app, appWith, call, counterApp, createProject, deploy, ORIGIN, on } from "../support/helpers";
import { openTerminal } from "../support/socket";

async function mintKey(): Promise<string> {
  const response = await api.send("createKey");
  expect(response.status).toBe(201);
  const { key } = (await response.json()) as { key: string };
  expect(key).toMatch(/^fk_[A-Za-z0-9_-]{43}$/);
  return key;
}

describe("agent keys", () => {
  it("a key lists and opens the projects created with it, and only those", async () => {
    const key = await mintKey();
    const other = await mintKey();
    const created = await api.send("createProject", { credential: key, body: { template: "blank" } });
    const project = (await created.json()) as { id: string; token: string };
    const elsewhere = await createProject();
    const listed = await api.send("listProjects", { credential: key });
    expect(await listed.json()).toMatchObject({ projects: [{ id: project.id, previewUrl: expect.any(String) }] });
    expect(await api.call("listProjects", { credential: other })).toEqual({ projects: [] });

    // The key opens its project as the project's own token does, the terminal included.
    await deploy({ ...project, token: key } as never, counterApp("by-key"));
    expect((await api.send("getProject", { params: { id: project.id }, credential: key })).status).toBe(200);
    expect((await api.send("getProject", on(project))).status).toBe(200);
    const terminal = await openTerminal({ ...project, token: key } as never);
    await terminal.next((m) => m.type === "hello");
    terminal.socket.close();
    // Not another key's project, nor one created without a key.
    const refused = await api.send("getProject", { params: { id: project.id }, credential: other });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/not created with it/);
    expect((await api.send("getProject", { params: { id: elsewhere.id }, credential: key })).status).toBe(403);
  });

  it("a project imported or forked with a key belongs to the key", async () => {
    const key = await mintKey();
    const source = await createProject();
    await deploy(source, counterApp("exported"));
    const bundle = await api.call("exportProject", on(source));
    const imported = await api.send("importProject", { credential: key, body: bundle });
    expect(imported.status).toBe(201);
    const { id } = (await imported.json()) as { id: string };
    const fork = await api.send("forkProject", { params: { id }, credential: key });
    expect(fork.status).toBe(201);
    const forked = (await fork.json()) as { id: string };
    const listed = await api.call("listProjects", { credential: key });
    expect(listed.projects.map((p) => p.id).sort()).toEqual([id, forked.id].sort());
    expect((await api.send("getCode", { params: { id: forked.id }, credential: key })).status).toBe(200);
  });

  it("a key never minted is 401, a project token where a key is needed 403", async () => {
    const forged = "fk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    expect((await api.send("listProjects", { credential: forged })).status).toBe(401);
    expect((await api.send("createProject", { credential: forged, body: {} })).status).toBe(401);
    const project = await createProject();
    expect((await api.send("listProjects", { credential: project.token })).status).toBe(403);
    expect((await api.send("listProjects")).status).toBe(401);
  });

  it("with ACCESS_SECRET set, minting and creating need the secret (or, to create, a key)", async () => {
    const gated = { ...env, ACCESS_SECRET: "operator-secret" };
    // The worker itself with the secret set, through the same client.
    const gatedApi = apiClient(routes, {
      baseUrl: ORIGIN,
      fetch: async (url, init) => {
        const ctx = createExecutionContext();
        const response = await worker.fetch(new Request(url, init) as never, gated, ctx);
        await waitOnExecutionContext(ctx);
        return response;
      },
    });
    const mint = (credential?: string) => gatedApi.send("createKey", { credential });
    const create = (credential?: string) => gatedApi.send("createProject", { credential, body: { template: "blank" } });
    const refused = await mint();
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/access secret/);
    expect((await create()).status).toBe(401);
    expect((await mint("wrong")).status).toBe(401);
    const minted = await mint("operator-secret");
    expect(minted.status).toBe(201);
    const { key } = (await minted.json()) as { key: string };
    expect((await mint(key)).status).toBe(401);
    expect((await create(key)).status).toBe(201);
    expect((await create("operator-secret")).status).toBe(201);
  });
});

describe("the log ring over HTTP", () => {
  it("reads the latest lines, then what came after a cursor, and says what it no longer holds", async () => {
    const project = await createProject();
    const saved = await deploy(project, counterApp("logs"));
    // A type check that outlasted the save's answer writes its line later: let it land first.
    for (let i = 0; saved.typeCheck === "running" && i < 100; i++) {
      const { entries } = await api.call("readLogs", { ...on(project), query: { kind: "type-check" } });
      if (entries.length > 0) break;
      await scheduler.wait(100);
    }
    const latest = await api.call("readLogs", on(project));
    expect(latest.entries.map((e) => e.kind).filter((kind) => kind !== "type-check")).toEqual(["deploy"]);
    for (let i = 0; i < 3; i++) await api.send("requestApp", { ...on(project), body: { path: "/" } });
    const page = await api.call("readLogs", { ...on(project), query: { since: latest.cursor, limit: 4 } });
    expect(page.entries.map((e) => e.kind)).toEqual(["request", "console", "request", "console"]);
    expect(page.more).toBe(true);
    const rest = await api.call("readLogs", { ...on(project), query: { since: page.cursor } });
    expect(rest.entries.map((e) => e.kind)).toEqual(["request", "console"]);
    expect(rest).toMatchObject({ more: false, missed: 0 });

    // 600 lines later the ring (500) no longer holds what came after the first cursor.
    await deploy(project, appWith(`for (let i = 0; i < 40; i++) console.log("line", i); return new Response("ok");`));
    for (let i = 0; i < 15; i++) await app(project, "/");
    const late = await api.call("readLogs", { ...on(project), query: { since: latest.cursor, limit: 1 } });
    expect(late.missed).toBeGreaterThan(100);
    expect(late.more).toBe(true);
    const bad = await api.send("readLogs", { ...on(project), query: { limit: "0" } });
    expect(bad.status).toBe(400);
  });
});

describe("requests to the app through the API", () => {
  it("returns the answer, the version and the lines the request logged, an exception's stack included", async () => {
    const project = await createProject();
    const none = await api.call("requestApp", { ...on(project), body: { path: "/" } });
    expect(none).toMatchObject({ status: 404, version: null, logs: [] });
    await deploy(project, { "app.ts": requestEchoLogger });
    const send = async (json: unknown) =>
      call(api.path("requestApp", { params: { id: project.id } }), { method: "POST", token: project.token, json });
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
