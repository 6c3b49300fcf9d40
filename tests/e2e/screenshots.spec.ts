/**
 * Screenshots of the IDE and each pane at the two sizes it is designed for, for a person to look at.
 * Not part of the normal run: `SCREENSHOTS=1 npx playwright test --config tests/e2e/playwright.config.ts screenshots`.
 * They land in test-results/screens/.
 */
import { test } from "@playwright/test";
import { createProject, expectTerminal, preview, replaceCode, typeInTerminal } from "./helpers";

const sizes = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

test.skip(!process.env.SCREENSHOTS, "set SCREENSHOTS=1 to take screenshots");

for (const size of sizes) {
  test(`screens at ${size.width}x${size.height}`, async ({ page }) => {
    const dir = `test-results/screens/${size.width}x${size.height}`;
    await page.setViewportSize(size);
    await page.goto("/");
    await page.screenshot({ path: `${dir}/start-empty.png` });
    await createProject(page);
    await preview(page).getByPlaceholder("Say hello").fill("First note from the preview");
    await preview(page).getByRole("button", { name: "Sign" }).click();
    await expectTerminal(page, "new note");
    await typeInTerminal(page, "SELECT id, text, created_at, NULL AS missing, x'c0ffee' AS bin FROM notes;");
    await expectTerminal(page, "1 row");
    await typeInTerminal(page, ".tables");
    await typeInTerminal(page, "SELECT name", { enter: false });
    await page.screenshot({ path: `${dir}/project.png` });
    await page.locator(".editor-pane").screenshot({ path: `${dir}/pane-editor.png` });
    await page.locator(".preview-pane").screenshot({ path: `${dir}/pane-preview.png` });
    await page.locator(".terminal-pane").screenshot({ path: `${dir}/pane-terminal.png` });

    await page.getByRole("button", { name: "Environment" }).click();
    const env = page.getByRole("dialog", { name: "Environment" });
    await env.getByLabel("Variable name").fill("GREETING");
    await env.getByLabel("Value").fill("Hello from this.env");
    await env.getByRole("button", { name: "Add" }).click();
    await env.getByLabel("Variable name").fill("API_KEY");
    await env.getByLabel("Value").fill("sk-live-123");
    await env.getByLabel("Secret").check();
    await env.getByRole("button", { name: "Add" }).click();
    await env.getByTestId("env-API_KEY").waitFor();
    await page.screenshot({ path: `${dir}/environment.png` });
    await page.keyboard.press("Escape");

    await replaceCode(
      page,
      `import { DurableObject } from "cloudflare:workers";

export class App extends DurableObject {
  async fetch(request: Request {
    return new Response("oops");
  }
}
`,
    );
    await page.getByRole("button", { name: "History" }).click();
    await page.getByTestId("version-diff").waitFor();
    await page.waitForTimeout(500); // the diff is computed in a worker
    await page.screenshot({ path: `${dir}/history.png` });
    await page.keyboard.press("Escape");

    await page.keyboard.press("ControlOrMeta+S");
    await page.getByTestId("save-problem").waitFor();
    await page.waitForTimeout(1500); // let TypeScript's own squiggles settle for the picture
    await page.screenshot({ path: `${dir}/project-save-rejected.png` });
    await page.locator(".editor-pane").screenshot({ path: `${dir}/pane-editor-rejected.png` });

    await page.goto("/");
    await page.screenshot({ path: `${dir}/start-with-projects.png` });
  });
}
