import { describe, expect, it } from "vitest";
import { agentConfigs } from "../../../client/agents/agent-config";

describe("agent configuration", () => {
  const [claude, cursor, vscode] = agentConfigs("http://localhost:5173", "fk_abc");

  it("gives Claude Code one command with the URL and the key as a header", () => {
    expect(claude?.text).toBe(
      'claude mcp add --transport http facet-ide http://localhost:5173/mcp --header "Authorization: Bearer fk_abc"',
    );
  });

  it("gives Cursor and VS Code their mcp.json shapes", () => {
    expect(JSON.parse(cursor?.text ?? "")).toEqual({
      mcpServers: { "facet-ide": { url: "http://localhost:5173/mcp", headers: { Authorization: "Bearer fk_abc" } } },
    });
    expect(JSON.parse(vscode?.text ?? "")).toEqual({
      servers: {
        "facet-ide": { type: "http", url: "http://localhost:5173/mcp", headers: { Authorization: "Bearer fk_abc" } },
      },
    });
  });
});
