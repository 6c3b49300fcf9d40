/**
 * npm packages in a project (docs/packages.md), installed from the fixture registry
 * (tests/fixtures/registry/, reached as http://registry.test/ through the stand-in internet): an App
 * importing hono and nanoid answers, a second project is served from the package cache, a save that
 * changes no package.json asks the registry nothing, and every refusal is a 422 naming the package.
 * One file, run in order: the registry's offline switch and its request counts are shared.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { packageCache } from "../../../server/packages/cache-stub";
import type { CodeResponse, VersionsResponse } from "../../../shared/api";
import { api, app, createProject, deploy, on, putCode } from "../support/helpers";

import { counts, honoApp, REGISTRY, refused, setOffline, single, zodWorker } from "./package-apps";

describe("npm packages", () => {
  it("installs hono and nanoid, and the app answers with them", async () => {
    const project = await createProject();
    const saved = await deploy(project, honoApp({ hono: "^4.0.0", nanoid: "^5.0.0" }));
    expect(saved.packages).toEqual([
      { name: "hono", version: "4.0.0" },
      { name: "nanoid", version: "5.0.0" },
    ]);
    expect(saved.installed?.map((r) => [r.name, r.fromCache])).toEqual([
      ["hono", false],
      ["nanoid", false],
    ]);
    const response = await app(project);
    const body = (await response.json()) as { id: string; hono: boolean };
    expect(body.hono).toBe(true);
    expect(body.id).toMatch(/^[\w-]{8}$/);
  });

  it("serves a second project from the cache: the registry is not asked again", async () => {
    const before = await counts();
    const project = await createProject();
    const saved = await deploy(project, honoApp({ hono: "^4.0.0", nanoid: "^5.0.0" }));
    expect(saved.packages?.map((p) => p.name)).toEqual(["hono", "nanoid"]);
    expect(saved.installed?.every((r) => r.fromCache)).toBe(true);
    expect(await counts()).toEqual(before);
    expect((await app(project)).status).toBe(200);
  });

  it("keeps the lock when package.json does not change, and shows it in the code and the versions", async () => {
    const project = await createProject();
    const files = honoApp({ hono: "^4.0.0", nanoid: "^5.0.0" });
    await deploy(project, files);
    const before = await counts();
    const changed = { ...files, "app.ts": files["app.ts"].replace("nanoid(8)", "nanoid(10)") };
    const saved = await deploy(project, changed);
    expect(saved.version).toBe(2);
    expect(await counts()).toEqual(before);
    const body = (await (await app(project)).json()) as { id: string };
    expect(body.id).toHaveLength(10);

    const code = (await api.call("getCode", on(project))) as CodeResponse;
    expect(code.lock?.map((e) => `${e.name}@${e.version}`)).toEqual(["hono@4.0.0", "nanoid@5.0.0"]);
    expect(code.lock?.[0]?.integrity).toMatch(/^sha512-/);
    expect(code.lock?.[0]?.resolved).toBe(`${REGISTRY}hono/-/hono-4.0.0.tgz`);
    const versions = (await api.call("listVersions", on(project))) as VersionsResponse;
    expect(versions.versions.map((v) => v.lock?.length)).toEqual([2, 2]);
  });

  it("brings the locked versions back on a restore and a fork", async () => {
    const project = await createProject();
    await deploy(project, honoApp({ hono: "^4.0.0", nanoid: "^5.0.0" }));
    await deploy(project, single("", '    return new Response("no packages");'));
    expect((await api.call("getCode", on(project))).lock).toEqual([]);
    const restored = await api.send("restoreVersion", {
      params: { id: project.id, version: 1 },
      credential: project.token,
      body: { data: false },
    });
    expect(restored.status, await restored.clone().text()).toBe(200);
    const code = (await api.call("getCode", on(project))) as CodeResponse;
    expect(code.version).toBe(3);
    expect(code.lock?.map((e) => `${e.name}@${e.version}`)).toEqual(["hono@4.0.0", "nanoid@5.0.0"]);
    expect(((await (await app(project)).json()) as { hono: boolean }).hono).toBe(true);

    const forked = await api.send("forkProject", { ...on(project), body: {} });
    expect(forked.status).toBe(201);
    const copy = (await forked.json()) as Awaited<ReturnType<typeof createProject>>;
    expect(((await api.call("getCode", on(copy))) as CodeResponse).lock).toEqual(code.lock);
    expect((await app(copy)).status).toBe(200);

    const exported = (await (await api.send("exportProject", on(project))).json()) as { lock?: unknown };
    expect(exported.lock).toEqual(code.lock);
  });

  it("bundles a CommonJS-only package, its named exports included", async () => {
    const project = await createProject();
    await deploy(
      project,
      single(
        'import { greet, answer } from "cjs-only";\nimport whole from "cjs-only";',
        '    return Response.json({ greeting: greet("you"), answer, whole: Object.keys(whole) });',
        { "cjs-only": "1.0.0" },
      ),
    );
    expect(await (await app(project)).json()).toEqual({
      greeting: "hello you",
      answer: 42,
      whole: ["greet", "answer"],
    });
  });

  it("refuses a package's require() and import() of a computed name when they run, naming the module", async () => {
    const project = await createProject();
    await deploy(
      project,
      single(
        'import { load, loadLater } from "computed-names";',
        `    const required = (() => { try { load("node:fs"); return "loaded"; } catch (error) { return String(error); } })();
    return loadLater("node:fs").then(() => "loaded", String).then((imported) => Response.json({ required, imported }));`,
        { "computed-names": "1.0.0" },
      ),
    );
    expect(await (await app(project)).json()).toEqual({
      required:
        'Error: require("node:fs") of a computed name is not supported in packages (node_modules/computed-names@1.0.0/load.cjs)',
      imported:
        "Error: import() of a computed name is not supported in packages (node_modules/computed-names@1.0.0/index.mjs)",
    });
  });

  it("resolves an import package.json does not list to its latest version, with a warning naming both", async () => {
    const project = await createProject();
    const saved = await deploy(
      project,
      single('import { nanoid } from "nanoid";', "    return new Response(nanoid());"),
    );
    expect(saved.packages).toEqual([{ name: "nanoid", version: "5.0.0" }]);
    expect(saved.warnings.map((w) => w.message).join("\n")).toMatch(
      /'nanoid' is imported but not listed in package\.json: used nanoid@5\.0\.0/,
    );
  });

  it("refuses a package the registry does not have, naming it and the registry", async () => {
    const project = await createProject();
    const error = await refused(
      project,
      single('import x from "no-such-package";', "    return new Response(String(x));"),
    );
    expect(error.code).toBe("package_error");
    expect(error.message).toContain(`'no-such-package' was not found in the registry ${REGISTRY}`);
    expect(error.details?.diagnostics?.[0]).toMatchObject({ file: "app.ts", line: 2 });
  });

  it("refuses a tarball that does not match its integrity, and one with a path outside the package", async () => {
    const project = await createProject();
    const tampered = await refused(
      project,
      single('import { tampered } from "bad-integrity";', "    return new Response(String(tampered));"),
    );
    expect(tampered.message).toMatch(/Integrity check failed for 'bad-integrity@1\.0\.0'/);
    const evil = await refused(
      project,
      single('import { ok } from "evil-path";', "    return new Response(String(ok));"),
    );
    expect(evil.message).toMatch(/evil-path@1\.0\.0's tarball has an entry outside the package/);
    const stats = await packageCache(env).stats();
    expect(stats.packages.filter((p) => p.startsWith("bad-integrity") || p.startsWith("evil-path"))).toEqual([]);
  });

  it("needs nodejs_compat for a package's bare Node built-in: refused without it, bundled with it", async () => {
    const project = await createProject();
    const files = single('import { hex } from "needs-node";', '    return new Response(hex("hi"));', {
      "needs-node": "1.0.0",
    });
    const error = await refused(project, files);
    expect(error.message).toMatch(
      /needs-node@1\.0\.0 \(index\.js\) needs the Node built-in 'buffer': add the nodejs_compat compatibility flag/,
    );
    // An app that imports a node: module runs with nodejs_compat.
    const withFlag = {
      ...files,
      "app.ts": files["app.ts"].replace("import { hex }", 'import "node:crypto";\nimport { hex }'),
    };
    await deploy(project, withFlag);
    expect(await (await app(project)).text()).toBe("6869");
  });

  it("runs a Worker project whose objects use zod", async () => {
    const project = await createProject();
    const saved = await deploy(project, zodWorker);
    expect(saved.packages).toEqual([{ name: "zod", version: "3.22.0" }]);
    const good = await app(project, "/", { method: "POST", body: JSON.stringify({ title: "hi" }) });
    expect(await good.json()).toEqual({ ok: true, title: "hi" });
    const bad = await app(project, "/", { method: "POST", body: JSON.stringify({ title: "" }) });
    expect(await bad.json()).toEqual({ ok: false });
  });

  it("saves offline from the cache, and names the package and the registry it could not reach otherwise", async () => {
    await setOffline(true);
    try {
      const project = await createProject();
      const saved = await deploy(
        project,
        single('import { greet } from "cjs-only";', '    return new Response(greet("offline"));', {
          "cjs-only": "1.0.0",
        }),
      );
      expect(saved.installed?.every((r) => r.fromCache)).toBe(true);
      expect(await (await app(project)).text()).toBe("hello offline");

      const error = await refused(
        project,
        single(
          'import { customAlphabet } from "nanoid/non-secure";',
          "    return new Response(String(customAlphabet));",
          { "never-fetched": "1.0.0" },
        ),
      );
      expect(error.message).toContain(`Could not reach the registry ${REGISTRY} for 'never-fetched'`);
    } finally {
      await setOffline(false);
    }
  });

  it("compiles .tsx with the tsconfig's jsxImportSource (hono/jsx), path aliases, and keeps client files it does not import", async () => {
    const project = await createProject();
    const saved = await deploy(project, {
      "package.json": JSON.stringify({ dependencies: { hono: "^4.0.0" } }),
      "tsconfig.json": `{
  // As wrangler's templates write it: comments allowed.
  "compilerOptions": { "jsx": "react-jsx", "jsxImportSource": "hono/jsx", "baseUrl": ".", "paths": { "@/*": ["./src/*"] } }
}`,
      "app.ts": `import { DurableObject } from "cloudflare:workers";
import { page } from "@/page";

export class App extends DurableObject {
  fetch() {
    return new Response(page("packages"), { headers: { "content-type": "text/html" } });
  }
}
`,
      "src/page.tsx": 'export const page = (name: string) => (<h1 class="title">Hello {name}</h1>).toString();\n',
      // Client-side code the server never imports: kept in the project, not installed or loaded.
      "client/main.tsx": 'import { createRoot } from "react-dom/client";\ncreateRoot(document.body);\n',
    });
    expect(saved.packages).toEqual([{ name: "hono", version: "4.0.0" }]);
    expect(await (await app(project)).text()).toBe('<h1 class="title">Hello packages</h1>');
    const code = (await api.call("getCode", on(project))) as CodeResponse;
    expect(Object.keys(code.files)).toContain("client/main.tsx");
  });

  it("takes a wrangler config without main when the save names it, as `wrangler dev src/index.ts` does", async () => {
    const project = await createProject();
    const files = {
      ...zodWorker,
      "wrangler.jsonc": zodWorker["wrangler.jsonc"].replace('"main": "src/index.ts",\n', ""),
    };
    const unnamed = await refused(project, files);
    expect(unnamed.message).toMatch(/wrangler\.jsonc needs "main"/);
    const response = await putCode(project, files, "src/index.ts");
    expect(response.status, await response.clone().text()).toBe(200);
    const answer = await app(project, "/", { method: "POST", body: JSON.stringify({ title: "no main" }) });
    expect(await answer.json()).toEqual({ ok: true, title: "no main" });
  });
});
