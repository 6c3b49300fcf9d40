// 8. Start-up as a person meets it, for `npm start` and `npm run dev`: the run command to /api/health,
// a click on a template card to a visible editor in a cold browser (a fresh profile of headless
// Chromium, as the browser tests run it: no cache, no storage), and the resident memory of the whole
// process tree.
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";
import { chromiumArgs, chromiumPath } from "../../tests/e2e/chromium.mjs";
import { startIde } from "../ide.mjs";
import { now, round, sleep, summarize } from "../stats.mjs";

export const haveChromium = () => existsSync(chromiumPath);

/**
 * Starts the IDE (`mode`), waits until it has settled, then clicks the "Guest book" card `clicks`
 * times, each in a fresh browser profile. The first click is the cold figure (nothing served yet
 * since the start); the rest are warm. Memory is read idle, and after the first project is open
 * (editor shown, terminal connected, preview loaded).
 * @param {"start" | "dev"} mode
 */
export async function startup(mode, { clicks, settleMs = 3_000 }) {
  const ide = await startIde(mode);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    await sleep(settleMs);
    const idleMiB = ide.rssMiB();
    /** @type {number[]} */
    const editorMs = [];
    let openMiB = null;
    for (let i = 0; i < clicks; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`http://localhost:${ide.port}/`);
      const card = page.getByRole("button", { name: "Guest book", exact: true });
      await card.waitFor({ state: "visible", timeout: 120_000 });
      const t0 = now();
      await card.click();
      await page.locator(".monaco-editor .view-lines").waitFor({ state: "visible", timeout: 120_000 });
      editorMs.push(round(now() - t0, 0));
      if (openMiB === null) {
        await page.getByTestId("status-bar").filter({ hasText: "● connected" }).waitFor({ timeout: 60_000 });
        await page.frameLocator('iframe[title="App preview"]').locator("body").waitFor({ timeout: 60_000 });
        await sleep(settleMs);
        openMiB = ide.rssMiB();
      }
      await context.close();
    }
    return {
      readyMs: ide.readyMs,
      idleMiB,
      openMiB,
      editorColdMs: editorMs[0],
      editorWarmMs: summarize(editorMs.slice(1)),
    };
  } finally {
    await browser.close();
    ide.stop();
  }
}
