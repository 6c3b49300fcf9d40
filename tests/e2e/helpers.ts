/** Shared steps for the IDE's browser tests: open a project as a new user, type in Monaco, read xterm. */
import { type APIRequestContext, expect, type Page } from "@playwright/test";
import { type ApiClient, apiClient } from "../../shared/http/api-client";
import { routes } from "../../shared/http/routes";

/**
 * The typed client of the route table (shared/http/api-client.ts) through Playwright's request context
 * (`page.request` or the `request` fixture): relative paths, on the configured baseURL.
 */
export function apiOf(request: APIRequestContext): ApiClient<typeof routes> {
  return apiClient(routes, {
    fetch: async (url, init) => {
      const answer = await request.fetch(url, {
        method: init.method,
        headers: Object.fromEntries(new Headers(init.headers)),
        data: typeof init.body === "string" ? init.body : undefined,
      });
      return new Response(await answer.text(), { status: answer.status(), headers: answer.headers() });
    },
  });
}

/**
 * Starts from an empty browser profile (Playwright gives each test one) and creates a project from
 * one of the start page's template cards (named by its title).
 */
export async function createProject(page: Page, template = "Guest book"): Promise<string> {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /Facet IDE/ })).toBeVisible();
  await page.getByRole("button", { name: template, exact: true }).click();
  await page.waitForURL(/\/p\/[a-z0-9-]+$/);
  const id = decodeURIComponent(new URL(page.url()).pathname.split("/").pop() ?? "");
  // The workbench's code loads on first use; a cold dev server transforms it first (over 15 s on a busy machine).
  await expect(page.getByTestId("project-name")).toHaveText(id, { timeout: 60_000 });
  await expect(page.locator(".monaco-editor .view-lines")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("status-bar")).toContainText("connected", { timeout: 30_000 });
  return id;
}

/** Replaces the open file's text. insertText types it as one edit, so no auto-closing or auto-indent. */
export async function replaceCode(page: Page, code: string): Promise<void> {
  await page.locator(".monaco-editor .view-lines").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
}

/** The terminal's visible rows as text (the DOM renderer keeps them in `.xterm-rows`). */
export async function terminalScreen(page: Page): Promise<string> {
  const rows = await page.locator(".xterm-rows > div").allTextContents();
  return rows.map((r) => r.replace(/\u00a0/g, " ").trimEnd()).join("\n");
}

export async function expectTerminal(page: Page, text: string | RegExp, timeout = 20_000): Promise<void> {
  await expect
    .poll(() => terminalScreen(page), { timeout, message: `terminal shows ${text}` })
    [typeof text === "string" ? "toContain" : "toMatch"](text as never);
}

/** Types into the terminal like a person: focus it, type, and (by default) press Enter. */
export async function typeInTerminal(page: Page, text: string, { enter = true } = {}): Promise<void> {
  await page.locator(".xterm-screen").click();
  await page.keyboard.type(text);
  if (enter) await page.keyboard.press("Enter");
}

/** The last non-empty row of the terminal: where the prompt and the pending input are. */
export async function promptLine(page: Page): Promise<string> {
  const rows = (await terminalScreen(page)).split("\n").filter((r) => r.trim() !== "");
  return rows[rows.length - 1] ?? "";
}

export const preview = (page: Page) => page.frameLocator('iframe[title="App preview"]');

/** The token of the project this page opened, from the IDE's list of owned projects. */
export async function tokenOf(page: Page, id: string): Promise<string> {
  return page.evaluate((project) => {
    const owned = JSON.parse(localStorage.getItem("facet-ide:projects") ?? "[]") as { id: string; token: string }[];
    return owned.find((p) => p.id === project)?.token ?? "";
  }, id);
}
