/**
 * Issue 17: the Metrics view draws the requests the test made, the status bar counts them, and a
 * limit the app runs into shows in the status bar and the terminal.
 */
import { expect, type Page, test } from "@playwright/test";
import { createProject, expectTerminal } from "./helpers";

/** Requests from inside the preview frame (the app's own origin), the way the app's page makes them. */
async function requestFromPreview(page: Page, id: string, path: string, count: number): Promise<number[]> {
  const frame = page.frames().find((f) => f.url().includes(`://${id}.localhost`));
  if (!frame) throw new Error("the preview frame is not loaded");
  return frame.evaluate(
    async ({ path, count }) => {
      const statuses: number[] = [];
      for (let i = 0; i < count; i++) statuses.push((await fetch(path)).status);
      return statuses;
    },
    { path, count },
  );
}

/** Pixels of the chart's canvas within a small distance of an RGB colour: the line uPlot drew in it. */
async function pixelsOf(page: Page, testId: string, rgb: [number, number, number]): Promise<number> {
  return page
    .getByTestId(testId)
    .locator("canvas")
    .evaluate((canvas, [r, g, b]) => {
      const c = canvas as HTMLCanvasElement;
      const data = c.getContext("2d")?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
      let hits = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (
          Math.abs((data[i] ?? 0) - r) < 24 &&
          Math.abs((data[i + 1] ?? 0) - g) < 24 &&
          Math.abs((data[i + 2] ?? 0) - b) < 24
        ) {
          hits++;
        }
      }
      return hits;
    }, rgb);
}

test("the Metrics view and the status bar show the requests made, and a limit reached shows in both places", async ({
  page,
}) => {
  const id = await createProject(page);
  await expect(page.getByTestId("live-version")).toHaveText("v1 live");
  // The preview has loaded the app's page: wait for its frame, then send requests from it.
  await expect.poll(() => page.frames().some((f) => f.url().includes(`://${id}.localhost`))).toBe(true);
  const ok = await requestFromPreview(page, id, "/api/notes", 30);
  expect(ok.every((status) => status === 200)).toBe(true);

  // The status bar counts the last minute's requests (the page's own load and ours).
  const requests = page.getByTestId("status-requests");
  await expect
    .poll(async () => Number((await requests.textContent())?.match(/(\d+) req\/min/)?.[1] ?? 0), { timeout: 20_000 })
    .toBeGreaterThanOrEqual(30);
  await expect(page.getByTestId("status-database")).toContainText(/DB \d.* \/ 1\.0 GiB/);

  await page.getByRole("button", { name: "Metrics" }).click();
  const view = page.getByTestId("metrics-view");
  await expect(view).toBeVisible();
  const tiles = view.getByTestId("metric-tiles");
  await expect
    .poll(async () => Number(((await tiles.locator(".metric-value").first().textContent()) ?? "0").replace(/,/g, "")))
    .toBeGreaterThanOrEqual(30);
  // The requests chart drew its line (the IDE's blue), and the database chart its size (green).
  await expect.poll(() => pixelsOf(page, "chart-requests", [0x5a, 0xa2, 0xff])).toBeGreaterThan(20);
  await expect.poll(() => pixelsOf(page, "chart-database", [0x4f, 0xc3, 0x83])).toBeGreaterThan(20);
  await page.screenshot({ path: "test-results/metrics/workbench-metrics.png" });
  await view.screenshot({ path: "test-results/metrics/metrics-view.png" });

  // A limit: 10 requests a minute, set in the view's form; the next burst is refused with 429.
  const form = view.getByTestId("limits-form");
  await form.getByLabel("Requests", { exact: true }).fill("10");
  await form.getByRole("button", { name: "Save limits" }).click();
  await expect(form).toContainText("Limits saved");
  const limited = await requestFromPreview(page, id, "/api/notes", 15);
  expect(limited).toContain(429);
  await expect(page.getByTestId("status-limit")).toContainText("rate limited", { timeout: 20_000 });
  await expectTerminal(page, "rate limit: more than 1");
  await expect(tiles).toContainText("429");
  await page.getByTestId("status-bar").screenshot({ path: "test-results/metrics/status-bar-limited.png" });

  // Back to the default: the form says so and the app answers again once the bucket refills.
  await form.getByRole("button", { name: "default" }).first().click();
  await expect(form.getByLabel("Requests", { exact: true })).toHaveValue("6000");
});
