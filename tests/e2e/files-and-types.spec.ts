/** Files as tabs (add, rename, delete) saved together, Workers types in the editor, and a terminal that reconnects. */
import { expect, test } from "@playwright/test";
import { matchRoute } from "../../shared/http/routes";
import { createProject, expectTerminal, preview, replaceCode } from "./helpers";

test("files can be added, renamed and deleted, and are saved together", async ({ page }) => {
  await createProject(page);
  page.on("dialog", (dialog) => dialog.accept());

  await page.getByRole("button", { name: "New file" }).click();
  await page.getByLabel("File name").fill("app.js");
  await expect(page.locator(".tab-input-error")).toContainText("same module");
  await page.getByLabel("File name").fill("greet.ts");
  await page.getByLabel("File name").press("Enter");
  await expect(page.getByRole("tab", { name: /greet\.ts/ })).toHaveAttribute("aria-selected", "true");
  await replaceCode(page, 'export const greet = (name: string) => "Howdy, " + name;\n');

  await page.getByRole("tab", { name: /greet\.ts/ }).dblclick();
  await page.getByLabel("File name").fill("words.ts");
  await page.getByLabel("File name").press("Enter");
  await expect(page.getByRole("tab", { name: /words\.ts/ })).toBeVisible();
  await expect(page.getByRole("tab", { name: /greet\.ts/ })).toHaveCount(0);

  await page.getByRole("tab", { name: /app\.ts/ }).click();
  await replaceCode(
    page,
    `import { DurableObject } from "cloudflare:workers";
import { greet } from "./words";

export class App extends DurableObject {
  async fetch(): Promise<Response> {
    return new Response(greet("files"));
  }
}
`,
  );
  await page.keyboard.press("ControlOrMeta+S");
  await expect(preview(page).locator("body")).toHaveText("Howdy, files");

  // A file the code no longer imports can go; the next save leaves it out.
  await page.getByRole("button", { name: "New file" }).click();
  await page.getByLabel("File name").fill("unused.ts");
  await page.getByLabel("File name").press("Enter");
  await expect(page.getByRole("tab", { name: /unused\.ts/ })).toBeVisible();
  await page.getByRole("button", { name: "Delete unused.ts" }).click();
  await expect(page.getByRole("tab", { name: /unused\.ts/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete app.ts" })).toHaveCount(0);
});

test("the editor knows the Workers runtime's types", async ({ page }) => {
  await createProject(page);
  await replaceCode(
    page,
    `import { DurableObject } from "cloudflare:workers";

export class App extends DurableObject {
  async fetch(): Promise<Response> {
    this.ctx.storage.sql.exec(42);
    return new Response("ok");
  }
}
`,
  );
  // Only the Workers types know exec() takes a query string: the error proves they are loaded.
  const squiggle = page.locator(".monaco-editor .squiggly-error").first();
  await expect(squiggle).toBeVisible({ timeout: 30_000 });
  await squiggle.hover({ force: true });
  await expect(
    page.locator(".monaco-hover").filter({ hasText: "not assignable to parameter of type 'string'" }),
  ).toBeVisible();
});

test("the terminal reconnects by itself after the connection drops", async ({ page }) => {
  let drops = 0;
  const isTerminal = (url: URL) => matchRoute("GET", url.pathname)?.name === "terminal";
  await page.routeWebSocket(isTerminal, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      ws.send(message);
      // Cut the first connection right after its hello, as a server restart would.
      if (drops === 0 && typeof message === "string" && message.includes('"type":"hello"')) {
        drops++;
        setTimeout(() => ws.close({ code: 1006, reason: "test drop" }), 500);
      }
    });
  });
  await createProject(page);
  await expectTerminal(page, "lost the connection");
  await expectTerminal(page, "reconnected");
  await expect(page.getByTestId("status-bar")).toContainText("connected");
});
