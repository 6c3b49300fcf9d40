/** Issue 7: every template on the start page creates a project that works in the preview. */
import { expect, test } from "@playwright/test";
import { createProject, expectTerminal, preview } from "./helpers";

test("the start page offers a card for each template", async ({ page }) => {
  await page.goto("/");
  const cards = page.getByRole("list", { name: "New project from a template" });
  for (const title of ["Guest book", "Chat room", "Reminders", "Blank"]) {
    await expect(cards.getByRole("button", { name: title, exact: true })).toBeVisible();
  }
  await expect(cards.getByRole("button", { name: "Chat room" })).toHaveAccessibleDescription(/WebSockets/);
});

test("guest book: a signed entry is stored in SQLite and survives a reload", async ({ page }) => {
  await createProject(page, "Guest book");
  const app = preview(page);
  await expect(app.getByRole("heading", { name: "Guest book" })).toBeVisible();
  await app.getByRole("textbox").first().fill("from the template test");
  await app.getByRole("button", { name: "Sign" }).click();
  await expect(app.getByText("from the template test")).toBeVisible();
  await page.getByRole("button", { name: "Reload the preview" }).click();
  await expect(app.getByText("from the template test")).toBeVisible();
  await expectTerminal(page, /POST \/\S* 30\d/);
});

test("chat room: a message goes over a hibernatable WebSocket to every open page", async ({ page, context }) => {
  await createProject(page, "Chat room");
  const app = preview(page);
  await expect(app.getByText("online")).toBeVisible();
  const previewUrl = await page.locator('iframe[title="App preview"]').getAttribute("src");
  expect(previewUrl).toBeTruthy();

  // A second visitor, in its own tab, on the app's own origin.
  const other = await context.newPage();
  await other.goto(previewUrl ?? "");
  await expect(other.getByText("online")).toBeVisible();

  await app.getByPlaceholder("Name").fill("alice");
  await app.getByPlaceholder("Message").fill("hello over the socket");
  await app.getByRole("button", { name: "Send" }).click();
  await expect(app.getByText("hello over the socket")).toBeVisible();
  await expect(other.getByText("hello over the socket")).toBeVisible();
  await expectTerminal(page, "alice: hello over the socket");
  await expectTerminal(page, /GET \/ws 101 .*v1/);
  await expectTerminal(page, "someone joined; 2 online");
  await other.close();
});

test("reminders: a reminder fires through the app's alarm and says so", async ({ page }) => {
  await createProject(page, "Reminders");
  const app = preview(page);
  await expect(app.getByRole("heading", { name: "Reminders" })).toBeVisible();
  await app.getByPlaceholder("Remind me to…").fill("stretch");
  await app.getByRole("spinbutton").fill("1");
  await app.getByRole("button", { name: "Add" }).click();
  await expect(app.getByText(/⏳ due · stretch|⏰ fired · stretch/)).toBeVisible();
  // While a reminder is pending the page refreshes its list; the alarm marks the reminder fired.
  await expect(app.getByText("⏰ fired · stretch")).toBeVisible({ timeout: 20_000 });
  await expectTerminal(page, /alarm v1 ok/);
  await expectTerminal(page, "⏰ stretch");
});

test("blank: the editor offers a skeleton App, and saving it makes the first version", async ({ page }) => {
  await createProject(page, "Blank");
  await expect(preview(page).getByRole("heading", { name: "No code yet" })).toBeVisible();
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("export class App extends DurableObject");
  // The skeleton is not live until it is saved, and the IDE says so.
  await expect(page.getByTestId("status-bar")).toContainText("unsaved changes");
  await page.locator(".monaco-editor .view-lines").click();
  await page.keyboard.press("ControlOrMeta+S");
  await expect(page.getByTestId("status-bar")).toContainText("v1 live");
  await expect(preview(page).getByText("Hello from a Durable Object")).toBeVisible();
});
