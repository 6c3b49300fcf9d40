/**
 * Every route of the table, called once with a success and once with an error, so the contract
 * check in helpers.ts sees each of them; and the check itself, shown to fail on drift.
 */
import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../../server/api/openapi";
import type { CallArgs } from "../../../shared/http/api-client";
import { type RouteName, routes } from "../../../shared/http/routes";
import { objectsProject } from "../fixtures/objects-app";
import { contractProblem, describes } from "../support/contract";
import { api, app, call, counterApp, deploy, ORIGIN, on } from "../support/helpers";
import { openTerminal } from "../support/socket";

describe("the route table describes every answer", () => {
  it("each route answers what its schema says, on success and on error", async () => {
    const called = new Set<RouteName>();
    const ok = async <N extends RouteName>(name: N, ...input: CallArgs<(typeof routes)[N]>) => {
      const response = await api.send(name, ...input);
      expect(
        response.status,
        `${name}: ${response.status === routes[name].status ? "" : await response.clone().text()}`,
      ).toBe(routes[name].status);
      called.add(name);
    };
    await ok("health");
    await ok("listTemplates");
    await ok("openApi");
    // The document served is the one the check below validates answers against.
    expect(await api.call("openApi")).toEqual(openApiDocument(ORIGIN));
    const { key } = await api.call("createKey");
    called.add("createKey");
    const project = await api.call("createProject", { credential: key, body: { template: "blank" } });
    called.add("createProject");
    const id = project.id;
    const token = project.token;
    await deploy(project, counterApp("contract"));
    called.add("putCode");
    await ok("listProjects", { credential: key });
    await ok("getProject", on(project));
    await ok("requestApp", { ...on(project), body: { path: "/" } });
    await ok("websocketApp", { ...on(project), body: { path: "/", timeoutMs: 10 } });
    await ok("readLogs", { ...on(project), query: { limit: 5 } });
    await ok("getCode", on(project));
    await ok("listVersions", on(project));
    await ok("getVersion", { params: { id, version: 1 }, credential: token });
    await ok("runSql", { ...on(project), body: { sql: "SELECT 1 AS one, x'00ff' AS b" } });
    await ok("setEnv", { params: { id, name: "GREETING" }, credential: token, body: { value: "hi" } });
    await ok("setEnv", { params: { id, name: "KEY" }, credential: token, body: { value: "s", secret: true } });
    await ok("listEnv", on(project));
    await ok("deleteEnv", { params: { id, name: "GREETING" }, credential: token });
    await ok("getSnapshots", on(project));
    await ok("getTypes", on(project));
    await ok("setSnapshotSettings", { ...on(project), body: { maxVersions: 5 } });
    await ok("takeSnapshot", on(project));
    await deploy(project, counterApp("contract 2"));
    await ok("restoreVersion", { params: { id, version: 1 }, credential: token, body: { data: true } });
    await ok("putDraftCode", { ...on(project), body: { files: counterApp("draft") } });
    await ok("getDraft", on(project));
    await ok("promoteDraft", { ...on(project), body: { data: "draft" } });
    await ok("discardDraft", on(project));
    await ok("forkProject", on(project));
    const bundle = await api.call("exportProject", on(project));
    called.add("exportProject");
    await ok("importProject", { body: bundle });
    await ok("getLimits", on(project));
    await ok("putLimits", { ...on(project), body: { requestsPerMinute: 500 } });
    await ok("getMetrics", { ...on(project), query: { window: "24h" } });
    await ok("putNetwork", {
      ...on(project),
      body: { allow: [{ host: "api.example.com", headers: { "x-key": `$\{KEY}` } }] },
    });
    await ok("getNetwork", on(project));
    await ok("runSql", {
      ...on(project),
      body: { sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL, b BLOB)" },
    });
    const t = { params: { id, table: "t" }, credential: token };
    await ok("listTables", on(project));
    await ok("getTableSchema", t);
    await ok("insertRow", { ...t, body: { values: { v: "x".repeat(1200) } } });
    await ok("queryRows", { ...t, body: { sort: [{ column: "v" }] } });
    await ok("updateRow", { ...t, body: { key: [1], values: { v: "y" } } });
    await ok("getCell", { ...t, body: { key: [1], column: "v" } });
    await ok("exportTable", { params: { id, table: "t", format: "csv" }, credential: token });
    await ok("deleteRows", { ...t, body: { keys: [[1]] } });
    await ok("dataVersion", on(project));
    await ok("putKv", { ...on(project), body: { key: "k", value: { a: [1] } } });
    await ok("listKv", { ...on(project), body: {} });
    await ok("deleteKv", { ...on(project), body: { keys: ["k"] } });
    await ok("dumpData", on(project));
    await ok("resetData", { ...on(project), body: { confirm: true } });
    const terminal = await openTerminal(project);
    await terminal.next((m) => m.type === "hello");
    terminal.socket.close();
    called.add("terminal");
    // A Worker project's objects.
    await ok("listObjects", on(project));
    await deploy(project, objectsProject());
    const counted = await app(project, "/count/contract");
    expect(counted.status).toBe(200);
    await counted.text();
    // Recorded requests: the visit above, written once its response went out.
    await ok("putRequestSettings", { ...on(project), body: { keep: 50 } });
    await expect.poll(async () => (await api.call("listRequests", on(project))).requests.length).toBeGreaterThan(0);
    await ok("listRequests", { ...on(project), query: { status: "2xx" } });
    const [visit] = (await api.call("listRequests", on(project))).requests;
    const rid = { params: { id, rid: visit?.id ?? 0 }, credential: token };
    await ok("getRequest", rid);
    await ok("replayRequest", { ...rid, body: { target: "live" } });
    await ok("putDraftCode", { ...on(project), body: { files: objectsProject() } });
    await ok("replayRequests", { ...on(project), body: { target: "draft", last: 1 } });
    await ok("discardDraft", on(project));
    await ok("listObjects", on(project));
    await ok("runSql", { ...on(project), body: { sql: "SELECT 1", object: "Counter:contract" } });
    await ok("listTables", { ...on(project), query: { object: "contract" } });
    const contract = { params: { id, object: "Counter:contract" }, credential: token };
    await ok("deleteObject", contract);
    expect((await api.send("deleteObject", contract)).status).toBe(404);
    await deploy(project, counterApp("contract 3"));
    await ok("editCode", {
      ...on(project),
      body: { file: "app.ts", edits: [{ oldText: '"contract 3" +', newText: '"contract 4" +' }], message: "four" },
    });
    // The assistant: with no model configured here, the prompt is refused before any stream (its
    // stream is tests/process/assistant.test.ts'), and there are no tasks.
    await ok("getAssistant", on(project));
    const asked = await api.send("askAssistant", { ...on(project), body: { prompt: "hi" } });
    expect(asked.status).toBe(503);
    called.add("askAssistant");
    const noTask = { params: { id, taskId: "abcdefgh12345678" }, credential: token };
    expect((await api.send("getAssistantTask", noTask)).status).toBe(404);
    called.add("getAssistantTask");
    expect((await api.send("stopAssistantTask", noTask)).status).toBe(404);
    called.add("stopAssistantTask");
    const doomed = await api.call("createProject", { body: { template: "blank" } });
    await ok("deleteProject", { ...on(doomed), body: { confirm: doomed.id } });
    expect([...called].sort()).toEqual(Object.keys(routes).sort());

    // Errors answer an ErrorBody (checked in call()); the malformed ones are sent raw.
    expect((await api.send("getVersion", { params: { id, version: 99 }, credential: token })).status).toBe(404);
    expect((await api.send("runSql", { ...on(project), body: { sql: "SELEC" } })).status).toBe(400);
    const broken = { files: { "app.ts": "x(" } };
    expect((await api.send("putCode", { ...on(project), body: broken })).status).toBe(422);
    expect((await api.send("getProject", { params: { id }, credential: "wrong" })).status).toBe(403);
    expect((await api.send("promoteDraft", { ...on(project), body: { data: "live" } })).status).toBe(404);
    const importPath = api.path("importProject");
    expect((await call(importPath, { method: "POST", json: { format: "nope" } })).status).toBe(400);
    expect((await api.send("putLimits", { ...on(project), body: { databaseBytes: 1 } })).status).toBe(400);
    const metricsPath = api.path("getMetrics", { params: { id } });
    expect((await call(`${metricsPath}?window=week`, { token })).status).toBe(400);
    const patch = { ...t, body: { key: [1], values: { nope: 1 } } };
    expect((await api.send("updateRow", patch)).status).toBe(404);
    const missing = { params: { id, table: "missing" }, credential: token };
    expect((await api.send("queryRows", missing)).status).toBe(404);
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
    const p = { params: { id: "p" } };
    const project = api.path("getProject", p);
    expect(contractProblem("GET", project, 200, info)).toBeNull();
    // The OpenAPI document's schemas catch these first; the zod check below is shown to as well.
    expect(contractProblem("GET", project, 200, { ...info, secret: "x" })).toMatch(/OpenAPI.*"secret"/);
    expect(describes(routes.getProject.response, { ...info, secret: "x" }, "")).toMatch(/field secret/);
    expect(contractProblem("GET", project, 200, { ...info, requests: undefined })).toMatch(/rejects/);
    expect(contractProblem("GET", project, 201, info)).toMatch(/OpenAPI document lists no 201/);
    expect(contractProblem("GET", api.path("listVersions", p), 200, { versions: [{ ...info }] })).not.toBeNull();
    const nested = { vars: [{ name: "A", secret: true, value: "leaked" }] };
    expect(contractProblem("GET", api.path("listEnv", p), 200, nested)).toMatch(/OpenAPI/);
    expect(describes(routes.listEnv.response, nested, "")).toMatch(/vars\[0\]\.value/);
    // An error status the document does not list for the route.
    const conflict = { error: { code: "conflict", message: "x" } };
    expect(contractProblem("GET", api.path("getVersion", { params: { id: "p", version: 1 } }), 409, conflict)).toMatch(
      /lists no 409/,
    );
    expect(contractProblem("GET", project, 404, { error: { code: "nope", message: "x" } })).toMatch(/rejects/);
  });
});
