/**
 * Time travel as a person uses it: History restores a version with its data, "Try on a copy" runs
 * new code on a copy of the live data beside the live app, and the project's menu forks it.
 */
import { expect, type Page, test } from "@playwright/test";
import { apiOf, createProject, expectTerminal, preview, replaceCode } from "./helpers";

/** The live app.ts of project `id`, read over the API with the token this browser keeps. */
async function liveCode(page: Page, id: string): Promise<string> {
  const owned = JSON.parse((await page.evaluate(() => localStorage.getItem("facet-ide:projects"))) ?? "[]") as {
    id: string;
    token: string;
  }[];
  const token = owned.find((p) => p.id === id)?.token;
  const code = await apiOf(page.request).call("getCode", { params: { id }, credential: token });
  return code.files["app.ts"] ?? "";
}

async function sign(page: Page, text: string): Promise<void> {
  await preview(page).getByPlaceholder("Say hello").fill(text);
  await preview(page).getByRole("button", { name: "Sign" }).click();
  await expect(preview(page).getByText(text)).toBeVisible();
}

test("Restore code and data brings back the notes a later version deleted", async ({ page }) => {
  const id = await createProject(page);
  const guestBook = await liveCode(page, id);
  await sign(page, "signed under v1");

  // v2 deletes every note when it starts.
  await replaceCode(
    page,
    guestBook.replace(
      "  async fetch(request: Request): Promise<Response> {",
      `  async fetch(request: Request): Promise<Response> {
    this.ctx.storage.sql.exec("DELETE FROM notes");`,
    ),
  );
  await page.keyboard.press("ControlOrMeta+S");
  await expect(page.getByTestId("status-bar")).toContainText("v2 live");
  await expect(preview(page).getByText("No notes yet.")).toBeVisible();

  await page.getByRole("button", { name: "History" }).click();
  const dialog = page.getByRole("dialog", { name: "History" });
  await expect(dialog.getByTestId("version-data-1")).toContainText(/data \d+ KiB/);
  await dialog.getByRole("navigation", { name: "Versions" }).getByRole("button", { name: /v1/ }).click();
  await dialog.getByRole("button", { name: "Restore code and data" }).click();
  const confirm = dialog.getByRole("alertdialog", { name: "Restore code and data?" });
  await expect(confirm).toContainText("Today's data is kept first as v2's snapshot");
  await page.screenshot({ path: "test-results/time-travel-restore-confirm.png" });
  await confirm.getByRole("button", { name: "Restore code and data" }).click();

  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("status-bar")).toContainText("v3 live");
  await expect(preview(page).getByText("signed under v1")).toBeVisible();
  await expect(page.locator(".editor-pane .view-lines")).not.toContainText('DELETE FROM notes");');
  await expectTerminal(page, "restored v1's code and data as v3");
});

test("Try on a copy runs the draft beside the live app, and Promote makes it live", async ({ page }) => {
  const id = await createProject(page);
  const guestBook = await liveCode(page, id);
  await sign(page, "a live note");

  await replaceCode(page, guestBook.replace("<h1>Guest book</h1>", "<h1>Guest book, redesigned</h1>"));
  await page.getByRole("button", { name: "Try on a copy" }).click();
  const bar = page.getByTestId("draft-bar");
  await expect(bar).toContainText("draft r1");
  await expect(page.getByTestId("preview-version")).toHaveText("draft r1");
  await expect(page.getByTestId("sql-target")).toHaveText("the draft");
  await expect(preview(page).getByRole("heading", { name: "Guest book, redesigned" })).toBeVisible();
  // The draft runs on a copy of the live data, and its writes stay there.
  await expect(preview(page).getByText("a live note")).toBeVisible();
  await sign(page, "only in the draft");
  await expectTerminal(page, "draft r1");
  await page.screenshot({ path: "test-results/time-travel-draft.png" });

  await bar.getByRole("button", { name: "Live" }).click();
  await expect(page.getByTestId("preview-version")).toHaveText("v1");
  await expect(page.getByTestId("sql-target")).toHaveText("live");
  await expect(preview(page).getByRole("heading", { name: "Guest book", exact: true })).toBeVisible();
  await expect(preview(page).getByText("a live note")).toBeVisible();
  await expect(preview(page).getByText("only in the draft")).toHaveCount(0);
  await expect(page.getByTestId("status-bar")).toContainText("v1 live");

  await bar.getByRole("button", { name: "Promote", exact: true }).click();
  await expect(page.getByTestId("draft-bar")).toBeHidden();
  await expect(page.getByTestId("status-bar")).toContainText("v2 live");
  await expect(preview(page).getByRole("heading", { name: "Guest book, redesigned" })).toBeVisible();
  // Promoted on the live data: the draft's own note went with the draft.
  await expect(preview(page).getByText("a live note")).toBeVisible();
  await expect(preview(page).getByText("only in the draft")).toHaveCount(0);
  await expect(page.getByTestId("status-bar")).toContainText("saved as v2");
});

test("Fork in the project's menu opens a copy with its data", async ({ page }) => {
  const id = await createProject(page);
  await sign(page, "carried into the fork");
  await page.getByRole("button", { name: "Project ▾" }).click();
  await page.getByRole("menuitem", { name: /Fork/ }).click();
  await page.waitForURL((url) => !url.pathname.endsWith(`/p/${id}`));
  const forkId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop() ?? "");
  await expect(page.getByTestId("project-name")).toHaveText(forkId);
  await expect(preview(page).getByText("carried into the fork")).toBeVisible({ timeout: 30_000 });

  await page.goto("/");
  await expect(page.getByRole("button", { name: `Fork ${id}` })).toBeVisible();
  await expect(page.getByRole("button", { name: `Export ${forkId}` })).toBeVisible();
});
