/**
 * An agent tests what it builds without leaving MCP (issue 28), against the real server
 * (`npm start`): after minting its key, every call is a tool of /mcp through the official SDK's
 * client. A URL shortener's redirect comes back as a 302, a draft is requested and promoted, a chat
 * is driven over two WebSockets at once, and a rate limit is seen as 429s.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppResponse, CreateProjectResponse, LogsResponse } from "../../shared/api";
import { WebSocketAppResponse } from "../../shared/app-sockets";
import shortenerApp from "./fixtures/shortener-app.ts?raw";
import { type IdeServer, startServer } from "./ide-server";
import { connectAgent, mintKey, textOf, tool } from "./mcp-agent";

let server: IdeServer;
let agent: Client;

beforeAll(async () => {
  server = await startServer();
  agent = await connectAgent(server, await mintKey(server));
});

afterAll(async () => {
  await agent?.close();
  await server?.stop();
});

const request = async (args: Record<string, unknown>) => AppResponse.parse(await tool(agent, "request_app", args));
const socket = async (args: Record<string, unknown>) =>
  WebSocketAppResponse.parse(await tool(agent, "websocket_app", args));

async function newProject(template: string): Promise<string> {
  return CreateProjectResponse.parse(await tool(agent, "create_project", { template })).id;
}

/** Waits until read_logs shows a console line matching `pattern`. */
async function logged(project: string, pattern: RegExp): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { entries } = LogsResponse.parse(await tool(agent, "read_logs", { project }));
    if (entries.some((e) => e.kind === "console" && pattern.test(e.message))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`read_logs never showed ${pattern}`);
}

describe("an agent tests its app over MCP alone", () => {
  it("a URL shortener: the redirect is a 302 with its Location; a draft is requested, then promoted", async () => {
    const project = await newProject("blank");
    await tool(agent, "write_code", { project, files: { "app.ts": shortenerApp } });
    const made = await request({ project, method: "POST", path: "/links", body: "https://example.com/far/away" });
    expect(made.status).toBe(201);
    const { code } = JSON.parse(made.body) as { code: string };

    const hop = await request({ project, path: `/s/${code}` });
    expect(hop.status).toBe(302);
    expect(hop.headers.location).toBe("https://example.com/far/away");
    expect(hop.logs).toMatchObject([{ kind: "request", path: `/s/${code}`, status: 302 }]);

    // The draft answers 301 on its copy of the data (the link is there); live still answers 302.
    await tool(agent, "write_draft", {
      project,
      files: { "app.ts": shortenerApp.replace("302 /* __STATUS__ */", "301") },
    });
    const drafted = await request({ project, path: `/s/${code}`, target: "draft" });
    expect(drafted.status).toBe(301);
    expect(drafted.headers.location).toBe("https://example.com/far/away");
    expect((await request({ project, path: `/s/${code}` })).status).toBe(302);

    await tool(agent, "promote_draft", { project, data: "live" });
    expect((await request({ project, path: `/s/${code}` })).status).toBe(301);
    const gone = await agent.callTool({ name: "request_app", arguments: { project, path: "/", target: "draft" } });
    expect(gone.isError).toBe(true);
    expect(textOf(gone)).toMatch(/no draft/);
  });

  it("a chat over websocket_app: a message sent on one socket is received on the other", async () => {
    const project = await newProject("chat");
    const listening = socket({ project, path: "/ws", expect: 2, timeoutMs: 20_000 });
    await logged(project, /someone joined; 1 online/);
    const speaker = await socket({
      project,
      path: "/ws",
      send: [JSON.stringify({ name: "agent", text: "hello from MCP" })],
      expect: 2,
      timeoutMs: 20_000,
    });
    expect(speaker).toMatchObject({ opened: true, status: 101, stopped: "expect" });
    const heard = (await listening).messages.map((m) => JSON.parse(m.data));
    expect(heard).toMatchObject([
      { type: "history", messages: [] },
      { type: "message", message: { name: "agent", text: "hello from MCP" } },
    ]);
  });

  it("a rate limit: after set_limits, requests past it come back as 429s with Retry-After", async () => {
    const project = await newProject("blank");
    await tool(agent, "write_code", { project, files: { "app.ts": shortenerApp } });
    const limit = 20;
    await tool(agent, "set_limits", { project, requestsPerMinute: limit });
    const answers: AppResponse[] = [];
    for (let i = 0; i < limit + 10; i++) answers.push(await request({ project, path: "/" }));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(answers.filter((a) => a.status === 404).length).toBeGreaterThanOrEqual(limit);
    expect(Number(limited[0]?.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(limited[0]?.body).toMatch(/limit of 20 requests a minute/);
  });
});
