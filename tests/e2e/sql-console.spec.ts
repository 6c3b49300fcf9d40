/** Issue 4: the terminal is a SQL console on the app's database, as in the sqlite3 shell. */
import { expect, test } from "@playwright/test";
import { createProject, expectTerminal, preview, promptLine, terminalScreen, typeInTerminal } from "./helpers";

test.use({ viewport: { width: 1280, height: 1000 } });

test("CREATE, INSERT, SELECT and .tables print like the sqlite3 shell", async ({ page }) => {
  await createProject(page);
  await typeInTerminal(page, ".clear");

  await typeInTerminal(page, "CREATE TABLE pets (id INTEGER PRIMARY KEY, name TEXT, born INTEGER);");
  await expectTerminal(page, /^OK · .*ms$/m);
  await typeInTerminal(page, "INSERT INTO pets (name, born) VALUES ('Rex', 2019), ('Tom', NULL);");
  await expectTerminal(page, "2 written");

  // A statement may span lines: the continuation prompt waits for the semicolon.
  await typeInTerminal(page, "SELECT id, name, born");
  await expectTerminal(page, "...>");
  await typeInTerminal(page, "FROM pets ORDER BY id;");
  await expectTerminal(page, "│ id │ name │ born │");
  const screen = await terminalScreen(page);
  expect(screen).toContain("│  1 │ Rex  │ 2019 │");
  expect(screen).toContain("│  2 │ Tom  │ NULL │");
  expect(screen).toContain("2 rows");

  await typeInTerminal(page, ".tables");
  await expectTerminal(page, /^notes\s+pets$/m);

  await typeInTerminal(page, ".schema pets");
  await expectTerminal(page, "CREATE TABLE pets (id INTEGER PRIMARY KEY, name TEXT, born INTEGER);");

  await typeInTerminal(page, "SELEC 1;");
  await expectTerminal(page, /Error: .*syntax error/);
});

test("a row the app inserted is visible from the console", async ({ page }) => {
  await createProject(page);
  const note = `hello from the preview ${Date.now().toString(36)}`;
  await preview(page).getByPlaceholder("Say hello").fill(note);
  await preview(page).getByRole("button", { name: "Sign" }).click();
  await expect(preview(page).getByText(note)).toBeVisible();
  await expectTerminal(page, `new note: ${note}`);

  await typeInTerminal(page, ".clear");
  await typeInTerminal(page, "SELECT id, text FROM notes;");
  await expectTerminal(page, `│  1 │ ${note} │`);
  await expectTerminal(page, "1 row");
});

test("blobs, history, long results and log lines that arrive while typing", async ({ page }) => {
  await createProject(page);
  await typeInTerminal(page, ".clear");

  await typeInTerminal(page, "SELECT x'DEADBEEF' AS b, NULL AS n, 'two\nlines' AS t;");
  await expectTerminal(page, "x'deadbeef' (4 bytes)");

  // Up brings back the last statement, ready to edit and run again.
  await page.keyboard.press("ArrowUp");
  await expect.poll(() => promptLine(page)).toContain("sql> SELECT x'DEADBEEF' AS b");
  await page.keyboard.press("ControlOrMeta+U");

  await typeInTerminal(page, ".clear");
  await typeInTerminal(
    page,
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 600) SELECT x FROM c;",
  );
  await expectTerminal(page, "100 more rows not shown");

  // A request line printed while a statement is half typed lands above the prompt, and the input survives.
  await typeInTerminal(page, ".clear");
  await typeInTerminal(page, "SELECT 'still here", { enter: false });
  await page.getByRole("button", { name: "Reload the preview" }).click();
  await expectTerminal(page, "GET / 200");
  await expect.poll(() => promptLine(page)).toBe("sql> SELECT 'still here");
  await page.locator(".xterm-screen").click();
  await page.keyboard.type("';");
  await page.keyboard.press("Enter");
  await expectTerminal(page, "│ 'still here' │");
});
