/**
 * Ready-to-paste configuration that connects an MCP client to this IDE's /mcp with an agent key:
 * Claude Code's command line, Cursor's mcp.json and VS Code's mcp.json (their formats for a remote
 * Streamable HTTP server with a header).
 */
export const SERVER_NAME = "facet-ide";

export interface AgentConfig {
  client: "Claude Code" | "Cursor" | "VS Code";
  /** Where it goes. */
  where: string;
  text: string;
}

export function mcpUrl(origin: string): string {
  return `${origin}/mcp`;
}

export function agentConfigs(origin: string, key: string): AgentConfig[] {
  const url = mcpUrl(origin);
  const authorization = `Bearer ${key}`;
  return [
    {
      client: "Claude Code",
      where: "Run in a terminal",
      text: `claude mcp add --transport http ${SERVER_NAME} ${url} --header "Authorization: ${authorization}"`,
    },
    {
      client: "Cursor",
      where: "~/.cursor/mcp.json (or .cursor/mcp.json in a project)",
      text: JSON.stringify(
        { mcpServers: { [SERVER_NAME]: { url, headers: { Authorization: authorization } } } },
        null,
        2,
      ),
    },
    {
      client: "VS Code",
      where: ".vscode/mcp.json in your workspace",
      text: JSON.stringify(
        { servers: { [SERVER_NAME]: { type: "http", url, headers: { Authorization: authorization } } } },
        null,
        2,
      ),
    },
  ];
}
