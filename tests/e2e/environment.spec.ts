/** Issue 7: environment variables and secrets, set in the IDE's panel and read by the app as this.env. */
import { expect, test } from "@playwright/test";
import { createProject, preview, replaceCode } from "./helpers";

const appReadingEnv = `import { DurableObject } from "cloudflare:workers";

interface Env {
  GREETING?: string;
  API_KEY?: string;
}

export class App extends DurableObject<Env> {
  async fetch(): Promise<Response> {
    const greeting = this.env.GREETING ?? "unset";
    const key = this.env.API_KEY ? \`key of \${this.env.API_KEY.length} chars\` : "no key";
    return new Response(\`<h1>\${greeting}</h1><p>\${key}</p>\`, { headers: { "content-type": "text/html" } });
  }
}
`;

test("variables and secrets reach the app on the next request, without a save", async ({ page }) => {
  await createProject(page);
  await replaceCode(page, appReadingEnv);
  await page.keyboard.press("ControlOrMeta+S");
  await expect(page.getByTestId("status-bar")).toContainText("v2 live");
  await expect(preview(page).getByRole("heading", { name: "unset" })).toBeVisible();

  await page.getByRole("button", { name: "Environment" }).click();
  const dialog = page.getByRole("dialog", { name: "Environment" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText("No variables yet.")).toBeVisible();

  // A bad name is refused with a reason, and nothing is lost from the form.
  await dialog.getByLabel("Variable name").fill("1GREETING");
  await dialog.getByLabel("Value").fill("Bonjour");
  await dialog.getByRole("button", { name: "Add" }).click();
  await expect(dialog.getByRole("alert")).toContainText("do not start with a digit");
  await expect(dialog.getByLabel("Value")).toHaveValue("Bonjour");

  await dialog.getByLabel("Variable name").fill("GREETING");
  await dialog.getByRole("button", { name: "Add" }).click();
  await expect(dialog.getByTestId("env-GREETING")).toContainText("Bonjour");

  await dialog.getByLabel("Variable name").fill("API_KEY");
  await dialog.getByLabel("Value").fill("s3cret-value");
  await dialog.getByLabel("Secret").check();
  await dialog.getByRole("button", { name: "Add" }).click();
  await expect(dialog.getByTestId("env-API_KEY")).toContainText("secret");
  await expect(dialog).not.toContainText("s3cret-value");

  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  await expect(preview(page).getByRole("heading", { name: "Bonjour" })).toBeVisible();
  await expect(preview(page).getByText("key of 12 chars")).toBeVisible();
  await expect(page.getByTestId("preview-version")).toHaveText("v2");

  // Reopened, the panel lists both, the secret still without its value; deleting takes effect too.
  await page.getByRole("button", { name: "Environment" }).click();
  await expect(dialog.getByTestId("env-API_KEY")).not.toContainText("s3cret");
  await dialog.getByRole("button", { name: "Edit GREETING" }).click();
  await dialog.getByLabel("Value").fill("Hola");
  await dialog.getByRole("button", { name: "Update" }).click();
  await expect(dialog.getByTestId("env-GREETING")).toContainText("Hola");
  await dialog.getByRole("button", { name: "Delete API_KEY" }).click();
  await dialog.getByRole("button", { name: "Confirm deleting API_KEY" }).click();
  await expect(dialog.getByTestId("env-API_KEY")).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(preview(page).getByRole("heading", { name: "Hola" })).toBeVisible();
  await expect(preview(page).getByText("no key")).toBeVisible();
});

test("the editor types this.env after the project's variables", async ({ page }) => {
  await createProject(page);
  await replaceCode(
    page,
    `import { DurableObject } from "cloudflare:workers";

export class App extends DurableObject {
  async fetch(): Promise<Response> {
    return new Response(this.env.GREETING.toUpperCase());
  }
}
`,
  );
  const squiggle = page.locator(".monaco-editor .squiggly-error").first();
  await expect(squiggle).toBeVisible({ timeout: 30_000 });
  await squiggle.hover({ force: true });
  await expect(page.locator(".monaco-hover").filter({ hasText: "Property 'GREETING' does not exist" })).toBeVisible();

  await page.getByRole("button", { name: "Environment" }).click();
  const dialog = page.getByRole("dialog", { name: "Environment" });
  await dialog.getByLabel("Variable name").fill("GREETING");
  await dialog.getByLabel("Value").fill("hi");
  await dialog.getByRole("button", { name: "Add" }).click();
  await expect(dialog.getByTestId("env-GREETING")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.locator(".monaco-editor .squiggly-error")).toHaveCount(0, { timeout: 30_000 });
});
