/**
 * Issue 13 in a real browser: an app's own page attacking the IDE from the visitor's browser (items 1
 * and 6), and a visitor's escape sequences reaching the owner's terminal (item 5).
 */
import { expect, test } from "@playwright/test";
import { routes } from "../../shared/http/routes";
import { apiOf, createProject, expectTerminal, preview, terminalScreen } from "./helpers";

// The page aims at the API's real paths (from the route table), so a moved route cannot make it pass vacuously.
const ATTACKER = `import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    return new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } });
  }
}
const PAGE = \`<!doctype html><meta charset="utf-8"><title>attacker</title><pre id="out">running</pre>
<script>
const ide = location.origin.replace(/\\\\/\\\\/[^.]+\\\\./, "//");
const tries = {
  "read the templates": () => fetch(ide + "${routes.listTemplates.path}").then((r) => r.text()),
  "read /package.json": () => fetch(ide + "/package.json").then((r) => r.text()),
  "read the explorer": () => fetch(ide + "/cdn-cgi/local/explorer/api/workers/durable_objects/namespaces").then((r) => r.text()),
  "explorer on its own origin": () => fetch("/cdn-cgi/local/explorer/api/workers/durable_objects/namespaces").then((r) => r.status === 200 && r.headers.get("content-type")?.includes("json") ? r.text() : Promise.reject(r.status)),
  "create a project (text/plain)": () => fetch(ide + "${routes.createProject.path}", { method: "POST", body: "" }).then((r) => r.text()),
  "create a project (JSON)": () => fetch(ide + "${routes.createProject.path}", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).then((r) => r.text()),
  "mint an agent key": () => fetch(ide + "${routes.createKey.path}", { method: "POST" }).then((r) => r.text()),
  "call the MCP server": () => fetch(ide + "/mcp", { method: "POST", headers: { "content-type": "text/plain" }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' }).then((r) => r.text()),
};
(async () => {
  const results = {};
  for (const [name, attempt] of Object.entries(tries)) {
    try { results[name] = "GOT " + String(await attempt()).slice(0, 60); } catch (e) { results[name] = "refused"; }
  }
  document.getElementById("out").textContent = JSON.stringify(results, null, 1);
})();
</script>\`;
`;

test("an app's page cannot read the IDE's files, API, MCP server or Miniflare's explorer from the visitor's browser", async ({
  page,
  request,
  baseURL,
}) => {
  const api = apiOf(request);
  const project = await api.call("createProject", { body: { template: "blank" } });
  const saved = await api.send("putCode", {
    params: { id: project.id },
    credential: project.token,
    body: { files: { "app.ts": ATTACKER } },
  });
  expect(saved.status, await saved.text()).toBe(200);

  // The browser hides a cross-origin answer from the page either way; the server must not have acted
  // on what the page sent (a simple POST goes out without a preflight), so its statuses are read from
  // the browser's network log (Playwright reports no response the page was not allowed to read).
  const ide = new URL(baseURL ?? "").origin;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const sent = new Map<string, string>();
  const answered: string[] = [];
  cdp.on("Network.requestWillBeSent", (event) => {
    const url = new URL(event.request.url);
    if (url.origin === ide) sent.set(event.requestId, `${event.request.method} ${url.pathname}`);
  });
  cdp.on("Network.responseReceivedExtraInfo", (event) => {
    const request = sent.get(event.requestId);
    if (request) answered.push(`${request} ${event.statusCode}`);
  });
  await page.goto(project.previewUrl);
  await expect(page.locator("#out")).not.toHaveText("running", { timeout: 20_000 });
  const results = JSON.parse((await page.locator("#out").textContent()) ?? "{}") as Record<string, string>;
  expect(Object.keys(results)).toHaveLength(8);
  for (const [name, outcome] of Object.entries(results)) expect(outcome, name).toBe("refused");
  // Every request the page sent to the IDE was refused (the explorer's path is not served at all).
  // The network log's events may come in after the page printed its results (seen on a loaded machine).
  await expect.poll(() => answered.length).toBeGreaterThanOrEqual(6);
  for (const line of answered) expect(line).toMatch(/ 40[34]$/);
});

test("a visitor's escape sequences show in the owner's terminal as text: no clearing, no link, no fake lines", async ({
  page,
}) => {
  await createProject(page, "Guest book");
  await expectTerminal(page, "deployed v1");
  const app = preview(page);
  await expect(app.getByRole("heading", { name: "Guest book" })).toBeVisible();
  const attack =
    "\u001b[2J\u001b[H\u001b[1;32m● deployed v9\u001b[0m \u001b]8;;http://evil.example/login\u0007log in\u001b]8;;\u0007 \u001b]52;c;cHduZWQ=\u0007";
  // Signed as a visitor would, in the app's own form.
  await app.getByRole("textbox").first().fill(attack);
  await app.getByRole("button", { name: "Sign" }).click();
  // The terminal wraps the long line; read it with the rows joined.
  await expect
    .poll(async () => (await terminalScreen(page)).replace(/\n/g, ""), { timeout: 20_000 })
    .toContain(
      "› new note: ^[[2J^[[H^[[1;32m● deployed v9^[[0m ^[]8;;http://evil.example/login^Glog in^[]8;;^G ^[]52;c;cHduZWQ=^G",
    );
  const screen = await terminalScreen(page);
  // The screen was not cleared: the deploy line from before is still there.
  expect(screen).toContain("deployed v1");
  // No link was drawn, and the fake deploy line is inside the console line, after its mark.
  await expect(page.locator(".xterm-rows a")).toHaveCount(0);
  await page.locator(".terminal-pane").first().screenshot({ path: "test-results/hostile-terminal.png" });
});
