/**
 * Connecting an agent as a person does: the start page's "Connect an agent" dialog mints a key and
 * shows configuration; the test connects the MCP SDK's own client with exactly what the dialog shows,
 * builds a project as an agent would, and the person sees it on the start page and opens it.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, test } from "@playwright/test";
import { expectTerminal } from "./helpers";

const agentApp = (greeting: string) => `import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    console.log("agent app served", new URL(request.url).pathname);
    return new Response(${JSON.stringify(greeting)});
  }
}
`;

test("the Connect an agent dialog's configuration connects an agent, whose project shows on the start page", async ({
  page,
}) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Connect an agent" }).click();
  const dialog = page.getByRole("dialog", { name: "Connect an agent" });
  await dialog.getByRole("button", { name: "Mint an agent key" }).click();

  // What a person would paste: VS Code's mcp.json, and Claude Code's command with the same URL and key.
  await dialog.getByRole("tab", { name: "VS Code" }).click();
  const vscode = JSON.parse((await dialog.getByTestId("agent-config").textContent()) ?? "") as {
    servers: { "facet-ide": { type: string; url: string; headers: Record<string, string> } };
  };
  const server = vscode.servers["facet-ide"];
  expect(server.type).toBe("http");
  await dialog.getByRole("tab", { name: "Claude Code" }).click();
  const command = (await dialog.getByTestId("agent-config").textContent()) ?? "";
  expect(command).toBe(
    `claude mcp add --transport http facet-ide ${server.url} --header "Authorization: ${server.headers.Authorization}"`,
  );
  await page.screenshot({ path: test.info().outputPath("connect-agent.png") });

  const agent = new Client({ name: "e2e-agent", version: "1.0.0" });
  await agent.connect(
    new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: server.headers } }),
  );
  const created = await agent.callTool({ name: "create_project", arguments: { template: "blank" } });
  const project = (created.structuredContent as { id: string }).id;
  const saved = await agent.callTool({
    name: "write_code",
    arguments: { project, files: { "app.ts": agentApp("v1") } },
  });
  expect(saved.isError).toBeFalsy();

  await dialog.getByRole("button", { name: "Close" }).click();
  const row = page.getByTestId("project-row").filter({ hasText: project });
  await expect(row).toContainText("created by your agent");
  await page.screenshot({ path: test.info().outputPath("agent-projects.png") });

  // The person opens it while the agent keeps working: the agent's next save and request show up.
  await row.getByRole("link", { name: new RegExp(`^${project} created by`) }).click();
  await expect(page.getByTestId("project-name")).toHaveText(project);
  await expect(page.getByTestId("status-bar")).toContainText("connected", { timeout: 30_000 });
  await expect(page.locator(".monaco-editor .view-lines")).toContainText('"v1"', { timeout: 60_000 });
  await agent.callTool({ name: "write_code", arguments: { project, files: { "app.ts": agentApp("v2") } } });
  await expect(page.locator(".monaco-editor .view-lines")).toContainText('"v2"');
  const answer = await agent.callTool({ name: "request_app", arguments: { project, path: "/from-agent" } });
  expect(answer.structuredContent).toMatchObject({ body: "v2", version: 2 });
  await expectTerminal(page, /agent app served \/from-agent/);
  await page.screenshot({ path: test.info().outputPath("agent-working.png") });
  await agent.close();

  // Back on the start page the project is one of this browser's own now, opened with the key.
  await page.goto("/");
  await expect(page.getByTestId("project-row").filter({ hasText: project })).toContainText("opened");
});
