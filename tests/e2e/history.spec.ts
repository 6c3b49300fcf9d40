/** Every save is a version: the History dialog compares one with the editor and restores it. */
import { expect, test } from "@playwright/test";
import { createProject, preview, replaceCode } from "./helpers";

test("an earlier version is compared with the editor and restored as a new version, data kept", async ({ page }) => {
  await createProject(page);
  await preview(page).getByPlaceholder("Say hello").fill("written under v1");
  await preview(page).getByRole("button", { name: "Sign" }).click();
  await expect(preview(page).getByText("written under v1")).toBeVisible();

  await replaceCode(
    page,
    `import { DurableObject } from "cloudflare:workers";

export class App extends DurableObject {
  async fetch(): Promise<Response> {
    return new Response("<h1>Second draft</h1>", { headers: { "content-type": "text/html" } });
  }
}
`,
  );
  await page.keyboard.press("ControlOrMeta+S");
  await expect(page.getByTestId("status-bar")).toContainText("v2 live");
  await expect(preview(page).getByRole("heading", { name: "Second draft" })).toBeVisible();

  await page.getByRole("button", { name: "History" }).click();
  const dialog = page.getByRole("dialog", { name: "History" });
  const versions = dialog.getByRole("navigation", { name: "Versions" });
  await expect(versions.getByRole("button")).toHaveCount(2);
  await expect(versions.getByRole("button").first()).toContainText("v2");
  await expect(versions.getByRole("button").first()).toContainText("live");
  // Nothing unsaved, so it opens on what the last save changed: v1 against the editor.
  await expect(versions.getByRole("button", { name: /v1/ })).toHaveAttribute("aria-current", "true");
  const diff = dialog.getByTestId("version-diff");
  await expect(diff).toContainText("CREATE TABLE IF NOT EXISTS notes");
  await expect(diff).toContainText("Second draft");

  // The live version: nothing to restore; its data is the live data.
  await versions.getByRole("button", { name: /v2/ }).click();
  await expect(dialog.getByRole("button", { name: "Restore code", exact: true })).toBeDisabled();
  await expect(dialog.getByTestId("version-data-2")).toHaveText("live data");
  await expect(dialog.getByTestId("version-data-1")).toContainText(/data \d+ KiB/);

  await versions.getByRole("button", { name: /v1/ }).click();
  await dialog.getByRole("button", { name: "Restore code", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("status-bar")).toContainText("v3 live");
  await expect(page.locator(".editor-pane .view-lines")).toContainText("A guest book");
  await expect(preview(page).getByRole("heading", { name: "Guest book" })).toBeVisible();
  await expect(preview(page).getByText("written under v1")).toBeVisible();
});

test("the editor's widgets still open after History's diff was shown and closed", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await createProject(page);
  await replaceCode(
    page,
    `import { DurableObject } from "cloudflare:workers";

export class App extends DurableObject {
  async fetch(): Promise<Response> {
    return new Response("v2");
  }
}
`,
  );
  await page.keyboard.press("ControlOrMeta+S");
  await expect(page.getByTestId("status-bar")).toContainText("v2 live");

  await page.getByRole("button", { name: "History" }).click();
  const dialog = page.getByRole("dialog", { name: "History" });
  await expect(dialog.getByTestId("version-diff")).toContainText("CREATE TABLE IF NOT EXISTS notes");
  await page.screenshot({ path: test.info().outputPath("history-diff.png") });
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();

  // Widgets Monaco makes on first use (find, suggestions) are made after the diff editor is gone.
  await page.locator(".editor-pane .view-lines").click();
  await page.keyboard.press("ControlOrMeta+F");
  await expect(page.locator(".editor-pane .find-widget")).toBeVisible();
  await page.keyboard.press("Escape");
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.press("Control+Space");
  await expect(page.locator(".editor-pane .suggest-widget")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("editor-suggestions-after-history.png") });
  expect(errors).toEqual([]);
});
