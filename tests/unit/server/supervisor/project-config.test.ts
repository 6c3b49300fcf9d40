/** A Worker project's wrangler.jsonc / wrangler.toml, read as wrangler reads it, with problems where they are. */
import { describe, expect, it } from "vitest";
import { assetFileFor, serveAsset } from "../../../../server/supervisor/app-host/assets";
import { readProjectConfig } from "../../../../shared/project-config";

const main = { "src/index.ts": "export default {}" };

describe("readProjectConfig", () => {
  it("finds no configuration in an App project", () => {
    expect(readProjectConfig({ "app.ts": "" })).toEqual({ ok: true, config: null, warnings: [] });
  });

  it("reads JSONC with comments and trailing commas", () => {
    const read = readProjectConfig({
      ...main,
      "wrangler.jsonc": `{
        // the Worker
        "main": "./src/index.ts",
        "vars": { "GREETING": "hi", "LIMIT": 3, },
        "durable_objects": { "bindings": [{ "name": "ROOMS", "class_name": "Room" },] },
      }`,
    });
    expect(read).toMatchObject({
      ok: true,
      config: {
        file: "wrangler.jsonc",
        main: "src/index.ts",
        vars: { GREETING: "hi", LIMIT: 3 },
        bindings: [{ name: "ROOMS", className: "Room" }],
        assets: null,
      },
      warnings: [],
    });
  });

  it("knows every Durable Object class (bound or from migrations) and the project's module rules", () => {
    const read = readProjectConfig({
      ...main,
      "wrangler.jsonc": JSON.stringify({
        main: "src/index.ts",
        durable_objects: { bindings: [{ name: "ROOMS", class_name: "Room" }] },
        migrations: [
          { tag: "v1", new_sqlite_classes: ["Room", "Old"] },
          { tag: "v2", renamed_classes: [{ from: "Old", to: "Counter" }], new_classes: ["Gone"] },
          { tag: "v3", deleted_classes: ["Gone"] },
        ],
        rules: [{ type: "Data", globs: ["**/*.html"] }],
        exports: {},
      }),
    });
    expect(read).toMatchObject({
      ok: true,
      config: {
        classes: ["Room", "Counter"],
        rules: [{ type: "Data", globs: ["**/*.html"], fallthrough: false }],
      },
      warnings: [{ message: expect.stringContaining("exports: not read here") }],
    });
    const commonjs = readProjectConfig({
      ...main,
      "wrangler.jsonc": JSON.stringify({ main: "src/index.ts", rules: [{ type: "CommonJS", globs: ["**/*.cjs"] }] }),
    });
    expect(commonjs).toMatchObject({ ok: false, diagnostics: [{ message: expect.stringContaining("CommonJS") }] });
  });

  it("reads wrangler.toml, the tutorials' format", () => {
    const read = readProjectConfig({
      ...main,
      "public/index.html": "<p>hi</p>",
      "wrangler.toml": `name = "seat-booking"
main = "src/index.ts"
[assets]
directory = "public"
[[durable_objects.bindings]]
name = "FLIGHT"
class_name = "Flight"
[[migrations]]
tag = "v1"
new_sqlite_classes = ["Flight"]
`,
    });
    expect(read).toMatchObject({
      ok: true,
      config: { bindings: [{ name: "FLIGHT", className: "Flight" }], assets: { directory: "public" } },
    });
  });

  it("points at the line of a syntax error, a missing main and a bad binding", () => {
    const broken = readProjectConfig({ ...main, "wrangler.jsonc": `{\n  "main": "src/index.ts"\n  "vars": {}\n}` });
    expect(broken).toMatchObject({ ok: false, diagnostics: [{ file: "wrangler.jsonc", line: 3 }] });
    const toml = readProjectConfig({ ...main, "wrangler.toml": `main = \n` });
    expect(toml).toMatchObject({ ok: false, diagnostics: [{ file: "wrangler.toml", line: 1 }] });
    const missing = readProjectConfig({ ...main, "wrangler.jsonc": `{ "main": "src/worker.ts" }` });
    expect(missing).toMatchObject({
      ok: false,
      diagnostics: [{ message: 'main "src/worker.ts" is not one of the project\'s files' }],
    });
    const badName = readProjectConfig({
      ...main,
      "wrangler.jsonc": `{\n  "main": "src/index.ts",\n  "durable_objects": { "bindings": [\n    { "name": "my-rooms", "class_name": "Room" }\n  ] }\n}`,
    });
    expect(badName).toMatchObject({
      ok: false,
      diagnostics: [{ line: 4, message: expect.stringContaining("durable_objects.bindings.0.name") }],
    });
    const otherScript = readProjectConfig({
      ...main,
      "wrangler.jsonc": `{ "main": "src/index.ts", "durable_objects": { "bindings": [{ "name": "R", "class_name": "Room", "script_name": "other" }] } }`,
    });
    expect(otherScript).toMatchObject({
      ok: false,
      diagnostics: [{ message: expect.stringContaining("names another Worker's class") }],
    });
  });

  it("warns about bindings a project here cannot have, and accepts the rest", () => {
    const read = readProjectConfig({
      ...main,
      "wrangler.jsonc": `{ "main": "src/index.ts", "kv_namespaces": [{ "binding": "KV", "id": "x" }] }`,
    });
    expect(read).toMatchObject({
      ok: true,
      warnings: [{ message: expect.stringContaining("KV namespaces are not available") }],
    });
  });
});

describe("assets", () => {
  const files = { "public/index.html": "<h1>home</h1>", "public/about.html": "about", "public/css/site.css": "a{}" };
  const assets = {
    directory: "public",
    binding: null,
    htmlHandling: "auto-trailing-slash" as const,
    notFoundHandling: "none" as const,
    runWorkerFirst: false,
  };

  it("maps paths to files as Cloudflare's default html handling does", () => {
    expect(assetFileFor(files, assets, "/")).toBe("public/index.html");
    expect(assetFileFor(files, assets, "/about")).toBe("public/about.html");
    expect(assetFileFor(files, assets, "/css/site.css")).toBe("public/css/site.css");
    expect(assetFileFor(files, assets, "/missing")).toBeNull();
    expect(assetFileFor(files, assets, "/../secret")).toBeNull();
  });

  it("answers with the file's type, or leaves the request to the Worker", async () => {
    const page = serveAsset(files, assets, new Request("http://x/?flightId=1"), { binding: false });
    expect(page?.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page?.text()).toBe("<h1>home</h1>");
    expect(serveAsset(files, assets, new Request("http://x/seats"), { binding: false })).toBeNull();
    expect(serveAsset(files, assets, new Request("http://x/", { method: "POST" }), { binding: false })).toBeNull();
    expect(serveAsset(files, assets, new Request("http://x/seats"))?.status).toBe(404);
  });
});
