/**
 * An agent's whole loop over MCP against the real server (`npm start`, its own port and data
 * directory), with the official SDK's Client and StreamableHTTPClientTransport over a real socket, as
 * Claude Code or Cursor would connect. Self-contained: it starts and stops its own server.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppResponse, CreateProjectResponse, LogsResponse, ProjectsResponse } from "../../shared/api";
import { SqlResult } from "../../shared/sql";
import notesApp from "./fixtures/notes-app.ts?raw";
import { type IdeServer, startServer } from "./ide-server";
import { connectAgent, mintKey as mintKeyOf, textOf, tool } from "./mcp-agent";

let server: IdeServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
});

const connect = (bearer: string) => connectAgent(server, bearer);
const mintKey = () => mintKeyOf(server);

describe("an agent over MCP, against npm run dev", () => {
  it("builds and checks an app: refused save, save, request, logs, SQL, restore with data", async () => {
    const agent = await connect(await mintKey());
    expect(agent.getInstructions()).toMatch(/this\.ctx\.storage\.sql/);
    const { id: project } = CreateProjectResponse.parse(await tool(agent, "create_project", { template: "blank" }));

    const broken = await agent.callTool({
      name: "write_code",
      arguments: { project, files: { "app.ts": notesApp.replace("const notes =", "const notes = =") } },
    });
    expect(broken.isError).toBe(true);
    expect(textOf(broken)).toMatch(/app\.ts:10:\d+ .+\n {4}10 \| {5}const notes = = this/);

    expect(await tool(agent, "write_code", { project, files: { "app.ts": notesApp } })).toMatchObject({ version: 1 });
    const posted = AppResponse.parse(
      await tool(agent, "request_app", { project, method: "POST", path: "/notes", body: "first" }),
    );
    expect(posted).toMatchObject({ status: 200, version: 1, body: '[{"text":"first"}]' });
    const printed = posted.logs.flatMap((l) => (l.kind === "console" ? [l.message] : []));
    expect(printed).toEqual(["saved note first"]);

    const logs = LogsResponse.parse(await tool(agent, "read_logs", { project }));
    expect(logs.entries).toContainEqual(expect.objectContaining({ kind: "console", message: "saved note first" }));
    const rows = SqlResult.parse(await tool(agent, "run_sql", { project, sql: "SELECT text FROM notes" }));
    expect(rows.rows).toEqual([["first"]]);

    // A second version deletes the rows by mistake; back to the first with its data: they return.
    await tool(agent, "write_code", { project, files: { "app.ts": notesApp.replace("saved note", "stored") } });
    await tool(agent, "run_sql", { project, sql: "DELETE FROM notes" });
    const restored = await tool(agent, "restore_version", { project, version: 1, data: true });
    expect(restored).toMatchObject({ version: 3, restoredData: true });
    const back = SqlResult.parse(await tool(agent, "run_sql", { project, sql: "SELECT text FROM notes" }));
    expect(back.rows).toEqual([["first"]]);
    const again = AppResponse.parse(
      await tool(agent, "request_app", { project, method: "POST", path: "/", body: "second" }),
    );
    expect(again).toMatchObject({ version: 3 });
    expect(again.logs).toContainEqual(expect.objectContaining({ message: "saved note second" }));
    await agent.close();
  });

  it("a project's token reaches its project alone; a key reaches only its own projects", async () => {
    const keyA = await connect(await mintKey());
    const keyB = await connect(await mintKey());
    const a = CreateProjectResponse.parse(await tool(keyA, "create_project", { template: "blank" }));
    const b = CreateProjectResponse.parse(await tool(keyB, "create_project", { template: "blank" }));

    const tokenB = await connect(b.token);
    expect(await tool(tokenB, "get_project", { project: b.id })).toMatchObject({ id: b.id });
    const refused = await tokenB.callTool({ name: "read_code", arguments: { project: a.id } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/^This token does not open this project/);

    const crossed = await keyB.callTool({ name: "run_sql", arguments: { project: a.id, sql: "SELECT 1" } });
    expect(textOf(crossed)).toMatch(/^This agent key does not open this project/);
    const listed = async (client: Client) => ProjectsResponse.parse(await tool(client, "list_projects")).projects;
    expect((await listed(keyA)).map((p) => p.id)).toEqual([a.id]);
    expect((await listed(keyB)).map((p) => p.id)).toEqual([b.id]);

    await expect(connect("fk_unknown")).rejects.toThrow(/401|not known/);
    for (const client of [keyA, keyB, tokenB]) await client.close();
  });
});
