/** A project is deleted from its menu once the person types its id; a version's message shows in History. */
import { expect, test } from "@playwright/test";
import { apiOf, createProject, tokenOf } from "./helpers";

test("a version's message shows in History, and Delete in the project menu asks for the id", async ({ page }) => {
  const id = await createProject(page);
  const token = await tokenOf(page, id);
  const api = apiOf(page.request);

  // An agent's save with a label: History lists it under its version.
  const code = await api.call("getCode", { params: { id }, credential: token });
  const files = { ...code.files, "app.ts": `${code.files["app.ts"]}\n// labelled\n` };
  await api.call("putCode", { params: { id }, credential: token, body: { files, message: "add a comment" } });
  await expect(page.getByTestId("status-bar")).toContainText("v2 live");
  await page.getByRole("button", { name: "History" }).click();
  const history = page.getByRole("dialog", { name: "History" });
  await expect(history.getByTestId("version-message-2")).toHaveText("add a comment");
  await history.getByRole("button", { name: "Close" }).click();

  await page.getByRole("button", { name: "Project ▾" }).click();
  await page.getByRole("menuitem", { name: /Delete/ }).click();
  const dialog = page.getByRole("dialog", { name: "Delete this project?" });
  await expect(dialog).toBeVisible();
  const confirm = dialog.getByRole("button", { name: "Delete project" });
  await expect(confirm).toBeDisabled();
  const input = dialog.getByLabel(/Type .* to confirm/);
  await input.fill(`${id}x`);
  await expect(confirm).toBeDisabled();
  await input.fill(id);
  await expect(confirm).toBeEnabled();
  await page.screenshot({ path: test.info().outputPath("delete-project-dialog.png") });

  await confirm.click();
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByRole("heading", { name: /Facet IDE/ })).toBeVisible();
  await expect(page.getByText(id, { exact: true })).toHaveCount(0);
  const after = await api.send("getProject", { params: { id }, credential: token });
  expect(after.status).toBe(404);
});
