/**
 * The MCP server at /mcp, driven by the official SDK's own Client and Streamable HTTP transport,
 * whose requests go to the worker's entry point as a remote agent's would. (tests/process/mcp.test.ts
 * does the same over a real socket against `npm run dev`; who may call it: mcp-access.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { GUIDE_URI } from "../../../server/mcp/server";
import { tools } from "../../../server/mcp/tools";
import { AppResponse, LogsResponse } from "../../../shared/api";
import { MetricsResponse } from "../../../shared/metrics";
import { ObjectsResponse } from "../../../shared/objects";
import { SqlResult } from "../../../shared/sql";
import { objectsProject } from "../fixtures/objects-app";
import { counterApp } from "../support/helpers";
import { callOk, connect, mintKey, textOf } from "../support/mcp-client";

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
});
