/**
 * An agent's side of MCP for process tests: a key minted over HTTP (the one call besides /mcp), then
 * the official SDK's Client over StreamableHTTPClientTransport and a real socket, as Claude Code or
 * Cursor would connect.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect } from "vitest";
import { clientOf, type IdeServer } from "./ide-server";

export async function connect(server: IdeServer, bearer: string): Promise<Client> {
  const client = new Client({ name: "process-test-agent", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`http://localhost:${server.port}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${bearer}` } },
    }),
  );
  return client;
}

export async function mintKey(server: IdeServer): Promise<string> {
  return (await clientOf(server).call("createKey")).key;
}

export type ToolAnswer = Awaited<ReturnType<Client["callTool"]>>;

export const textOf = (result: ToolAnswer) =>
  (result.content as { text?: string }[]).map((c) => c.text ?? "").join("\n");

/** Calls a tool that must succeed, and answers its structured content. */
export async function tool(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError, `${name}: ${textOf(result)}`).toBeFalsy();
  return result.structuredContent;
}
