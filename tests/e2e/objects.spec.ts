/**
 * Issue 19: a Worker project's Durable Objects in the IDE. Cloudflare's seat-booking tutorial, saved
 * as a project with its wrangler.jsonc, keeps a seat map per flight: the Data view lists the flights'
 * objects with their sizes and last activity and shows the one picked, and the terminal's SQL console
 * runs on a chosen object.
 */
import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { apiOf, createProject, expectTerminal, preview, tokenOf, typeInTerminal } from "./helpers";

const fixture = (path: string) => readFileSync(new URL(`../fixtures/seat-booking/${path}`, import.meta.url), "utf8");
const files = {
  "wrangler.jsonc": fixture("wrangler.jsonc"),
  "src/index.ts": fixture("src/index.ts"),
  "public/index.html": fixture("public/index.html"),
};

/** A new project (from the start page, as a person makes one) with the tutorial saved into it over the API. */
async function tutorialProject(page: Page) {
  const id = await createProject(page, "Blank");
  const project = { params: { id }, credential: await tokenOf(page, id) };
  await apiOf(page.request).call("putCode", { ...project, body: { files } });
  return { id, project };
}

test("the objects list shows each flight's database, and the SQL console runs on the one chosen", async ({ page }) => {
  const { project } = await tutorialProject(page);
  await expect(page.getByTestId("status-bar")).toContainText("v1 live");

  // Book seats as the tutorial's page does, on two flights.
  const book = async (flight: string, seatNumber: string, name: string) => {
    await apiOf(page.request).call("requestApp", {
      ...project,
      body: { method: "POST", path: `/book-seat?flightId=${flight}`, body: JSON.stringify({ seatNumber, name }) },
    });
  };
  await book("1234", "1A", "Ada");
  await book("5678", "2C", "Bob");
  await book("5678", "3F", "Cy");

  // The preview shows the tutorial's page for a flight, its seat map from the flight's object.
  await page.getByLabel("Preview path").fill("/?flightId=5678");
  await page.getByLabel("Preview path").press("Enter");
  await expect(preview(page).getByRole("heading", { name: "Book seat for flight 5678" })).toBeVisible();
  await expect(preview(page).locator(".seat.unavailable")).toHaveCount(2);

  // The terminal names the object on each call.
  await expectTerminal(page, "Flight:5678 ▸ RPC assignSeat()");

  // The Data view lists the objects, most used first, with sizes and last activity.
  await page.keyboard.press("Alt+4");
  const list = page.getByTestId("objects-list");
  await expect(list).toContainText("Objects · 2 of 100");
  await expect(list.getByRole("button").first()).toContainText("Flight:5678");
  await expect(list.getByRole("button", { name: /Flight:1234/ })).toContainText(/KiB · 1 call · just now/);
  await list.getByRole("button", { name: /Flight:1234/ }).click();
  await expect(page.getByTestId("data-object")).toHaveText("Flight:1234");
  const grid = page.getByRole("table", { name: /^Rows of seats/ });
  await expect(grid.locator('td[data-column="occupant"]').filter({ hasText: "Ada" })).toBeVisible();
  await expect(grid.locator('td[data-column="occupant"]').filter({ hasText: "Bob" })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath("objects-list.png") });

  // The SQL console, on the object chosen.
  await page.keyboard.press("Alt+3");
  await typeInTerminal(page, ".objects");
  await expectTerminal(page, /Flight:5678 +\d+ calls? · [\d.]+ KiB/);
  await typeInTerminal(page, ".object Flight:5678");
  await expectTerminal(page, "SQL now runs on Flight:5678's database");
  await expect(page.getByTestId("sql-object")).toHaveText("Flight:5678");
  await typeInTerminal(page, "SELECT seatId, occupant FROM seats WHERE occupant IS NOT NULL ORDER BY seatId;");
  await expectTerminal(page, "(Flight:5678)");
  await expectTerminal(page, /2C .*Bob/);
  await expectTerminal(page, /3F .*Cy/);
  await page.screenshot({ path: test.info().outputPath("objects-sql.png") });

  // The Metrics view adds every object up, and shows each one's share.
  await page.keyboard.press("Alt+5");
  const share = page.getByTestId("metrics-objects");
  await expect(share).toContainText("Durable Objects: 2 of 100");
  const busy = share.getByRole("row", { name: /Flight:5678/ });
  await expect(busy.getByRole("cell").nth(0)).toHaveText(/^[3-9]/);
  // Its seat map's rows were written (the seats table of 60 and two bookings).
  await expect(busy.getByRole("cell").nth(2)).not.toHaveText("0");
  await share.scrollIntoViewIfNeeded();
  await share.screenshot({ path: test.info().outputPath("objects-metrics.png") });

  // A click on an object's name shows its own figures for the window; the picker goes back.
  await busy.getByRole("button", { name: "Flight:5678" }).click();
  const picker = page.getByTestId("metrics-object");
  await expect(picker.locator("option:checked")).toHaveText("Flight:5678");
  const firstTile = page.getByTestId("metric-tiles").locator(".metric-tile").first();
  await expect(firstTile.locator(".metric-label")).toHaveText("Calls");
  await expect(firstTile.locator(".metric-value")).toHaveText(/^[3-9]/);
  await expect(page.getByTestId("chart-requests")).toContainText("Calls and errors per minute · Flight:5678");
  await firstTile.scrollIntoViewIfNeeded();
  await page.getByTestId("metrics-view").screenshot({ path: test.info().outputPath("object-metrics.png") });
  await picker.selectOption({ label: "whole project" });
  await expect(firstTile.locator(".metric-label")).toHaveText("Requests");
});

test("the editor types env from the project's wrangler.jsonc: the tutorial's Worker shows no error", async ({
  page,
}) => {
  await tutorialProject(page);
  await page.getByRole("button", { name: "Load v1" }).click();
  await page.getByRole("tab", { name: /src\/index\.ts/ }).click();
  const lines = page.locator(".monaco-editor .view-lines");
  await expect(lines).toContainText("export class Flight extends DurableObject");
  await expect(page.locator(".monaco-editor .squiggly-error")).toHaveCount(0, { timeout: 30_000 });
  // Monaco draws the lines in view only: the Worker's use of env is at the end.
  await lines.click();
  await page.keyboard.press("ControlOrMeta+End");
  await expect(lines).toContainText("env.FLIGHT.idFromName(flightId)");
  // A line that is wrong shows TypeScript has looked at the file; once it is undone, nothing else is:
  // env.FLIGHT is a namespace of Flight (so stub.getSeats() is typed).
  await page.keyboard.press("Enter");
  await page.keyboard.insertText('const notANumber: number = "x";');
  const squiggles = page.locator(".monaco-editor .squiggly-error");
  await expect(squiggles).toHaveCount(1, { timeout: 30_000 });
  await page.keyboard.press("End");
  await page.keyboard.press("Shift+Home");
  await page.keyboard.press("Delete");
  await page.keyboard.press("Backspace");
  await expect(lines).not.toContainText("notANumber");
  await expect(squiggles).toHaveCount(0, { timeout: 15_000 });
  await page.getByRole("tab", { name: /public\/index\.html/ }).click();
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("Flight Seat Booking");
  await expect(page.locator(".monaco-editor .squiggly-error")).toHaveCount(0);
  await page.getByRole("tab", { name: /wrangler\.jsonc/ }).click();
  await expect(page.locator(".monaco-editor .squiggly-error")).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath("objects-editor.png") });
});
