/**
 * Issue 31: a person asks the IDE's assistant for a change, watches its steps, sees the diff and the
 * data effect on the draft, promotes, and the preview shows the change. The model is the scripted one
 * the config starts (tests/fixtures/scripted-model.mjs): each of its answers is a turn put here.
 */
import { expect, type Page, test } from "@playwright/test";
import type { Turn } from "../fixtures/scripted-model.d.mts";
import { apiOf, createProject, preview, tokenOf } from "./helpers";

const MODEL = process.env.E2E_MODEL_URL ?? "";

const app = (heading: string) => `import { DurableObject } from "cloudflare:workers";

export class App extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS scores (name TEXT, points INTEGER)");
    const { n } = this.ctx.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM scores").one();
    return new Response(\`<h1>${heading}</h1><p>\${n} scores</p>\`, { headers: { "content-type": "text/html" } });
  }
}
`;

async function script(page: Page, turns: Turn[]) {
  const answer = await page.request.put(`${MODEL}/script`, { data: { turns } });
  expect(answer.ok()).toBe(true);
}

/** A project whose live app is `app("Scores")`, saved as an agent would, and shown in the preview. */
async function scoresProject(page: Page): Promise<string> {
  const id = await createProject(page, "Blank");
  const token = await tokenOf(page, id);
  await apiOf(page.request).call("putCode", {
    params: { id },
    credential: token,
    body: { files: { "app.ts": app("Scores") } },
  });
  await expect(page.getByTestId("status-bar")).toContainText("v1 live");
  await expect(preview(page).getByRole("heading", { name: "Scores" })).toBeVisible();
  return id;
}

test("a person asks for a change, watches the steps, sees the diff and the data effect, and promotes", async ({
  page,
}) => {
  await scoresProject(page);
  await script(page, [
    { text: "I will read the code first.", toolCalls: [{ name: "read_code", arguments: {} }] },
    {
      toolCalls: [
        {
          name: "edit_file",
          arguments: { file: "app.ts", edits: [{ oldText: "<h1>Scores</h1>", newText: "<h1>Leaderboard</h1>" }] },
        },
      ],
    },
    { toolCalls: [{ name: "run_sql", arguments: { sql: "INSERT INTO scores VALUES ('ada', 3), ('bob', 2)" } }] },
    // The model takes its time here, so the running task (and its Stop) is on screen.
    { waitMs: 3_000, toolCalls: [{ name: "request_app", arguments: { path: "/" } }] },
    { text: "The heading now says Leaderboard, and the draft has two scores to show it with." },
  ]);

  await page.keyboard.press("Alt+7");
  const panel = page.getByRole("region", { name: "Assistant" });
  await expect(panel).toContainText("scripted");
  const prompt = panel.getByRole("textbox", { name: "Ask the assistant" });
  await prompt.fill("Call the page Leaderboard");
  await prompt.press("Shift+Enter");
  await prompt.pressSequentially("and add two scores");
  await prompt.press("Enter");
  // Running (the model takes its time over the fourth answer), with Stop.
  await expect(panel.getByRole("button", { name: "Stop" })).toBeVisible();

  // The steps as they happen.
  const steps = panel.getByTestId("assistant-steps");
  await expect(steps).toContainText("I will read the code first.");
  await expect(steps.getByTestId("assistant-step").filter({ hasText: "edit_file" })).toContainText("app.ts");
  await expect(steps.getByTestId("assistant-diff").first()).toContainText("<h1>Leaderboard</h1>");
  await expect(steps.getByTestId("assistant-step").filter({ hasText: "run_sql" })).toContainText("INSERT INTO scores");
  await page.screenshot({ path: "test-results/assistant-running.png" });
  await expect(steps.getByTestId("assistant-step").filter({ hasText: "request_app" })).toContainText("GET /", {
    timeout: 30_000,
  });
  await expect(panel.getByTestId("assistant-turn")).toContainText("Call the page Leaderboard\nand add two scores");

  // The end: the summary, every file's diff, the data effect, and the choice.
  const result = panel.getByTestId("assistant-result");
  await expect(result).toContainText("The heading now says Leaderboard", { timeout: 30_000 });
  await expect(result.getByTestId("assistant-diff")).toContainText("<h1>Leaderboard</h1>");
  await expect(result.getByTestId("assistant-data-effect").getByRole("row", { name: /scores/ })).toContainText("2");
  await expect(panel.getByTestId("assistant-steps-used")).toContainText("/ 20 steps");
  await expect(panel.getByTestId("assistant-tokens")).not.toContainText("–");
  await expect(panel.getByRole("button", { name: "Stop" })).toHaveCount(0);
  // The live app is untouched until the person promotes; the draft is there to look at.
  await expect(page.getByTestId("draft-bar")).toBeVisible();
  await expect(preview(page).getByRole("heading", { name: "Scores" })).toBeVisible();
  await page.screenshot({ path: "test-results/assistant-done.png" });

  await result.getByRole("button", { name: "Promote", exact: true }).click();
  await expect(result).toContainText("Promoted: the live app runs it now.");
  await expect(page.getByTestId("status-bar")).toContainText("v2 live");
  await expect(page.getByTestId("draft-bar")).toHaveCount(0);
  // Promoted with the live data: the new heading, and no scores (the draft's stayed on the draft).
  await expect(preview(page).getByRole("heading", { name: "Leaderboard" })).toBeVisible();
  await expect(preview(page).getByText("0 scores")).toBeVisible();
});

test("a question is answered without a draft, and Stop ends a running task", async ({ page }) => {
  await scoresProject(page);
  await script(page, [
    { toolCalls: [{ name: "read_logs", arguments: {} }] },
    { text: "Nothing fails: / answers 200 with the number of scores." },
  ]);
  await page.keyboard.press("Alt+7");
  const panel = page.getByRole("region", { name: "Assistant" });
  const prompt = panel.getByRole("textbox", { name: "Ask the assistant" });
  await prompt.fill("Why would / fail?");
  await prompt.press("Enter");
  const result = panel.getByTestId("assistant-result");
  await expect(result).toContainText("Nothing fails");
  await expect(result.getByRole("button", { name: "Promote", exact: true })).toHaveCount(0);
  await expect(result.getByTestId("assistant-diff")).toHaveCount(0);
  await expect(page.getByTestId("draft-bar")).toHaveCount(0);

  // A follow-up continues the task; the model hangs, and Stop ends it.
  await script(page, [{ hang: true }]);
  const followUp = panel.getByRole("textbox", { name: "Follow-up for the assistant" });
  await followUp.fill("Look again");
  await followUp.press("Enter");
  await expect(panel.getByTestId("assistant-turn")).toHaveCount(2);
  await panel.getByRole("button", { name: "Stop" }).click();
  await expect(panel.getByTestId("assistant-turn").nth(1)).toContainText("Stopped");
  await expect(panel.getByRole("button", { name: "Continue" })).toBeVisible();
});
