/**
 * The Assistant panel against stand-in answers of its routes (Playwright's page.route), for what the
 * scripted model cannot make the real server say: no model configured, a malformed event, hostile
 * text in the model's output and a tool's result. assistant.spec.ts runs the real assistant.
 */

import { expect, type Page, test } from "@playwright/test";
import { createTwoFilesPatch } from "diff";
import type { AssistantConfig, AssistantOverview } from "../../shared/assistant";
import { apiOf, createProject, tokenOf } from "./helpers";

const ASSISTANT = /\/api\/projects\/[^/]+\/assistant$/;

const configured: AssistantConfig = {
  configured: true,
  model: "scripted",
  provider: "openai-compatible",
  stepLimit: 12,
  tokenBudget: 50_000,
  howToConnect: "",
};

/** The GET answers `config`; a POST answers `events` as one event stream. */
async function standIn(page: Page, config: AssistantConfig, events: [string, unknown][] = []) {
  const overview: AssistantOverview = { config, tasks: [] };
  await page.route(ASSISTANT, (route) =>
    route.request().method() === "GET"
      ? route.fulfill({ json: overview })
      : route.fulfill({
          contentType: "text/event-stream",
          body: events
            .map(
              ([name, data]) => `event: ${name}\ndata: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`,
            )
            .join(""),
        }),
  );
}

test("with no model configured, the panel says how to connect one and offers no prompt", async ({ page }) => {
  await standIn(page, {
    configured: false,
    stepLimit: 20,
    tokenBudget: 200_000,
    howToConnect: "FACET_IDE_MODEL_URL=http://localhost:11434/v1 FACET_IDE_MODEL=qwen2.5-coder npm start",
  });
  await createProject(page, "Blank");
  await page.keyboard.press("Alt+7");
  const panel = page.getByRole("region", { name: "Assistant" });
  await expect(panel.getByTestId("assistant-not-configured")).toContainText("No model is connected");
  await expect(panel).toContainText("FACET_IDE_MODEL_URL=http://localhost:11434/v1");
  await expect(panel.getByRole("textbox")).toHaveCount(0);
  await expect(panel.getByRole("button", { name: "Send" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/assistant-not-configured.png" });
});

test("hostile output shows as text, a malformed event as an error line, and the panel goes on", async ({ page }) => {
  const hostile = "<img src=x onerror=\"document.title='pwned'\"><b>bold?</b>\u001b[31mred\u001b[0m";
  const app = (greeting: string) =>
    `import { DurableObject } from "cloudflare:workers";\n\nexport class App extends DurableObject {\n  async fetch(): Promise<Response> {\n    return new Response("${greeting}");\n  }\n}\n`;
  const before = app("hi");
  const after = app("hello");
  const patch = createTwoFilesPatch("app.ts", "app.ts", before, after);
  await standIn(page, configured, [
    ["start", { taskId: "task0001", continued: false, stepLimit: 12, tokenBudget: 50_000 }],
    ["step", { n: 1, kind: "model" }],
    ["text", { delta: `Reading ${hostile}` }],
    ["step", { n: 2, kind: "tool", name: "read_code", args: { path: "app.ts" } }],
    ["tool", { n: 2, name: "read_code", args: { path: "app.ts" }, ok: true, result: hostile, truncated: true, ms: 3 }],
    ["step", "{this is not json"],
    ["step", { n: 3, kind: "tool", name: "write_file", args: { path: "app.ts" } }],
    [
      "tool",
      {
        n: 3,
        name: "write_file",
        args: { path: "app.ts" },
        ok: true,
        result: "saved",
        truncated: false,
        ms: 9,
        diff: patch,
      },
    ],
    ["step", { n: 4, kind: "tool", name: "request_draft", args: { method: "GET", path: "/" } }],
    [
      "tool",
      {
        n: 4,
        name: "request_draft",
        args: { method: "GET", path: "/" },
        ok: false,
        result: "Error: boom\n  at x",
        truncated: false,
        ms: 2,
      },
    ],
    [
      "done",
      {
        taskId: "task0001",
        reason: "finished",
        summary: `Changed the greeting. ${hostile}`,
        draftRevision: 3,
        tokens: { input: 1200, output: 34 },
        steps: 4,
        files: [{ path: "app.ts", status: "modified", diff: patch }],
        dataEffect: { tables: [{ name: "notes", rowsLive: 2, rowsDraft: 5 }], schemaChanges: ["added table scores"] },
      },
    ],
  ]);
  const id = await createProject(page, "Blank");
  // Promote and Discard are offered while the project has the draft the stream speaks of.
  const draft = { params: { id }, credential: await tokenOf(page, id), body: { files: { "app.ts": after } } };
  await apiOf(page.request).call("putDraftCode", draft);
  const title = await page.title();
  await page.getByRole("tab", { name: "Assistant" }).click();
  const panel = page.getByRole("region", { name: "Assistant" });
  await panel.getByRole("textbox", { name: "Ask the assistant" }).fill("change the greeting");
  await panel.getByRole("textbox", { name: "Ask the assistant" }).press("Enter");

  const steps = panel.getByTestId("assistant-steps");
  await expect(steps).toHaveAttribute("aria-live", "polite");
  await expect(steps).toContainText("<img src=x onerror=");
  await expect(steps).toContainText("A step event that is not JSON was skipped");
  await expect(steps.getByTestId("assistant-step").filter({ hasText: "request_draft" })).toContainText("Error: boom");
  await expect(panel.getByTestId("assistant-result")).toContainText("<b>bold?</b>");
  await expect(panel.locator("img")).toHaveCount(0);
  await expect(panel.locator("b")).toHaveCount(0);
  expect(await page.title()).toBe(title);

  const result = panel.getByTestId("assistant-result");
  await expect(result.getByTestId("assistant-diff")).toContainText('return new Response("hello");');
  await expect(result.getByTestId("assistant-data-effect")).toContainText("added table scores");
  await expect(result.getByTestId("assistant-data-effect").getByRole("row", { name: /notes/ })).toContainText("5");
  await expect(result.getByRole("button", { name: "Promote", exact: true })).toBeVisible();
  await expect(result.getByRole("button", { name: "Discard" })).toBeVisible();
  await expect(panel.getByTestId("assistant-steps-used")).toHaveText("4 / 12 steps");
  await expect(panel.getByTestId("assistant-tokens")).toHaveText("1,234 / 50,000 tokens");
  // A follow-up continues the task.
  await expect(panel.getByRole("textbox", { name: "Follow-up for the assistant" })).toBeVisible();
  await page.screenshot({ path: "test-results/assistant-stand-in.png" });
  await panel.screenshot({ path: "test-results/assistant-stand-in-panel.png" });
});
