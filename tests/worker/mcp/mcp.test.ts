/**
 * The MCP server at /mcp, driven by the official SDK's own Client and Streamable HTTP transport,
 * whose requests go to the worker's entry point as a remote agent's would. (tests/process/mcp.test.ts
 * does the same over a real socket against `npm run dev`.)
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { GUIDE_URI, MAX_BATCH_MESSAGES, MAX_MCP_BODY_BYTES } from "../../../server/mcp/server";
import { tools } from "../../../server/mcp/tools";
import { sha256Hex } from "../../../server/supervisor/versions/hashing";
import { AppResponse, LogsResponse } from "../../../shared/api";
import { MetricsResponse } from "../../../shared/metrics";
import { ObjectsResponse } from "../../../shared/objects";
import { SqlResult } from "../../../shared/sql";
import { objectsProject } from "../fixtures/objects-app";
import { call, counterApp, createProject, ORIGIN } from "../support/helpers";
import { callOk, connect, mintKey, textOf, workerFetch } from "../support/mcp-client";

const mcpHeaders = (bearer: string) => ({
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  authorization: `Bearer ${bearer}`,
});

const toolsListBatch = (size: number) =>
  Array.from({ length: size }, (_, i) => ({ jsonrpc: "2.0", id: i + 1, method: "tools/list", params: {} }));

describe("MCP at /mcp", () => {
  it("lists every tool with its schema, the guide as instructions and as a resource", async () => {
    const client = await connect(await mintKey());
    const listed = await client.listTools();
    expect(listed.tools.map((t) => t.name).sort()).toEqual(tools.map((t) => t.name).sort());
    const write = listed.tools.find((t) => t.name === "write_code");
    expect(write?.inputSchema).toMatchObject({
      type: "object",
      required: expect.arrayContaining(["project", "files"]),
    });
    expect(write?.description).toMatch(/file:line:column/);
    expect(client.getInstructions()).toMatch(/# Writing an app on Facet IDE/);
    const guide = await client.readResource({ uri: GUIDE_URI });
    expect(guide.contents[0]).toMatchObject({ mimeType: "text/markdown" });
    expect(guide.contents[0]).toMatchObject({ text: client.getInstructions() });
    await client.close();
  });

  it("drives the loop: create, a refused save, a save, a request, logs, SQL, restore", async () => {
    const client = await connect(await mintKey());
    const created = await callOk(client, "create_project", { template: "blank" });
    const project = String(created.id);

    const broken = await client.callTool({
      name: "write_code",
      arguments: { project, files: { "app.ts": "export class App {\n  fetch() { return new Response(; }\n}\n" } },
    });
    expect(broken.isError).toBe(true);
    const text = textOf(broken);
    expect(text).toMatch(/^The code was not deployed: app\.ts:2:/);
    // Each diagnostic, and the line it points at.
    expect(text).toMatch(/app\.ts:2:\d+ .+\n {4}2 \| {3}fetch\(\) \{ return new Response\(; \}\n {4} +\^/);
    expect(text).toMatch(/\(compile_error, HTTP 422\)/);

    const saved = await callOk(client, "write_code", { project, files: counterApp("mcp"), baseVersion: null });
    expect(saved).toMatchObject({ version: 1, created: true });

    const answer = AppResponse.parse(await callOk(client, "request_app", { project, path: "/hello" }));
    expect(answer).toMatchObject({ status: 200, body: "mcp rows=1", version: 1, truncated: false });
    expect(answer.logs.map((l) => l.kind)).toEqual(["request", "console"]);
    expect(answer.logs[1]).toMatchObject({ kind: "console", message: "mcp hit 1" });

    const logs = LogsResponse.parse(await callOk(client, "read_logs", { project }));
    expect(logs.entries.map((e) => e.seq)).toEqual(expect.arrayContaining(answer.logs.map((l) => l.seq)));
    const after = LogsResponse.parse(await callOk(client, "read_logs", { project, since: logs.cursor }));
    expect(after).toMatchObject({ entries: [], cursor: logs.cursor, more: false });

    const rows = SqlResult.parse(await callOk(client, "run_sql", { project, sql: "SELECT label FROM hits" }));
    expect(rows.rows).toEqual([["mcp"]]);
    const sqlError = await client.callTool({ name: "run_sql", arguments: { project, sql: "SELEC 1" } });
    expect(sqlError.isError).toBe(true);
    expect(textOf(sqlError)).toMatch(/syntax error/);

    await callOk(client, "write_code", { project, files: counterApp("second") });
    expect(await callOk(client, "list_versions", { project })).toMatchObject({
      versions: [{ version: 2 }, { version: 1 }],
    });
    expect(await callOk(client, "restore_version", { project, version: 1 })).toMatchObject({ version: 3 });
    expect(await callOk(client, "read_code", { project })).toMatchObject({ version: 3, files: counterApp("mcp") });
    expect(await callOk(client, "read_code", { project, version: 2 })).toMatchObject({ files: counterApp("second") });

    await callOk(client, "set_env", { project, name: "GREETING", value: "hi" });
    expect(await callOk(client, "list_env", { project })).toEqual({
      vars: [{ name: "GREETING", secret: false, value: "hi" }],
    });
    await callOk(client, "delete_env", { project, name: "GREETING" });
    const gone = await client.callTool({ name: "delete_env", arguments: { project, name: "GREETING" } });
    expect(textOf(gone)).toMatch(/^No variable named GREETING/);
    await client.close();
  });

  it("restores a version with its data, tries code on a draft, and forks", async () => {
    const client = await connect(await mintKey());
    const project = String((await callOk(client, "create_project", { template: "blank" })).id);
    await callOk(client, "write_code", { project, files: counterApp("one") });
    for (let i = 0; i < 3; i++) await callOk(client, "request_app", { project, path: "/" });
    await callOk(client, "write_code", { project, files: counterApp("two") });
    await callOk(client, "run_sql", { project, sql: "DELETE FROM hits" });

    // v1's snapshot was taken when v2 replaced it: its three rows come back.
    const restored = await callOk(client, "restore_version", { project, version: 1, data: true });
    expect(restored).toMatchObject({ version: 3, restoredData: true });
    const rows = SqlResult.parse(await callOk(client, "run_sql", { project, sql: "SELECT count(*) AS n FROM hits" }));
    expect(rows.rows).toEqual([[3]]);
    // Without data only the code goes back.
    expect(await callOk(client, "restore_version", { project, version: 2 })).toMatchObject({ restoredData: false });

    // A draft runs on a copy: its writes stay there until promoted with its data.
    const draft = await callOk(client, "write_draft", { project, files: counterApp("draft") });
    expect(draft).toMatchObject({ previewUrl: expect.stringContaining("--draft") });
    const onDraft = await callOk(client, "run_sql", {
      project,
      target: "draft",
      sql: "INSERT INTO hits (label) VALUES ('d')",
    });
    expect(onDraft).toMatchObject({ rowsWritten: 1 });
    const live = SqlResult.parse(await callOk(client, "run_sql", { project, sql: "SELECT count(*) FROM hits" }));
    expect(live.rows).toEqual([[3]]);
    expect(await callOk(client, "get_draft", { project })).toMatchObject({ draft: { revision: 1 } });
    expect(await callOk(client, "promote_draft", { project, data: "draft" })).toMatchObject({ data: "draft" });
    const promoted = SqlResult.parse(await callOk(client, "run_sql", { project, sql: "SELECT count(*) FROM hits" }));
    expect(promoted.rows).toEqual([[4]]);
    const none = await client.callTool({ name: "discard_draft", arguments: { project } });
    expect(none.isError).toBeFalsy();

    const fork = await callOk(client, "fork_project", { project });
    const copied = SqlResult.parse(
      await callOk(client, "run_sql", { project: fork.id, sql: "SELECT count(*) FROM hits" }),
    );
    expect(copied.rows).toEqual([[4]]);
    // The fork belongs to the key that made it.
    const listed = (await callOk(client, "list_projects")) as { projects: { id: string }[] };
    expect(listed.projects.map((p) => p.id).sort()).toEqual([project, String(fork.id)].sort());
    await client.close();
  });

  it("takes an object in a Worker project: lists them, runs SQL and reads tables on the one named", async () => {
    const client = await connect(await mintKey());
    const project = String((await callOk(client, "create_project", { template: "blank" })).id);
    await callOk(client, "write_code", { project, files: objectsProject("mcp") });
    for (const path of ["/count/busy", "/count/busy", "/count/quiet"])
      await callOk(client, "request_app", { project, path });
    const listed = ObjectsResponse.parse(await callOk(client, "list_objects", { project }));
    expect(listed.objects.map((o) => [o.label, o.requests])).toEqual([
      ["Counter:busy", 2],
      ["Counter:quiet", 1],
    ]);
    const quiet = SqlResult.parse(
      await callOk(client, "run_sql", { project, sql: "SELECT count(*) FROM hits", object: "Counter:quiet" }),
    );
    expect(quiet).toMatchObject({ rows: [[1]], object: "Counter:quiet" });
    // Without object, the one the app uses most.
    const most = SqlResult.parse(await callOk(client, "run_sql", { project, sql: "SELECT count(*) FROM hits" }));
    expect(most).toMatchObject({ rows: [[2]], object: "Counter:busy" });
    const tables = await callOk(client, "list_tables", { project, object: "quiet" });
    expect(tables).toMatchObject({
      tables: expect.arrayContaining([expect.objectContaining({ name: "hits", rowCount: 1 })]),
    });
    const missing = await client.callTool({
      name: "run_sql",
      arguments: { project, sql: "SELECT 1", object: "Counter:nobody" },
    });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toContain("No Durable Object 'Counter:nobody'");
    const busyMetrics = MetricsResponse.parse(
      await callOk(client, "get_metrics", { project, object: "busy", series: true }),
    );
    expect(busyMetrics).toMatchObject({ object: "Counter:busy", totals: { requests: 2 } });
    await callOk(client, "delete_object", { project, object: "Counter:quiet" });
    expect(ObjectsResponse.parse(await callOk(client, "list_objects", { project })).objects).toHaveLength(1);
    await client.close();
  });

  it("a key reaches its own projects only; a project token reaches its project only", async () => {
    const mine = await connect(await mintKey());
    const theirs = await connect(await mintKey());
    const first = String((await callOk(mine, "create_project", { template: "blank" })).id);
    const second = await callOk(theirs, "create_project", { template: "blank" });
    expect(await callOk(mine, "list_projects")).toMatchObject({ projects: [{ id: first }] });

    const refused = await theirs.callTool({ name: "get_project", arguments: { project: first } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/^This agent key does not open this project/);

    const byToken = await connect(String(second.token));
    expect(await callOk(byToken, "get_project", { project: second.id })).toMatchObject({ id: second.id });
    const foreign = await byToken.callTool({ name: "read_code", arguments: { project: first } });
    expect(textOf(foreign)).toMatch(
      /^This token does not open this project \(|^This token does not open this project\n/,
    );
    const listing = await byToken.callTool({ name: "list_projects", arguments: {} });
    expect(textOf(listing)).toMatch(/needs an agent key/);
    for (const client of [mine, theirs, byToken]) await client.close();
  });

  it("refuses a missing or unknown credential with 401, and other sites' pages", async () => {
    const initialize = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
    };
    const post = (headers: Record<string, string>) =>
      workerFetch(`${ORIGIN}/mcp`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
        body: JSON.stringify(initialize),
      });
    for (const headers of [{}, { authorization: "Bearer fk_not-a-key" }] as Record<string, string>[]) {
      const response = await post(headers);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await response.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32001 }, id: null });
    }
    await expect(connect("fk_not-a-key")).rejects.toThrow();
    const key = await mintKey();
    const fromApp = await post({ authorization: `Bearer ${key}`, origin: "http://evil.localhost:5173" });
    expect(fromApp.status).toBe(403);
    const crossSite = await post({ authorization: `Bearer ${key}`, "sec-fetch-site": "same-site" });
    expect(crossSite.status).toBe(403);
    expect((await post({ authorization: `Bearer ${key}`, origin: ORIGIN })).status).toBe(200);
    const get = await workerFetch(`${ORIGIN}/mcp`, { headers: { authorization: `Bearer ${key}` } });
    expect(get.status).toBe(405);
  });

  it("does no work for a bearer that is not a credential of this server: 401 before any message is read", async () => {
    const post = (bearer: string, body: string) =>
      workerFetch(`${ORIGIN}/mcp`, { method: "POST", headers: mcpHeaders(bearer), body });
    const project = await createProject();
    // Issue 24's attack: 100 tools/list in one batch with any bearer at all was answered (6.6 MB).
    for (const bearer of ["x", "a".repeat(43), `fk_${"a".repeat(43)}`, `${project.token}x`]) {
      const response = await post(bearer, JSON.stringify(toolsListBatch(100)));
      expect(response.status, bearer).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const text = await response.text();
      expect(text.length).toBeLessThan(400);
      expect(JSON.parse(text)).toMatchObject({ jsonrpc: "2.0", error: { code: -32001 }, id: null });
    }
    // A project's token made through the API is known, so its batches within the bound are answered.
    const listed = await post(project.token, JSON.stringify(toolsListBatch(2)));
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as unknown[]).length).toBe(2);
  });

  it("bounds a JSON-RPC batch to 20 messages, for every caller", async () => {
    const key = await mintKey();
    const post = (body: string) => workerFetch(`${ORIGIN}/mcp`, { method: "POST", headers: mcpHeaders(key), body });
    const full = await post(JSON.stringify(toolsListBatch(MAX_BATCH_MESSAGES)));
    expect(full.status).toBe(200);
    const answers = (await full.json()) as { id: number; result: { tools: unknown[] } }[];
    expect(answers.map((a) => a.id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(answers[19]?.result.tools).toHaveLength(tools.length);
    for (const size of [21, 100]) {
      const refused = await post(JSON.stringify(toolsListBatch(size)));
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({
        jsonrpc: "2.0",
        error: { code: -32600, message: expect.stringMatching(/at most 20 messages \(this one has \d+\)/) },
        id: null,
      });
    }
    // What does not parse is still the SDK's to answer, as before.
    const garbled = await post("{not json");
    expect(garbled.status).toBe(400);
    expect(await garbled.json()).toMatchObject({ error: { code: -32700 } });
    const wrongType = await workerFetch(`${ORIGIN}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders(key), "content-type": "text/plain" },
      body: "hello",
    });
    expect(wrongType.status).toBe(415);
  });

  it("reads an oversized body to its end and answers 413, so the client gets the answer", async () => {
    const key = await mintKey();
    for (const bearer of [key, null]) {
      // 20 MiB in 64 KiB pieces, counted as the worker reads them.
      const piece = new Uint8Array(65_536).fill(0x20);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 20 * 1_048_576) return controller.close();
          sent += piece.byteLength;
          controller.enqueue(piece);
        },
      });
      const headers = bearer ? mcpHeaders(bearer) : { ...mcpHeaders(key), authorization: "" };
      const response = await workerFetch(`${ORIGIN}/mcp`, {
        method: "POST",
        headers,
        body,
        duplex: "half",
      } as RequestInit);
      expect(response.status).toBe(413);
      expect(sent, "bytes the worker read before it answered").toBe(20 * 1_048_576);
      expect(await response.json()).toMatchObject({
        jsonrpc: "2.0",
        error: { message: `Request bodies are limited to ${MAX_MCP_BODY_BYTES} bytes` },
      });
    }
  });

  it("knows a project token made before tokens were recorded once the IDE has opened its project", async () => {
    // A project as the IDE made them before: in its supervisor, with no record of its token.
    const id = `old-${Date.now().toString(36)}`;
    const token = "b".repeat(43);
    const created = await env.SUPERVISOR.getByName(id).create(id, await sha256Hex(token), null);
    expect(created.ok).toBe(true);
    const initialize = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
    });
    const post = () => workerFetch(`${ORIGIN}/mcp`, { method: "POST", headers: mcpHeaders(token), body: initialize });
    const before = await post();
    expect(before.status).toBe(401);
    expect(await before.json()).toMatchObject({ error: { message: expect.stringMatching(/opened in the IDE/) } });
    expect((await call(`/api/projects/${id}`, { token })).status).toBe(200);
    expect((await post()).status).toBe(200);
  });

  it("a malformed call is a protocol-level refusal made into an error result, not a crash", async () => {
    const client = await connect(await mintKey());
    const result = await client.callTool({ name: "write_code", arguments: { project: "p", files: "not files" } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/Input validation error/);
    await client.close();
  });
});
