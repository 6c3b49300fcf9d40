/** TypeScript's check of a save (warnings in the terminal and the answer) and the packages' types in the editor. */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { matchRoute } from "../../shared/http/routes";
import { apiOf, createProject, expectTerminal, preview, replaceCode, tokenOf } from "./helpers";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Hono's declaration files and package.json as GET .../types answers them (the IDE's own copy of hono). */
function honoTypes(): Record<string, string> {
  const dir = join(ROOT, "node_modules", "hono");
  const files: Record<string, string> = {
    "node_modules/hono/package.json": readFileSync(join(dir, "package.json"), "utf8"),
  };
  for (const name of readdirSync(join(dir, "dist", "types"), { recursive: true, encoding: "utf8" })) {
    if (!name.endsWith(".d.ts")) continue;
    const path = join(dir, "dist", "types", name);
    files[`node_modules/hono/${relative(dir, path)}`] = readFileSync(path, "utf8");
  }
  return files;
}

test("a save with a type error goes live, and the terminal lists the error with file:line:column", async ({ page }) => {
  await createProject(page, "Blank");
  await replaceCode(
    page,
    `import { DurableObject } from "cloudflare:workers";

export class App extends DurableObject {
  count: number = "many";
  async fetch(): Promise<Response> {
    return new Response("typed loosely");
  }
}
`,
  );
  await page.keyboard.press("ControlOrMeta+S");
  await expect(preview(page).locator("body")).toHaveText("typed loosely");
  // The first check loads TypeScript into its isolate, which may outlast the save's answer.
  await expectTerminal(page, "1 type error (it runs anyway)", 60_000);
  await expectTerminal(page, "app.ts:4:3 Type 'string' is not assignable to type 'number'.");
  await page.screenshot({ path: "test-results/type-check-terminal.png" });
});

test("the editor autocompletes a Hono method from the packages' types", async ({ page }) => {
  const types = honoTypes();
  // The live version's types, as GET .../types answers once hono is locked.
  await page.route(
    (url) => matchRoute("GET", url.pathname)?.name === "getTypes",
    (route) => route.fulfill({ json: { version: 1, files: types } }),
  );
  await createProject(page, "Blank");
  await replaceCode(
    page,
    `import { Hono } from "hono";

const app = new Hono();
app`,
  );
  await page.keyboard.type(".");
  const suggestions = page.locator(".monaco-editor .suggest-widget");
  await expect(suggestions).toBeVisible({ timeout: 30_000 });
  await expect(suggestions.getByRole("option", { name: /^get\b/ }).first()).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: "test-results/hono-autocomplete.png" });
  await page.keyboard.press("Escape");
  // A wrong call is a type error too: route() wants a path first.
  await page.keyboard.type("route(42);");
  await expect(page.locator(".monaco-editor .squiggly-error").first()).toBeVisible({ timeout: 30_000 });
});

test("an app importing hono runs, and the editor completes its methods from the installed types", async ({ page }) => {
  await createProject(page, "Blank");
  await page.getByRole("button", { name: "New file" }).click();
  await page.getByLabel("File name").fill("package.json");
  await page.getByLabel("File name").press("Enter");
  await replaceCode(page, `{ "dependencies": { "hono": "^4.0.0", "nanoid": "^5.0.0" } }\n`);
  await page.getByRole("tab", { name: /app\.ts/ }).click();
  await replaceCode(
    page,
    `import { DurableObject } from "cloudflare:workers";
import { Hono } from "hono";
import { nanoid } from "nanoid";

export class App extends DurableObject {
  #app = new Hono().get("/", (c) => c.text(\`hello from hono, id \${nanoid(10)}\`));
  fetch(request: Request) {
    return this.#app.fetch(request);
  }
}
`,
  );
  await page.keyboard.press("ControlOrMeta+S");
  await expect(preview(page).locator("body")).toHaveText(/^hello from hono, id [\w-]{10}$/, { timeout: 60_000 });
  await expectTerminal(page, /installed hono 4\.\d+\.\d+ \(.+\) in \d+ ms|hono 4\.\d+\.\d+ from cache/);

  // The types arrive with the version that locked hono; a person types a call on the app.
  await page.locator(".monaco-editor .view-lines").click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.insertText("\nconst api = new Hono();\napi");
  await page.keyboard.type(".");
  const suggestions = page.locator(".monaco-editor .suggest-widget");
  await expect(suggestions.getByRole("option", { name: /^basePath\b/ }).first()).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: "test-results/hono-installed.png" });
});

test("a Worker project whose object validates with zod answers in the preview", async ({ page }) => {
  const id = await createProject(page, "Blank");
  const files = {
    "package.json": JSON.stringify({ dependencies: { zod: "^3.22.0" } }),
    "wrangler.jsonc": JSON.stringify({
      name: "zod-worker",
      main: "src/index.ts",
      compatibility_date: "2026-01-01",
      durable_objects: { bindings: [{ name: "NOTES", class_name: "Notes" }] },
      migrations: [{ tag: "v1", new_sqlite_classes: ["Notes"] }],
    }),
    "src/index.ts": `import { DurableObject } from "cloudflare:workers";
import { z } from "zod";

const Title = z.string().min(3);

export class Notes extends DurableObject {
  async fetch(request: Request) {
    const title = new URL(request.url).searchParams.get("title") ?? "";
    const parsed = Title.safeParse(title);
    return new Response(parsed.success ? \`saved \${parsed.data}\` : \`refused: \${parsed.error.issues[0]?.message}\`);
  }
}

export default {
  fetch(request: Request, env: { NOTES: DurableObjectNamespace<Notes> }) {
    return env.NOTES.getByName("main").fetch(request);
  },
};
`,
  };
  await apiOf(page.request).call("putCode", { params: { id }, credential: await tokenOf(page, id), body: { files } });
  await expect(page.getByTestId("status-bar")).toContainText("v1 live");

  await page.getByLabel("Preview path").fill("/?title=groceries");
  await page.getByLabel("Preview path").press("Enter");
  await expect(preview(page).locator("body")).toHaveText("saved groceries", { timeout: 30_000 });
  await page.getByLabel("Preview path").fill("/?title=ab");
  await page.getByLabel("Preview path").press("Enter");
  await expect(preview(page).locator("body")).toHaveText(/^refused: String must contain at least 3 character/);
});
