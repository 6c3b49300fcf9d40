/** A person and an agent (over the HTTP API) edit one project: nothing either saves is lost unseen. */
import { expect, type Page, test } from "@playwright/test";
import { apiOf, createProject, preview, replaceCode } from "./helpers";

const appSaying = (words: string) => `import { DurableObject } from "cloudflare:workers";

export class App extends DurableObject {
  async fetch(): Promise<Response> {
    return new Response("<h1>${words}</h1>", { headers: { "content-type": "text/html" } });
  }
}
`;

/** Saves as an agent would: straight to the API with the project's token. */
async function agentSaves(page: Page, id: string, words: string): Promise<number> {
  const token = await page.evaluate((projectId) => {
    const list = JSON.parse(localStorage.getItem("facet-ide:projects") ?? "[]") as { id: string; token: string }[];
    return list.find((p) => p.id === projectId)?.token ?? "";
  }, id);
  const saved = await apiOf(page.request).call("putCode", {
    params: { id },
    credential: token,
    body: { files: { "app.ts": appSaying(words) } },
  });
  return saved.version;
}

const editor = (page: Page) => page.locator(".editor-pane .view-lines");

test("an editor without edits takes a version saved elsewhere; one with edits is asked", async ({ page }) => {
  const id = await createProject(page);

  expect(await agentSaves(page, id, "agent one")).toBe(2);
  await expect(editor(page)).toContainText("agent one");
  await expect(page.getByTestId("status-bar")).toContainText("loaded v2, saved elsewhere");
  await expect(preview(page).getByRole("heading", { name: "agent one" })).toBeVisible();

  // Edits in the editor, then the agent saves again: the person is told, and Ctrl+S does not overwrite.
  await replaceCode(page, appSaying("mine"));
  expect(await agentSaves(page, id, "agent two")).toBe(3);
  const conflict = page.getByTestId("save-conflict");
  await expect(conflict).toContainText("v3 was saved elsewhere");
  await page.keyboard.press("ControlOrMeta+S");
  await expect(conflict).toBeVisible();
  await expect(page.getByTestId("status-bar")).toContainText("v3 saved elsewhere; your edits are not saved");
  await expect(preview(page).getByRole("heading", { name: "agent two" })).toBeVisible();
  await expect(editor(page)).toContainText("mine");

  // The person keeps theirs, knowingly.
  await conflict.getByRole("button", { name: "Save mine over v3" }).click();
  await expect(page.getByTestId("status-bar")).toContainText("v4 live");
  await expect(preview(page).getByRole("heading", { name: "mine" })).toBeVisible();
  await expect(conflict).toBeHidden();

  // Or takes theirs; undo in the editor brings the edits back.
  await replaceCode(page, appSaying("mine again"));
  expect(await agentSaves(page, id, "agent three")).toBe(5);
  await conflict.getByRole("button", { name: "Load v5" }).click();
  await expect(editor(page)).toContainText("agent three");
  await expect(conflict).toBeHidden();
  await expect(page.getByTestId("status-bar")).toContainText("loaded v5");
  await editor(page).click();
  await page.keyboard.press("ControlOrMeta+Z");
  await expect(editor(page)).toContainText("mine again");
  await expect(page.getByTestId("status-bar")).toContainText("unsaved changes");
});
