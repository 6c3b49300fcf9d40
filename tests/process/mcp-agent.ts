/**
 * An agent over MCP against a real server (ide-server.ts): the official SDK's Client and
 * StreamableHTTPClientTransport over a real socket, as Claude Code or Cursor would connect, and the
 * helpers the process tests of the MCP server share.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect } from "vitest";
import { clientOf } from "./ide-server";

/** Connects to the server's /mcp with `bearer` (an agent key or a project's token). */
export async function connectAgent(server: { port: number }, bearer: string): Promise<Client> {
  const client = new Client({ name: "process-test-agent", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`http://localhost:${server.port}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${bearer}` } },
    }),
  );
  return client;
}

/** A fresh agent key: the one HTTP call an agent's setup makes besides /mcp. */
export async function mintKey(server: { port: number }): Promise<string> {
  return (await clientOf(server).call("createKey")).key;
}

export type Result = Awaited<ReturnType<Client["callTool"]>>;
export const textOf = (result: Result) => (result.content as { text?: string }[]).map((c) => c.text ?? "").join("\n");

/** Calls a tool that must succeed; its structured answer. */
export async function tool(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError, `${name}: ${textOf(result)}`).toBeFalsy();
  return result.structuredContent;
}
