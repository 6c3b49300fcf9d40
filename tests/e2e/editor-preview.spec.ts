/** Issue 3: edit, save with Ctrl+S, and see the preview and the terminal follow; a bad save changes nothing live. */
import { expect, test } from "@playwright/test";
import { createProject, expectTerminal, preview, replaceCode } from "./helpers";

const appPrinting = (marker: string) => `import { DurableObject } from "cloudflare:workers";

export class App extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    console.log("served ${marker}");
    return new Response("<h1>Hello ${marker}</h1>", { headers: { "content-type": "text/html" } });
  }
}
`;

test("a new user creates a project, edits it, saves with Ctrl+S and sees the new app and its log", async ({ page }) => {
  await createProject(page);
  await expect(preview(page).getByRole("heading", { name: "Guest book" })).toBeVisible();
  await expect(page.getByTestId("preview-version")).toHaveText("v1");

  const marker = `m${Date.now().toString(36)}`;
  await replaceCode(page, appPrinting(marker));
  await expect(page.getByRole("img", { name: "unsaved changes" })).toBeVisible();
  await expect(page.getByTestId("status-bar")).toContainText("unsaved changes");

  await page.keyboard.press("ControlOrMeta+S");

  await expect(page.getByTestId("status-bar")).toContainText("v2 live");
  await expect(page.getByRole("img", { name: "unsaved changes" })).toHaveCount(0);
  await expect(preview(page).getByRole("heading", { name: `Hello ${marker}` })).toBeVisible();
  await expect(page.getByTestId("preview-version")).toHaveText("v2");
  await expectTerminal(page, "deployed v2");
  await expectTerminal(page, `served ${marker}`);
  await expectTerminal(page, /GET \/ 200 .*v2/);
});

test("a syntax error is marked in the editor and the preview keeps the old version", async ({ page }) => {
  await createProject(page);
  const marker = `m${Date.now().toString(36)}`;
  await replaceCode(page, appPrinting(marker));
  await page.keyboard.press("ControlOrMeta+S");
  await expect(preview(page).getByRole("heading", { name: `Hello ${marker}` })).toBeVisible();

  await replaceCode(
    page,
    `import { DurableObject } from "cloudflare:workers";

export class App extends DurableObject {
  async fetch(request: Request {
    return new Response("never");
  }
}
`,
  );
  await page.getByTestId("save-button").click();

  const problem = page.getByTestId("save-problem");
  await expect(problem).toContainText("Not deployed");
  await expect(problem).toContainText("app.ts:4:");
  await expect(page.getByTestId("status-bar")).toContainText("save rejected");
  await expect(page.getByTestId("status-bar")).toContainText("v2 live");
  // The server's diagnostic is an editor marker: its squiggle is on line 4, and hovering shows the message.
  const message = (await problem.locator("li").first().textContent())?.replace(/^app\.ts:\d+:\d+\s*/, "") ?? "";
  expect(message.length).toBeGreaterThan(0);
  // TypeScript's own checker marks the same line too (once its worker has loaded, which may come
  // first), so the squiggle showing the server's message is looked for among them.
  const squiggles = page.locator(".monaco-editor .squiggly-error");
  await expect(squiggles.first()).toBeVisible();
  const hoverShowsMessage = async () => {
    for (const squiggle of await squiggles.all()) {
      await squiggle.hover({ force: true });
      const shown = page.locator(".monaco-hover").filter({ hasText: message });
      if (
        await shown.waitFor({ timeout: 2_000 }).then(
          () => true,
          () => false,
        )
      )
        return true;
    }
    return false;
  };
  await expect.poll(hoverShowsMessage, { timeout: 20_000 }).toBe(true);
  await expectTerminal(page, "save rejected");

  // The live app is untouched: a reload still shows v2. (The hover is closed first, as a person's
  // pointer leaving it would: a wide one reaches over the preview's toolbar.)
  await page.mouse.move(0, 0);
  await page.keyboard.press("Escape");
  await expect(page.locator(".monaco-hover:visible")).toHaveCount(0);
  await page.getByRole("button", { name: "Reload the preview" }).click();
  await expect(preview(page).getByRole("heading", { name: `Hello ${marker}` })).toBeVisible();
  await expect(page.getByTestId("preview-version")).toHaveText("v2");
});

test("the preview's URL bar navigates the app", async ({ page }) => {
  await createProject(page);
  await page.getByLabel("Preview path").fill("/api/notes");
  await page.getByLabel("Preview path").press("Enter");
  await expect(preview(page).locator("body")).toContainText("[]");
  await expectTerminal(page, "GET /api/notes 200");
});
