/**
 * Every route of the table, called once with a success and once with an error, so the contract
 * check in helpers.ts sees each of them; and the check itself, shown to fail on drift.
 */
import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../server/api/openapi";
import type { CreateProjectResponse } from "../../shared/api";
import { type RouteName, routes } from "../../shared/routes";
import { contractProblem, describes } from "./contract";
import { objectsProject } from "./fixtures/objects-app";
import { app, call, counterApp, deploy, ORIGIN } from "./helpers";
import { openTerminal } from "./socket";

describe("the route table describes every answer", () => {
  it("each route answers what its schema says, on success and on error", async () => {
    const called = new Set<RouteName>();
    const ok = async (name: RouteName, path: string, init: Parameters<typeof call>[1] = {}) => {
      const response = await call(path, init);
      expect(response.status, `${name} ${path}`).toBe(routes[name].status);
      called.add(name);
    };
    await ok("health", "/api/health");
    await ok("listTemplates", "/api/templates");
    await ok("openApi", "/api/openapi.json");
    // The document served is the one the check below validates answers against.
    expect(await (await call("/api/openapi.json")).json()).toEqual(openApiDocument(ORIGIN));
    const minted = await call("/api/keys", { method: "POST" });
    expect(minted.status).toBe(201);
    called.add("createKey");
    const { key } = (await minted.json()) as { key: string };
    const created = await call("/api/projects", { method: "POST", token: key, json: { template: "blank" } });
    expect(created.status).toBe(201);
    called.add("createProject");
    const project = (await created.json()) as CreateProjectResponse;
    const base = `/api/projects/${project.id}`;
    const token = project.token;
    await deploy(project, counterApp("contract"));
    called.add("putCode");
    await ok("listProjects", "/api/projects", { token: key });
    await ok("getProject", base, { token });
    await ok("requestApp", `${base}/request`, { method: "POST", token, json: { path: "/" } });
    await ok("readLogs", `${base}/logs?limit=5`, { token });
    await ok("getCode", `${base}/code`, { token });
    await ok("listVersions", `${base}/versions`, { token });
    await ok("getVersion", `${base}/versions/1`, { token });
    await ok("runSql", `${base}/sql`, { method: "POST", token, json: { sql: "SELECT 1 AS one, x'00ff' AS b" } });
    await ok("setEnv", `${base}/env/GREETING`, { method: "PUT", token, json: { value: "hi" } });
    await ok("setEnv", `${base}/env/KEY`, { method: "PUT", token, json: { value: "s", secret: true } });
    await ok("listEnv", `${base}/env`, { token });
    await ok("deleteEnv", `${base}/env/GREETING`, { method: "DELETE", token });
    await ok("getSnapshots", `${base}/snapshots`, { token });
    await ok("setSnapshotSettings", `${base}/snapshots`, { method: "PUT", token, json: { maxVersions: 5 } });
    await ok("takeSnapshot", `${base}/snapshots`, { method: "POST", token });
    await deploy(project, counterApp("contract 2"));
    await ok("restoreVersion", `${base}/versions/1/restore`, { method: "POST", token, json: { data: true } });
    await ok("putDraftCode", `${base}/draft/code`, { method: "PUT", token, json: { files: counterApp("draft") } });
    await ok("getDraft", `${base}/draft`, { token });
    await ok("promoteDraft", `${base}/draft/promote`, { method: "POST", token, json: { data: "draft" } });
    await ok("discardDraft", `${base}/draft`, { method: "DELETE", token });
    await ok("forkProject", `${base}/fork`, { method: "POST", token });
    const bundle = await (await call(`${base}/export`, { token })).json();
    called.add("exportProject");
    await ok("importProject", "/api/projects/import", { method: "POST", json: bundle });
    await ok("getLimits", `${base}/limits`, { token });
    await ok("putLimits", `${base}/limits`, { method: "PUT", token, json: { requestsPerMinute: 500 } });
    await ok("getMetrics", `${base}/metrics?window=24h`, { token });
    await ok("runSql", `${base}/sql`, {
      method: "POST",
      token,
      json: { sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL, b BLOB)" },
    });
    const data = `${base}/data`;
    await ok("listTables", `${data}/tables`, { token });
    await ok("getTableSchema", `${data}/tables/t`, { token });
    await ok("insertRow", `${data}/tables/t/rows`, {
      method: "POST",
      token,
      json: { values: { v: "x".repeat(1200) } },
    });
    await ok("queryRows", `${data}/tables/t/query`, { method: "POST", token, json: { sort: [{ column: "v" }] } });
    await ok("updateRow", `${data}/tables/t/rows`, { method: "PATCH", token, json: { key: [1], values: { v: "y" } } });
    await ok("getCell", `${data}/tables/t/cell`, { method: "POST", token, json: { key: [1], column: "v" } });
    await ok("exportTable", `${data}/tables/t/export/csv`, { token });
    await ok("deleteRows", `${data}/tables/t/rows`, { method: "DELETE", token, json: { keys: [[1]] } });
    await ok("dataVersion", `${data}/version`, { token });
    await ok("putKv", `${data}/kv`, { method: "PUT", token, json: { key: "k", value: { a: [1] } } });
    await ok("listKv", `${data}/kv/query`, { method: "POST", token, json: {} });
    await ok("deleteKv", `${data}/kv`, { method: "DELETE", token, json: { keys: ["k"] } });
    await ok("dumpData", `${data}/dump`, { token });
    await ok("resetData", `${data}/reset`, { method: "POST", token, json: { confirm: true } });
    const terminal = await openTerminal(project);
    await terminal.next((m) => m.type === "hello");
    terminal.socket.close();
    called.add("terminal");
    // A Worker project's objects.
    await ok("listObjects", `${base}/objects`, { token });
    await deploy(project, objectsProject());
    expect((await app(project, "/count/contract")).status).toBe(200);
    await ok("listObjects", `${base}/objects`, { token });
    await ok("runSql", `${base}/sql`, { method: "POST", token, json: { sql: "SELECT 1", object: "Counter:contract" } });
    await ok("listTables", `${data}/tables?object=contract`, { token });
    await ok("deleteObject", `${base}/objects/Counter:contract`, { method: "DELETE", token });
    expect((await call(`${base}/objects/Counter:contract`, { method: "DELETE", token })).status).toBe(404);
    await deploy(project, counterApp("contract 3"));
    expect([...called].sort()).toEqual(Object.keys(routes).sort());

    // Errors answer an ErrorBody (checked in call()).
    expect((await call(`${base}/versions/7`, { token })).status).toBe(404);
    expect((await call(`${base}/sql`, { method: "POST", token, json: { sql: "SELEC" } })).status).toBe(400);
    expect((await call(`${base}/code`, { method: "PUT", token, json: { files: { "app.ts": "x(" } } })).status).toBe(
      422,
    );
    expect((await call(base, { token: "wrong" })).status).toBe(403);
    expect((await call(`${base}/draft/promote`, { method: "POST", token, json: { data: "live" } })).status).toBe(404);
    expect((await call("/api/projects/import", { method: "POST", json: { format: "nope" } })).status).toBe(400);
    expect((await call(`${base}/limits`, { method: "PUT", token, json: { databaseBytes: 1 } })).status).toBe(400);
    expect((await call(`${base}/metrics?window=week`, { token })).status).toBe(400);
    const patch = { method: "PATCH", token, json: { key: [1], values: { nope: 1 } } };
    expect((await call(`${data}/tables/t/rows`, patch)).status).toBe(404);
    expect((await call(`${data}/tables/missing/query`, { method: "POST", token })).status).toBe(404);
  });

  it("the check fails on a field no schema names, a wrong status or a malformed error", () => {
    const info = {
      id: "p",
      version: 1,
      codeId: "p:1",
      createdAt: 1,
      updatedAt: 1,
      previewUrl: "http://p.localhost/",
      requests: 0,
      errors: 0,
    };
    expect(contractProblem("GET", "/api/projects/p", 200, info)).toBeNull();
    // The OpenAPI document's schemas catch these first; the zod check below is shown to as well.
    expect(contractProblem("GET", "/api/projects/p", 200, { ...info, secret: "x" })).toMatch(/OpenAPI.*"secret"/);
    expect(describes(routes.getProject.response, { ...info, secret: "x" }, "")).toMatch(/field secret/);
    expect(contractProblem("GET", "/api/projects/p", 200, { ...info, requests: undefined })).toMatch(/rejects/);
    expect(contractProblem("GET", "/api/projects/p", 201, info)).toMatch(/OpenAPI document lists no 201/);
    expect(contractProblem("GET", "/api/projects/p/versions", 200, { versions: [{ ...info }] })).not.toBeNull();
    const nested = { vars: [{ name: "A", secret: true, value: "leaked" }] };
    expect(contractProblem("GET", "/api/projects/p/env", 200, nested)).toMatch(/OpenAPI/);
    expect(describes(routes.listEnv.response, nested, "")).toMatch(/vars\[0\]\.value/);
    // An error status the document does not list for the route.
    const conflict = { error: { code: "conflict", message: "x" } };
    expect(contractProblem("GET", "/api/projects/p/versions/1", 409, conflict)).toMatch(/lists no 409/);
    expect(contractProblem("GET", "/api/projects/p", 404, { error: { code: "nope", message: "x" } })).toMatch(
      /rejects/,
    );
  });
});
