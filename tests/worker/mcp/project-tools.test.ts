/**
 * The MCP tools that change code a file at a time, label versions, move a project out and in, and
 * delete one (issue 28): edit_file, read_code's file, write_code's message and its note on a partial
 * save, export_project, import_project and delete_project, attackers included.
 */
import { describe, expect, it } from "vitest";
import { MAX_EXPORT_TOOL_CHARS } from "../../../server/mcp/tools/project-tools";
import { CodeResponse, VersionsResponse } from "../../../shared/api";
import { SqlResult } from "../../../shared/sql";
import { counterApp } from "../support/helpers";
import { callOk, connect, mintKey, textOf } from "../support/mcp-client";

async function agentWithProject() {
  const key = await mintKey();
  const client = await connect(key);
  const created = await callOk(client, "create_project", { template: "blank" });
  const project = String(created.id);
  await callOk(client, "write_code", { project, files: counterApp("one"), message: "first cut" });
  return { key, client, project, token: String(created.token) };
}

describe("editing through MCP", () => {
  it("edit_file changes one file, read_code reads one file, list_versions shows the messages", async () => {
    const { client, project } = await agentWithProject();
    const edited = await callOk(client, "edit_file", {
      project,
      file: "app.ts",
      edits: [{ oldText: 'new Response("one"', newText: 'new Response("two"' }],
      message: "say two",
    });
    expect(edited).toMatchObject({ version: 2, created: true, target: "live" });
    const one = CodeResponse.parse(await callOk(client, "read_code", { project, file: "app.ts" }));
    expect(Object.keys(one.files)).toEqual(["app.ts"]);
    expect(one.files["app.ts"]).toContain('new Response("two"');
    const versions = VersionsResponse.parse(await callOk(client, "list_versions", { project }));
    expect(versions.versions.map((v) => v.message)).toEqual(["say two", "first cut"]);

    const missing = await client.callTool({ name: "read_code", arguments: { project, file: "lib/x.ts" } });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/No file lib\/x\.ts: v2 has app\.ts/);
  });

  it("edit_file refuses text not found once, naming the nearest line", async () => {
    const { client, project } = await agentWithProject();
    const refused = await client.callTool({
      name: "edit_file",
      arguments: { project, file: "app.ts", edits: [{ oldText: 'return new Respons("one"', newText: "x" }] },
    });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(
      /oldText is not in app\.ts\. The nearest match is line \d+: ".*return new Response/,
    );
    expect(textOf(refused)).toMatch(/\(bad_request, HTTP 400\)/);
  });

  it("a write_code with some of the files says it replaces them all and points at edit_file", async () => {
    const { client, project } = await agentWithProject();
    const partial = await client.callTool({
      name: "write_code",
      arguments: { project, files: { "lib/util.ts": "export const x = 1;\n" } },
    });
    expect(partial.isError).toBe(true);
    const text = textOf(partial);
    expect(text).toMatch(
      /^write_code replaces all the files: this call sent 1 \(lib\/util\.ts\) and left out app\.ts of v1/,
    );
    expect(text).toMatch(/use edit_file/);
  });
});

describe("export, import and delete through MCP", () => {
  it("exports a project and imports it as a new one with the same code and data", async () => {
    const { client, project } = await agentWithProject();
    await callOk(client, "request_app", { project, path: "/" });
    const bundle = await callOk(client, "export_project", { project });
    expect(bundle).toMatchObject({ format: "facet-ide-project/1", source: { id: project, version: 1 } });
    const imported = await callOk(client, "import_project", { bundle, name: `${project}-copy` });
    const copy = String(imported.id);
    expect(copy).toBe(`${project}-copy`);
    const code = CodeResponse.parse(await callOk(client, "read_code", { project: copy }));
    expect(code.files).toEqual(counterApp("one"));
    const rows = SqlResult.parse(await callOk(client, "run_sql", { project: copy, sql: "SELECT label FROM hits" }));
    expect(rows.rows).toEqual([["one"]]);
    // Imported with the key, it belongs to the key.
    const listed = (await callOk(client, "list_projects")) as { projects: { id: string }[] };
    expect(listed.projects.map((p) => p.id)).toContain(copy);
  });

  it("refuses an export too large for a tool's answer, pointing at fork_project", async () => {
    const { client, project } = await agentWithProject();
    const bytes = Math.ceil(MAX_EXPORT_TOOL_CHARS / 2) + 1024;
    await callOk(client, "run_sql", {
      project,
      sql: `CREATE TABLE big AS SELECT hex(randomblob(${bytes})) AS b`,
    });
    const refused = await client.callTool({ name: "export_project", arguments: { project } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/more than the 1024 KiB a tool's answer carries: fork_project/);
  });

  it("delete_project needs the id confirmed, and another key or project's token cannot delete", async () => {
    const { client, project, token } = await agentWithProject();
    const wrong = await client.callTool({ name: "delete_project", arguments: { project, confirm: "other" } });
    expect(wrong.isError).toBe(true);
    expect(textOf(wrong)).toContain(`{"confirm": "${project}"}`);

    const stranger = await connect(await mintKey());
    const byStranger = await stranger.callTool({ name: "delete_project", arguments: { project, confirm: project } });
    expect(byStranger.isError).toBe(true);
    expect(textOf(byStranger)).toMatch(/HTTP 403/);

    const other = await callOk(stranger, "create_project", { template: "blank" });
    const otherToken = await connect(String(other.token));
    const byToken = await otherToken.callTool({ name: "delete_project", arguments: { project, confirm: project } });
    expect(byToken.isError).toBe(true);
    expect(textOf(byToken)).toMatch(/HTTP 403/);

    // Its own token may delete it; then nothing opens it and the token is no credential any more.
    const own = await connect(token);
    expect(await callOk(own, "delete_project", { project, confirm: project })).toEqual({ deleted: project });
    const gone = await client.callTool({ name: "get_project", arguments: { project } });
    expect(gone.isError).toBe(true);
    expect(textOf(gone)).toMatch(/No such project[\s\S]*HTTP 404/);
    const listed = (await callOk(client, "list_projects")) as { projects: { id: string }[] };
    expect(listed.projects.map((p) => p.id)).not.toContain(project);
    await expect(connect(token)).rejects.toThrow(/401|not an agent key or a project's token/);
  });
});
