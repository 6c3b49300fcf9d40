/** Issue 27: a person lets the app call an API with a secret header, in the Environment dialog's Network tab. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { createProject, expectTerminal, preview, replaceCode } from "./helpers";

let api: http.Server;
let port = 0;

// The external API: it says whether the credential it expects arrived, never what arrived.
test.beforeAll(async () => {
  api = http.createServer((request, response) => {
    const authorized = request.headers.authorization === "Bearer sk-weather-123";
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ authorized, sky: "clear" }));
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  port = (api.address() as AddressInfo).port;
});

test.afterAll(async () => {
  await new Promise((resolve) => api?.close(resolve));
});

const weatherApp = (apiPort: number) => `import { DurableObject } from "cloudflare:workers";

export class App extends DurableObject {
  async fetch(): Promise<Response> {
    let text: string;
    try {
      const answer = await fetch("http://127.0.0.1:${apiPort}/forecast?city=Paris");
      const body = (await answer.json()) as { authorized: boolean; sky: string };
      text = body.authorized ? \`sky: \${body.sky}\` : "not authorized";
    } catch (error) {
      text = \`refused: \${(error as Error).message}\`;
    }
    const keys = Object.keys(this.env as object).join(",") || "none";
    return new Response(\`<h1>\${text}</h1><p>env: \${keys}</p>\`, { headers: { "content-type": "text/html" } });
  }
}
`;

test("a host and a secret header set in the Network tab: the preview's app fetches it and the terminal shows the call", async ({
  page,
}) => {
  await createProject(page);
  await replaceCode(page, weatherApp(port));
  await page.keyboard.press("ControlOrMeta+S");
  await expect(page.getByTestId("status-bar")).toContainText("v2 live");
  await expect(preview(page).getByRole("heading", { name: /refused: .*127\.0\.0\.1/ })).toBeVisible();
  await expectTerminal(page, `fetch GET 127.0.0.1:${port}/forecast refused`);

  await page.getByRole("button", { name: "Environment" }).click();
  const dialog = page.getByRole("dialog", { name: "Environment" });
  await dialog.getByLabel("Variable name").fill("WEATHER_KEY");
  await dialog.getByLabel("Value").fill("sk-weather-123");
  await dialog.getByLabel("Secret").check();
  await dialog.getByRole("button", { name: "Add" }).click();
  await expect(dialog.getByTestId("env-WEATHER_KEY")).toContainText("secret");

  await dialog.getByRole("tab", { name: "Network" }).click();
  await expect(dialog.getByText("No host allowed")).toBeVisible();
  // A host the gateway would never reach is refused with its reason.
  await dialog.getByLabel("Host", { exact: true }).fill("169.254.169.254:80");
  await dialog.getByRole("button", { name: "Allow" }).click();
  await expect(dialog.getByRole("alert")).toContainText("never be reached");

  await dialog.getByLabel("Host", { exact: true }).fill(`127.0.0.1:${port}`);
  await dialog.getByLabel("Secret to inject").selectOption("WEATHER_KEY");
  await expect(dialog.getByLabel("Header name")).toHaveValue("Authorization");
  await dialog.getByRole("button", { name: "Allow" }).click();
  const row = dialog.getByTestId(`network-127.0.0.1:${port}`);
  await expect(row).toContainText(`Authorization: Bearer $\{WEATHER_KEY}`);
  await expect(dialog).not.toContainText("sk-weather-123");
  await page.screenshot({ path: "test-results/network-tab.png" });

  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole("button", { name: "Reload the preview" }).click();
  await expect(preview(page).getByRole("heading", { name: "sky: clear" })).toBeVisible();
  // The secret is injected on the way out and is not in the app's env.
  await expect(preview(page).getByText("env: none")).toBeVisible();
  await expectTerminal(page, `fetch GET 127.0.0.1:${port}/forecast → 200`);
  await page.screenshot({ path: "test-results/network-terminal.png" });

  // The tab lists the last calls per host.
  await page.getByRole("button", { name: "Environment" }).click();
  await dialog.getByRole("tab", { name: "Network" }).click();
  await expect(dialog.getByRole("region", { name: "Last calls" })).toContainText("/forecast → 200");
});
