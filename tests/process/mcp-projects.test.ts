/**
 * An agent edits, labels, exports, imports and deletes projects over MCP against the real server
 * (`npm start`, its own port and data directory), with no HTTP call besides /mcp after minting its
 * key (issue 28).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppResponse, CodeResponse, CreateProjectResponse, ProjectsResponse, VersionsResponse } from "../../shared/api";
import { SqlResult } from "../../shared/sql";
import notesApp from "./fixtures/notes-app.ts?raw";
import { type IdeServer, startServer } from "./ide-server";
import { connectAgent, mintKey, textOf, tool } from "./mcp-agent";

let server: IdeServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
});

describe("projects over MCP, against npm start", () => {
  it("edits one file, exports the project, imports it as a new one with its data, deletes one", async () => {
    const agent = await connectAgent(server, await mintKey(server));
    const { id: project } = CreateProjectResponse.parse(await tool(agent, "create_project", { template: "blank" }));
    await tool(agent, "write_code", { project, files: { "app.ts": notesApp }, message: "notes" });
    await tool(agent, "request_app", { project, method: "POST", path: "/", body: "kept" });

    // One file changed; a refused edit names the nearest line.
    const refused = await agent.callTool({
      name: "edit_file",
      arguments: { project, file: "app.ts", edits: [{ oldText: 'console.log("saved notes"', newText: "" }] },
    });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/The nearest match is line 8: " +console\.log\(\\"saved note\\", text\);"/);
    const edited = await tool(agent, "edit_file", {
      project,
      file: "app.ts",
      edits: [{ oldText: 'console.log("saved note"', newText: 'console.log("stored note"' }],
      message: "say stored",
    });
    expect(edited).toMatchObject({ version: 2, created: true });
    const posted = AppResponse.parse(
      await tool(agent, "request_app", { project, method: "POST", path: "/", body: "second" }),
    );
    expect(posted.logs).toContainEqual(expect.objectContaining({ kind: "console", message: "stored note second" }));
    const versions = VersionsResponse.parse(await tool(agent, "list_versions", { project }));
    expect(versions.versions.map((v) => [v.version, v.message])).toEqual([
      [2, "say stored"],
      [1, "notes"],
    ]);

    // Out as a bundle and in as a new project: the same code and data.
    const bundle = (await tool(agent, "export_project", { project })) as Record<string, unknown>;
    const copy = CreateProjectResponse.parse(await tool(agent, "import_project", { bundle }));
    const code = CodeResponse.parse(await tool(agent, "read_code", { project: copy.id, file: "app.ts" }));
    expect(code.files["app.ts"]).toBe(notesApp.replace('console.log("saved note"', 'console.log("stored note"'));
    const rows = SqlResult.parse(await tool(agent, "run_sql", { project: copy.id, sql: "SELECT text FROM notes" }));
    expect(rows.rows).toEqual([["kept"], ["second"]]);

    // Deleted: nothing opens it, the key no longer lists it, its token is no credential any more.
    const wrong = await agent.callTool({ name: "delete_project", arguments: { project, confirm: copy.id } });
    expect(wrong.isError).toBe(true);
    expect(await tool(agent, "delete_project", { project, confirm: project })).toEqual({ deleted: project });
    const gone = await agent.callTool({ name: "get_project", arguments: { project } });
    expect(gone.isError).toBe(true);
    expect(textOf(gone)).toMatch(/^No such project[\s\S]*\(not_found, HTTP 404\)/);
    const listed = ProjectsResponse.parse(await tool(agent, "list_projects")).projects.map((p) => p.id);
    expect(listed).toEqual([copy.id]);
    // The copy is untouched.
    expect(await tool(agent, "get_project", { project: copy.id })).toMatchObject({ id: copy.id, version: 1 });
    await agent.close();
  });
});
