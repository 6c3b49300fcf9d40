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
 *
 * Before any message is handled, the work is bounded: the body is read to its end up to a limit
 * (past it, a 413 that arrives: api/body-limit.ts), the bearer must be a credential of this server
 * (a minted key, a project token issued here, the operator's secret; else a 401 and nothing is
 * parsed), and a JSON-RPC batch may carry MAX_BATCH_MESSAGES messages (the SDK's own bound is 100,
 * and fixed): each message is answered in full, so a batch multiplies what one request costs.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import agentGuide from "../../docs/agent-guide.md?raw";
import { LIMITS } from "../../shared/api";
import type { Refusal } from "../../shared/http/ide-requests";
import type { RouteName } from "../../shared/http/routes";
import { readBody } from "../api/body-limit";
import { bearerOf, isAgentKey, isKnownCredential } from "../api/credentials";
import type { OperationArgs, OperationContext, OperationName } from "../api/operation-types";
import { run } from "../api/operations";
import { keyMinted, tokenIssued } from "../keys/registry-stub";
import { buildAppPrompt } from "./prompts/build-app";
import { cachedToolListing } from "./tool-list";
import { type Invoke, tools } from "./tools";

export const MCP_PATH = "/mcp";
export const GUIDE_URI = "facet-ide://agent-guide";

/** Messages one JSON-RPC batch may carry. */
export const MAX_BATCH_MESSAGES = 20;
/** The HTTP API's body limit, with room for the JSON-RPC envelope around a tool's arguments. */
export const MAX_MCP_BODY_BYTES = LIMITS.maxBodyBytes + 64 * 1024;

/** An error the client gets before any MCP message is handled: JSON-RPC's shape, with no id. */
function protocolError(
  status: number,
  message: string,
  headers: Record<string, string> = {},
  code = status === 401 ? -32001 : -32000,
): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status, headers });
}

function parsedJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
}

function buildServer(bearer: string, context: OperationContext): McpServer {
  const server = new McpServer(
    { name: "facet-ide", title: "Facet IDE", version: "1.0.0" },
    { instructions: agentGuide, capabilities: { tools: {}, resources: {}, prompts: {} } },
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
  // Every agent pays for the listing in its context: this one is compact (tool-list.ts).
  server.server.setRequestHandler(ListToolsRequestSchema, () => cachedToolListing(tools));
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
  server.registerPrompt(
    "build_app",
    {
      title: "Build and test an app",
      description: "The recommended loop: write on a draft, request it, read its logs, promote it, roll back if needed",
      argsSchema: {
        project: z.string().max(64).optional().describe("The project's id (left out: create one)"),
        goal: z.string().max(4_000).optional().describe("What the app should do"),
      },
    },
    (args) => ({
      description: "Build and test an app on a draft, then promote it",
      messages: [{ role: "user", content: { type: "text", text: buildAppPrompt(args) } }],
    }),
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
  // Read whole before anything answers, so even a 401 never leaves a body unsent (api/body-limit.ts).
  const body = await readBody(request, MAX_MCP_BODY_BYTES);
  if (!body) return protocolError(413, `Request bodies are limited to ${MAX_MCP_BODY_BYTES} bytes`);
  const bearer = bearerOf(request);
  const challenge = { "www-authenticate": 'Bearer realm="facet-ide"' };
  if (!bearer) {
    return protocolError(
      401,
      "Send an agent key (mint one in the IDE: Connect an agent) or a project's token as 'Authorization: Bearer <key or token>'",
      challenge,
    );
  }
  // Whether it is ours at all; what it opens, each tool checks (a token opens its project alone).
  const known = await isKnownCredential(bearer, env.ACCESS_SECRET, {
    keyMinted: (hash) => keyMinted(env, hash),
    tokenIssued: (hash) => tokenIssued(env, hash),
  });
  if (!known) {
    return protocolError(
      401,
      isAgentKey(bearer)
        ? "This agent key is not known here: mint one in the IDE (Connect an agent)"
        : "This is not an agent key or a project's token of this server: mint a key in the IDE (Connect an agent). A token made before tokens were recorded is known once its project has been opened in the IDE",
      challenge,
    );
  }
  const message = parsedJson(body);
  if (Array.isArray(message) && message.length > MAX_BATCH_MESSAGES) {
    return protocolError(
      400,
      `Invalid Request: a batch may carry at most ${MAX_BATCH_MESSAGES} messages (this one has ${message.length}); send more requests`,
      {},
      -32600,
    );
  }
  const server = buildServer(bearer, { env, url: request.url });
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
    maxRequestBodySize: MAX_MCP_BODY_BYTES,
  });
  await server.connect(transport);
  // What did not parse goes to the SDK as it came, which answers it (415, or JSON-RPC's parse error).
  const response =
    message === undefined
      ? await transport.handleRequest(new Request(request, { body }))
      : await transport.handleRequest(request, { parsedBody: message });
  ctx.waitUntil(server.close());
  return response;
}
