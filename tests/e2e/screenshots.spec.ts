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
test.setTimeout(180_000);

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

    // The Data view: the guest book's notes, a table with every kind of value, and the schema.
    await page.locator(".xterm-screen").click();
    await page.keyboard.press("ControlOrMeta+U");
    await typeInTerminal(
      page,
      "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, total REAL, status TEXT DEFAULT 'new', receipt BLOB, notes TEXT);",
    );
    await typeInTerminal(
      page,
      "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 2500) INSERT INTO orders (customer, total, status, receipt, notes) SELECT 'customer ' || (i % 97), round(i * 3.17 % 500, 2), CASE i % 4 WHEN 0 THEN 'paid' WHEN 1 THEN 'new' WHEN 2 THEN 'shipped' ELSE NULL END, CASE WHEN i % 5 = 0 THEN randomblob(48 + i % 900) END, CASE WHEN i % 7 = 0 THEN printf('%.*c', 1500, 'x') WHEN i % 3 = 0 THEN 'call before delivery' END FROM s;",
    );
    await expectTerminal(page, "2500 written");
    await page.keyboard.press("Alt+4");
    await page.getByRole("button", { name: /^orders/ }).click();
    await page.getByRole("table", { name: "Rows of orders" }).getByLabel("Filter status").fill("!null");
    await page.getByRole("columnheader", { name: /total/ }).getByRole("button").click();
    await page.getByTestId("pager").getByText("rows 1–100 of 1,875").waitFor();
    await page.getByRole("columnheader", { name: /total/ }).and(page.locator('[aria-sort="ascending"]')).waitFor();
    await page.waitForTimeout(500); // the sorted page replaces the filtered one
    await page.getByRole("table", { name: "Rows of orders" }).locator('td[data-column="customer"]').nth(2).dblclick();
    await page.getByLabel("New value for customer").fill("");
    await page.locator(".cell-editor").getByRole("button", { name: "NULL" }).click();
    await page.locator(".cell-failed [role=alert]").waitFor();
    await page.screenshot({ path: `${dir}/data-orders.png` });
    await page.locator(".data-pane").screenshot({ path: `${dir}/pane-data.png` });
    await page.keyboard.press("Escape");
    await page.getByRole("tab", { name: "Schema" }).click();
    await page.locator(".data-pane").screenshot({ path: `${dir}/pane-data-schema.png` });
    await page.getByRole("button", { name: /^notes/ }).click();
    await page.getByRole("table", { name: "Rows of notes" }).getByText("First note from the preview").waitFor();
    await page.screenshot({ path: `${dir}/data-notes.png` });
    await page.getByRole("button", { name: "storage.kv" }).click();
    await page.getByRole("button", { name: "+ Pair" }).click();
    await page.locator(".kv-editor").getByLabel("key").fill("settings");
    await page.locator(".kv-editor").getByLabel("value (JSON)").fill('{"theme": "dark", "pageSize": 20}');
    await page.getByRole("button", { name: "Store" }).click();
    await page.getByRole("cell", { name: "settings" }).waitFor();
    await page.locator(".data-pane").screenshot({ path: `${dir}/pane-data-kv.png` });
    await page.keyboard.press("Alt+1");

    await page.getByRole("button", { name: "Environment" }).click();
    const env = page.getByRole("dialog", { name: "Environment" });
    await env.getByLabel("Variable name").fill("GREETING");
    await env.getByLabel("Value").fill("Hello from this.env");
    await env.getByRole("button", { name: "Add" }).click();
    // The form clears once the app restarted with the variable: type the next one after that.
    await env.getByRole("status").getByText("GREETING set").waitFor();
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
