/**
 * Issues 12 and 19: the IDE says what an app is (an App project is one Durable Object; a wrangler.jsonc
 * makes a Worker project with many) where code written for the other kind meets it.
 */
import { expect, test } from "@playwright/test";
import { createProject, expectTerminal, preview, replaceCode } from "./helpers";

const routesByName = `import { DurableObject } from "cloudflare:workers";

export class App extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    const room = new URL(request.url).pathname.slice(1) || "lobby";
    return this.env.ROOMS.getByName(room).fetch(request);
  }
}
`;

test("the blank project's skeleton says an app is one Durable Object and how to adapt routing by name", async ({
  page,
}) => {
  await createProject(page, "Blank");
  const editor = page.locator(".monaco-editor .view-lines");
  await expect(editor).toContainText("Your app is one Durable Object");
  await expect(editor).toContainText("env.ROOMS.getByName(room)");
  await expect(editor).toContainText("Add its");
});

test("code that routes by name saves with a warning mark, and its error is explained", async ({ page }) => {
  await createProject(page, "Blank");
  await replaceCode(page, routesByName);
  await page.keyboard.press("ControlOrMeta+S");
  await expect(page.getByTestId("status-bar")).toContainText("v1 live");

  // The save's warning is a yellow mark on the call; hovering it says what an app is. TypeScript's
  // type error on `env.ROOMS` (the save's type check) is a yellow mark too: hover each until one says it.
  const squiggles = page.locator(".monaco-editor .squiggly-warning");
  await expect(squiggles.first()).toBeVisible();
  const explained = page.locator(".monaco-hover").filter({ hasText: "this is an App project, one Durable Object" });
  await expect(async () => {
    for (const squiggle of await squiggles.all()) {
      await page.mouse.move(0, 0);
      await squiggle.hover({ force: true });
      if (
        await explained.waitFor({ state: "visible", timeout: 1500 }).then(
          () => true,
          () => false,
        )
      )
        return;
    }
    throw new Error("no warning mark explains what an App project is");
  }).toPass({ timeout: 20_000 });
  // The warning was printed with the save; the type check's note and the preview's request came after
  // it, so a person scrolls the terminal back to read it.
  await page.locator(".xterm-screen").hover();
  await page.mouse.wheel(0, -3000);
  await expectTerminal(page, "env.ROOMS.getByName() will throw");
  await page.mouse.wheel(0, 3000);

  // Running it: the preview's error page and the terminal explain the TypeError.
  await expect(preview(page).getByText("getByName() was called on something env does not have")).toBeVisible();
  await expectTerminal(page, "Cannot read properties of undefined (reading 'getByName')");
  await expectTerminal(page, "getByName() was called on something env does not have");
  await page.screenshot({ path: test.info().outputPath("warning.png") });
});

test("a Worker with a class under another name is refused with the line that makes it an app", async ({ page }) => {
  await createProject(page, "Blank");
  await replaceCode(
    page,
    `import { DurableObject } from "cloudflare:workers";

export default {
  async fetch(request: Request, env: { ROOMS: DurableObjectNamespace }) {
    return env.ROOMS.getByName("lobby").fetch(request);
  },
};

export class ChatRoom extends DurableObject {
  async fetch() {
    return new Response("room");
  }
}
`,
  );
  await page.getByTestId("save-button").click();
  const problem = page.getByTestId("save-problem");
  await expect(problem).toContainText("is an App project, one Durable Object");
  await expect(problem).toContainText("make it a Worker project by adding a wrangler.jsonc that binds it");
  await expect(problem).toContainText("export { ChatRoom as App };");
  await page.screenshot({ path: test.info().outputPath("refused.png") });
});
