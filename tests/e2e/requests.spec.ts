/**
 * Issue 29: a person finds a failing request in the Requests view, fixes it in a draft, replays the
 * recent traffic on the draft, sees that request fixed and nothing else changed, and promotes.
 */
import { expect, type Page, test } from "@playwright/test";
import { createProject, preview, replaceCode } from "./helpers";

const shop = (total: string) => `import { DurableObject } from "cloudflare:workers";

export class App extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/api/total") {
      ${total}
    }
    if (url.pathname === "/api/hello") return Response.json({ hello: "world" });
    return new Response("<h1>Shop</h1>", { headers: { "content-type": "text/html" } });
  }
}
`;
const BROKEN = `throw new Error("the total is not ready");`;
const FIXED = `return Response.json({ total: 7 });`;

/** Requests from inside the preview frame (the app's own origin), the way the app's page makes them. */
async function fetchFromPreview(page: Page, id: string, path: string): Promise<number> {
  await expect.poll(() => page.frames().some((f) => f.url().includes(`://${id}.localhost`))).toBe(true);
  const frame = page.frames().find((f) => f.url().includes(`://${id}.localhost`));
  if (!frame) throw new Error("the preview frame is not loaded");
  return frame.evaluate(async (p) => (await fetch(p)).status, path);
}

test("a failing request found in the Requests view, fixed in a draft, replayed, promoted", async ({ page }) => {
  const id = await createProject(page, "Blank");
  await replaceCode(page, shop(BROKEN));
  await page.keyboard.press("ControlOrMeta+S");
  await expect(page.getByTestId("status-bar")).toContainText("v1 live");
  // The preview has reloaded on v1 (a request from a frame that is navigating is lost).
  await expect(preview(page).getByRole("heading", { name: "Shop" })).toBeVisible();
  expect(await fetchFromPreview(page, id, "/api/hello")).toBe(200);
  expect(await fetchFromPreview(page, id, "/api/total")).toBe(500);

  // Alt+6 shows the Requests view; the failing request opens to what it logged.
  await page.keyboard.press("Alt+6");
  const view = page.getByTestId("requests-view");
  await expect(view).toBeVisible();
  const failing = view.getByTestId("request-row").filter({ hasText: "/api/total" });
  await expect(failing).toContainText("500");
  await failing.click();
  const detail = page.getByTestId("request-detail");
  await expect(detail).toContainText("Error: the total is not ready");
  await view.getByLabel("Status").selectOption("5xx");
  await expect(view.getByTestId("request-row")).toHaveCount(1);
  await page.screenshot({ path: "test-results/requests-view.png" });
  await view.getByLabel("Status").selectOption("");

  // The fix, tried on a copy.
  await page.keyboard.press("Alt+1");
  await replaceCode(page, shop(FIXED));
  await page.getByRole("button", { name: "Try on a copy" }).click();
  const bar = page.getByTestId("draft-bar");
  await expect(bar).toContainText("draft r1");

  // The failing request replayed on the draft, beside what it answered then.
  await page.keyboard.press("Alt+6");
  await detail.getByRole("button", { name: "Replay on draft" }).click();
  const diff = page.getByTestId("answer-diff");
  await expect(diff).toContainText("changed (status, body, exception)".replace(", exception", ""));
  await expect(diff).toContainText('{"total":7}');
  await page.screenshot({ path: "test-results/requests-replay-diff.png" });

  await bar.getByRole("button", { name: "Replay recent traffic" }).click();
  const report = page.getByTestId("replay-report");
  const fixed = report.getByTestId("replay-item").filter({ hasText: "/api/total" });
  await expect(fixed).toContainText("fixed");
  await expect(report.getByTestId("replay-item").filter({ hasText: "/api/hello" })).toContainText("same");
  await expect(report.locator('[data-outcome="changed"]')).toHaveCount(1);
  await expect(report).toContainText("1 fixed");
  await page.screenshot({ path: "test-results/requests-replay-report.png" });

  await report.getByRole("button", { name: "Promote" }).click();
  await expect(page.getByTestId("status-bar")).toContainText("v2 live");
  await expect(bar).toBeHidden();
  // The preview reloads on the new version; the request that failed now answers.
  await expect.poll(() => fetchFromPreview(page, id, "/api/total").catch(() => 0), { timeout: 15_000 }).toBe(200);
});
