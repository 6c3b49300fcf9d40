/**
 * The MCP server at `/mcp` on the IDE's origin: Streamable HTTP, stateless (a fresh server and
 * transport per POST, JSON answers, no session), built on the official SDK's McpServer and its Web
 * Standard transport, which run in a Worker as they are.
 *
 * Why not Cloudflare's `agents` package (`createMcpHandler`): in agents 0.32 it takes servers of the
 * SDK's next major version (`@modelcontextprotocol/server` 2.x) and calls passing this SDK's
 * servers deprecated, and for a stateless server it adds nothing the transport does not already do,
 * while bringing a large package (11 MB unpacked, a dozen peer dependencies) into the worker.
 *
 * Tools (tools.ts) run the HTTP API's operations (api/operations.ts) in-process with the caller's
 * bearer, so they answer as the routes do. The guide (docs/agent-guide.md) is the server's
 * instructions and a resource.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import agentGuide from "../../docs/agent-guide.md?raw";
import { LIMITS } from "../../shared/api";
import type { Refusal } from "../../shared/ide-requests";
import type { RouteName } from "../../shared/routes";
import { bearerOf, isAgentKey } from "../api/credentials";
import { type OperationArgs, type OperationContext, type OperationName, run } from "../api/operations";
import { keyRegistryFor } from "../keys/registry-stub";
import { sha256Hex } from "../supervisor/versions/hashing";
import { type Invoke, tools } from "./tools";

export const MCP_PATH = "/mcp";
export const GUIDE_URI = "facet-ide://agent-guide";

/** An error the client gets before any MCP message is handled: JSON-RPC's shape, with no id. */
function protocolError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json(
    { jsonrpc: "2.0", error: { code: status === 401 ? -32001 : -32000, message }, id: null },
    { status, headers },
  );
}

function buildServer(bearer: string, context: OperationContext): McpServer {
  const server = new McpServer(
    { name: "facet-ide", title: "Facet IDE", version: "1.0.0" },
    { instructions: agentGuide, capabilities: { tools: {}, resources: {} } },
  );
  const invoke: Invoke = (route: RouteName, args) =>
    run(
      route as OperationName,
      { params: args.params ?? {}, query: args.query ?? {}, body: args.body } as OperationArgs<OperationName>,
      bearer,
      context,
    );
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: { readOnlyHint: tool.readOnly, openWorldHint: false },
      },
      (args: Record<string, unknown>) => tool.run(args, invoke),
    );
  }
  server.registerResource(
    "agent-guide",
    GUIDE_URI,
    {
      title: "How to write an app on Facet IDE",
      description: "The App class, storage, WebSockets, alarms, env, limits, and how to use the tools",
      mimeType: "text/markdown",
    },
    async () => ({ contents: [{ uri: GUIDE_URI, mimeType: "text/markdown", text: agentGuide }] }),
  );
  return server;
}

/**
 * The answer to a request the worker refused before it got here (server/index.ts): from another
 * site's page (the MCP specification asks servers to check Origin, against DNS rebinding too), a
 * preflight, TRACE. An agent's HTTP client sends neither Origin nor Sec-Fetch-Site and is not refused.
 */
export function mcpRefusal(refusal: Refusal): Response {
  return protocolError(refusal.status, refusal.message, refusal.status === 405 ? { allow: "POST" } : {});
}

/** Serves a request for `/mcp`. */
export async function serveMcp(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  if (request.method !== "POST") {
    // Stateless: no stream for server-initiated messages and no session to delete.
    return protocolError(405, "This MCP server is stateless: send JSON-RPC with POST", { allow: "POST" });
  }
  const bearer = bearerOf(request);
  const challenge = { "www-authenticate": 'Bearer realm="facet-ide"' };
  if (!bearer) {
    return protocolError(
      401,
      "Send an agent key (mint one in the IDE: Connect an agent) or a project's token as 'Authorization: Bearer <key or token>'",
      challenge,
    );
  }
  // A key is checked here; a project token can only be checked against its project, which each
  // project tool does (and refuses with the API's 403 message).
  if (isAgentKey(bearer) && !(await keyRegistryFor(env, await sha256Hex(bearer)).minted())) {
    return protocolError(401, "This agent key is not known here: mint one in the IDE (Connect an agent)", challenge);
  }
  const server = buildServer(bearer, { env, url: request.url });
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
    // The HTTP API's body limit, with room for the JSON-RPC envelope around a tool's arguments.
    maxRequestBodySize: LIMITS.maxBodyBytes + 64 * 1024,
  });
  await server.connect(transport);
  const response = await transport.handleRequest(request);
  ctx.waitUntil(server.close());
  return response;
}
