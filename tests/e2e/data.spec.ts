/** Issue 18: the Data view, a grid on the app's database that needs no SQL. */
import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { apiOf, createProject, expectTerminal, preview, tokenOf, typeInTerminal } from "./helpers";

/** Shows the Data view with its shortcut, as a person would. */
async function openData(page: Page) {
  await page.keyboard.press("Alt+4");
  await expect(page.getByRole("region", { name: "Data" })).toBeVisible();
}

const grid = (page: Page) => page.getByRole("table", { name: /^Rows of / });
const cell = (page: Page, column: string, text: string | RegExp) =>
  grid(page).locator(`td[data-column="${column}"]`).filter({ hasText: text });

test("a note signed in the preview appears without a reload; edits reach the preview; errors stay on the cell", async ({
  page,
}) => {
  await createProject(page);
  await openData(page);
  await expect(page.getByRole("button", { name: /notes/ })).toHaveAttribute("aria-current", "true");
  await expect(page.getByText("No rows yet.")).toBeVisible();
  await page.evaluate(() => {
    (window as unknown as { stayed: boolean }).stayed = true;
  });

  await preview(page).getByPlaceholder("Say hello").fill("Signed in the preview");
  await preview(page).getByRole("button", { name: "Sign" }).click();
  await expect(cell(page, "text", "Signed in the preview")).toBeVisible({ timeout: 5_000 });
  await expect(page.getByTestId("count-notes")).toHaveText("1");
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

  // Edit the cell: the app reads the new text.
  await cell(page, "text", "Signed in the preview").dblclick();
  const editor = page.getByLabel("New value for text");
  await expect(editor).toHaveValue("Signed in the preview");
  await editor.fill("Edited in the Data view");
  await editor.press("Enter");
  await expect(cell(page, "text", "Edited in the Data view")).toBeVisible();
  await page.getByRole("button", { name: "Reload the preview" }).click();
  await expect(preview(page).getByText("Edited in the Data view")).toBeVisible();

  // NOT NULL: the error shows on the cell, the edit stays open, nothing changes.
  await cell(page, "text", "Edited in the Data view").dblclick();
  await page.locator(".cell-editor").getByRole("button", { name: "NULL" }).click();
  const failed = grid(page).locator('td[data-column="text"].cell-failed');
  await expect(failed.getByRole("alert")).toHaveText("NOT NULL constraint failed: notes.text");
  await expect(failed.getByLabel("New value for text")).toHaveValue("Edited in the Data view");
  await failed.getByLabel("New value for text").press("Escape");
  await expect(cell(page, "text", "Edited in the Data view")).toBeVisible();
});

test("sorting and paging a 100,000-row table made with SQL", async ({ page }) => {
  await createProject(page);
  await typeInTerminal(page, ".clear");
  await typeInTerminal(page, "CREATE TABLE big (id INTEGER PRIMARY KEY, name TEXT, score INTEGER);");
  await typeInTerminal(
    page,
    "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100000) INSERT INTO big SELECT i, 'row ' || i, i % 1000 FROM s;",
  );
  await expectTerminal(page, "100000 written");
  await openData(page);
  const big = page.getByRole("button", { name: /^big/ });
  await expect(page.getByTestId("count-big")).toHaveText("100,000");
  // Start from another table, so that the click below is what loads the big one.
  await page.getByRole("button", { name: /^notes/ }).click();
  await expect(grid(page)).toHaveAccessibleName("Rows of notes");

  // The figure the issue asks for, taken in the page: from the click to the first row on screen.
  await page.evaluate(() => {
    const state = window as unknown as { clickedAt?: number; shownAt?: number };
    document.addEventListener("click", () => (state.clickedAt = performance.now()), { capture: true, once: true });
    const observer = new MutationObserver(() => {
      const first = document.querySelector('td[data-column="name"]');
      if (state.clickedAt !== undefined && first?.textContent === "row 1") {
        state.shownAt = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await big.click();
  await expect(cell(page, "name", /^row 1$/)).toBeVisible();
  const firstPageMs = await page.evaluate(() => {
    const state = window as unknown as { clickedAt?: number; shownAt?: number };
    return Math.round((state.shownAt ?? Number.NaN) - (state.clickedAt ?? Number.NaN));
  });
  // Reported, not asserted (speed is for the benchmark, not a test).
  test.info().annotations.push({ type: "first page of 100,000 rows", description: `${firstPageMs} ms` });
  console.log(`first page of the 100,000-row table on screen ${firstPageMs} ms after the click`);

  const pager = page.getByTestId("pager");
  await expect(pager).toContainText("rows 1–100 of 100,000");
  await pager.getByRole("button", { name: "Next page" }).click();
  await expect(pager).toContainText("rows 101–200 of 100,000");
  await expect(cell(page, "name", /^row 101$/)).toBeVisible();
  await pager.getByRole("button", { name: "Last page" }).click();
  await expect(pager).toContainText("rows 99,901–100,000 of 100,000");
  await expect(cell(page, "name", /^row 99901$/)).toBeVisible();
  await page.locator(".table-view .grid-scroll").evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(cell(page, "name", /^row 100000$/)).toBeVisible();
  await pager.getByLabel("Page", { exact: true }).fill("500");
  await pager.getByLabel("Page", { exact: true }).press("Enter");
  await expect(pager).toContainText("rows 49,901–50,000");

  // Sort: a click sorts ascending (from the first page), another descending; ties keep key order.
  const scoreHeader = grid(page).getByRole("columnheader", { name: /score/ });
  await scoreHeader.getByRole("button").click();
  await expect(scoreHeader).toHaveAttribute("aria-sort", "ascending");
  await expect(pager).toContainText("rows 1–100 of 100,000");
  await expect(grid(page).locator("tbody tr").first().locator('td[data-column="name"]')).toHaveText("row 1000");
  await scoreHeader.getByRole("button").click();
  await expect(scoreHeader).toHaveAttribute("aria-sort", "descending");
  await expect(grid(page).locator("tbody tr").first().locator('td[data-column="name"]')).toHaveText("row 999");
  await pager.getByRole("button", { name: "Last page" }).click();
  await expect(pager).toContainText("rows 99,901–100,000 of 100,000");
  await page.locator(".table-view .grid-scroll").evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(grid(page).locator("tbody tr").last().locator('td[data-column="name"]')).toHaveText("row 100000");

  // Filter: an operator compares, plain text searches.
  await grid(page).getByLabel("Filter score").fill("=7");
  await expect(pager).toContainText("rows 1–100 of 100");
  await grid(page).getByLabel("Filter score").fill("");
  await grid(page).getByLabel("Filter name").fill("row 7777");
  await expect(pager).toContainText("of 11");
});

test("the grid keeps its scroll position and an edit in progress while the app writes", async ({ page }) => {
  const id = await createProject(page);
  await typeInTerminal(page, ".clear");
  await typeInTerminal(
    page,
    "CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT); WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 400) INSERT INTO items (label) SELECT 'item ' || i FROM s;",
  );
  await expectTerminal(page, "400 written");
  await openData(page);
  await page.getByRole("button", { name: /^items/ }).click();
  await page.getByTestId("pager").getByLabel("Rows per page").selectOption("500");
  await expect(page.getByTestId("pager")).toContainText("rows 1–400 of 400");
  const scroller = page.locator(".table-view .grid-scroll");
  await scroller.evaluate((el) => {
    el.scrollTop = 5000;
  });
  const target = cell(page, "label", /^item 190$/);
  await target.dblclick();
  const editor = page.getByLabel("New value for label");
  await editor.fill("half typed");
  const scrolled = await scroller.evaluate((el) => el.scrollTop);

  // Another writer (an agent over the API) adds rows: the grid shows them, the edit stays.
  const token = await tokenOf(page, id);
  expect(token).not.toBe("");
  const sqlPath = apiOf(page.request).path("runSql", { params: { id } });
  const written = await page.evaluate(
    async ([path, bearer]) =>
      (
        await fetch(path, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
          body: JSON.stringify({ sql: "INSERT INTO items (label) VALUES ('from an agent')" }),
        })
      ).status,
    [sqlPath, token] as const,
  );
  expect(written).toBe(200);
  await expect(page.getByTestId("pager")).toContainText("of 401", { timeout: 3_000 });
  await expect(editor).toHaveValue("half typed");
  await expect(editor).toBeFocused();
  expect(await scroller.evaluate((el) => el.scrollTop)).toBe(scrolled);
  await editor.press("Escape");
});

test("rows are added, deleted after asking, and exported as CSV", async ({ page }) => {
  await createProject(page);
  await openData(page);
  await page.getByRole("button", { name: "+ Row" }).click();
  const form = page.getByRole("form", { name: "New row in notes" });
  await form.getByRole("button", { name: "Insert row" }).click();
  await expect(form.getByRole("alert")).toHaveText("NOT NULL constraint failed: notes.text");
  await form.getByLabel(/^text/).fill('first, with "quotes"');
  await form.getByRole("button", { name: "Insert row" }).click();
  await expect(form).toBeHidden();
  await page.getByRole("button", { name: "+ Row" }).click();
  await page.getByRole("form", { name: "New row in notes" }).getByLabel(/^text/).fill("second");
  await page.getByRole("button", { name: "Insert row" }).click();
  await expect(cell(page, "text", "second")).toBeVisible();
  await expect(page.getByTestId("count-notes")).toHaveText("2");

  await page.getByRole("button", { name: "Export" }).click();
  const downloading = page.waitForEvent("download");
  await page.getByRole("menuitem", { name: "CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("notes.csv");
  const csv = readFileSync((await download.path()) ?? "", "utf8").split("\r\n");
  expect(csv[0]).toBe("id,text,created_at");
  expect(csv[1]).toMatch(/^1,"first, with ""quotes""",\d{4}-/);
  expect(csv[2]).toMatch(/^2,second,\d{4}-/);

  await grid(page).locator("tbody tr").filter({ hasText: "second" }).getByLabel("Select this row").click();
  await page.getByRole("button", { name: "Delete 1 row" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete 1 row?" });
  await expect(confirm).toContainText("cannot be undone");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(cell(page, "text", "second")).toBeVisible();
  await page.getByRole("button", { name: "Delete 1 row" }).click();
  await page.getByRole("dialog", { name: "Delete 1 row?" }).getByRole("button", { name: "Delete" }).click();
  await expect(cell(page, "text", "second")).toBeHidden();
  await expect(page.getByTestId("count-notes")).toHaveText("1");
});
