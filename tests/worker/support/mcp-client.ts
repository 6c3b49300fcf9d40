/**
 * An agent's side of /mcp in worker tests: the official SDK's Client and Streamable HTTP transport,
 * whose requests go to the worker's entry point as a remote agent's would.
 */
import { exports } from "cloudflare:workers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import { expect } from "vitest";
import { api, ORIGIN } from "./helpers";

export const workerFetch = (input: string | URL | Request, init?: RequestInit) =>
  exports.default.fetch(new Request(input, init));

export async function connect(bearer: string): Promise<Client> {
  // The SDK validates tool outputs with Ajv by default, which compiles with `new Function`, which
  // workerd forbids; its Cloudflare-Workers validator does the same job without.
  const client = new Client(
    { name: "test-agent", version: "1.0.0" },
    { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${ORIGIN}/mcp`), {
      fetch: workerFetch,
      requestInit: { headers: { authorization: `Bearer ${bearer}` } },
    }),
  );
  return client;
}

export async function mintKey(): Promise<string> {
  const response = await api.send("createKey");
  expect(response.status).toBe(201);
  return ((await response.json()) as { key: string }).key;
}

type Result = Awaited<ReturnType<Client["callTool"]>>;
export const textOf = (result: Result) =>
  (result.content as { type: string; text?: string }[]).map((c) => c.text ?? "").join("\n");

export async function callOk(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError, `${name}: ${textOf(result)}`).toBeFalsy();
  return result.structuredContent as Record<string, unknown>;
}
