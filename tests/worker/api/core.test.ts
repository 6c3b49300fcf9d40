import { describe, expect, it } from "vitest";
import type { CodeResponse, ErrorBody } from "../../../shared/api";
import { api, app, appWith, counterApp, createProject, deploy, on, putCode } from "../support/helpers";

describe("projects", () => {
  it("creates a project with a token and a preview URL on its own origin", async () => {
    const response = await api.send("createProject", { body: { name: "My Notes App!" } });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; token: string; previewUrl: string };
    expect(body.id).toBe("my-notes-app");
    expect(body.token.length).toBeGreaterThan(30);
    expect(body.previewUrl).toBe("http://my-notes-app.localhost:5173/");
  });

  it("refuses a name already taken with 409", async () => {
    await api.send("createProject", { body: { name: "taken" } });
    const again = await api.send("createProject", { body: { name: "taken" } });
    expect(again.status).toBe(409);
    expect(((await again.json()) as ErrorBody).error.code).toBe("conflict");
  });

  it("draws a random DNS-label id when no name is given", async () => {
    const response = await api.send("createProject", { body: {} });
    const { id } = (await response.json()) as { id: string };
    expect(id).toMatch(/^[a-z0-9-]{1,40}$/);
  });

  it("starts new projects on the sample app, which persists notes and logs", async () => {
    const project = await createProject("notes");
    const info = await api.call("getProject", on(project));
    expect(info.version).toBe(1);
    expect(info.codeId).toMatch(new RegExp(`^${project.id}:`));
    const post = await app(project, "/notes", {
      method: "POST",
      body: new URLSearchParams({ text: "hello from a test" }),
      redirect: "manual",
    });
    expect(post.status).toBe(303);
    const page = await app(project, "/");
    expect(page.headers.get("x-app-version")).toBe("1");
    expect(await page.text()).toContain("hello from a test");
  });

  it("serves a page that says so when a project has no code yet", async () => {
    const project = await createProject("blank");
    const response = await app(project, "/");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("No code yet");
  });

  it("answers 404 on the preview origin of a project that does not exist", async () => {
    const response = await app({ id: "no-such-project-here" }, "/");
    expect(response.status).toBe(404);
  });
});

describe("auth", () => {
  it("needs a token (401), the right one (403), and a project that exists (404)", async () => {
    const project = await createProject();
    expect((await api.send("getProject", { params: { id: project.id } })).status).toBe(401);
    expect((await api.send("getProject", { params: { id: project.id }, credential: "wrong-token" })).status).toBe(403);
    expect((await api.send("getProject", { params: { id: "does-not-exist" }, credential: project.token })).status).toBe(
      404,
    );
    expect((await api.send("getCode", { params: { id: project.id }, credential: "x" })).status).toBe(403);
    const other = await createProject();
    expect((await api.send("getProject", { params: { id: project.id }, credential: other.token })).status).toBe(403);
  });
});

describe("code and hot swap", () => {
  it("swaps versions: the next request runs the new code and the data written under v1 is kept", async () => {
    const project = await createProject();
    const v1 = await deploy(project, counterApp("v1"));
    expect(v1).toMatchObject({ version: 1, created: true });
    expect(await (await app(project)).text()).toBe("v1 rows=1");
    expect(await (await app(project)).text()).toBe("v1 rows=2");
    const v2 = await deploy(project, counterApp("v2"));
    expect(v2.version).toBe(2);
    const response = await app(project);
    expect(response.headers.get("x-app-version")).toBe("2");
    expect(await response.text()).toBe("v2 rows=3");
  });

  it("returns the live version and creates nothing when the content is unchanged", async () => {
    const project = await createProject();
    const first = await deploy(project, counterApp("same"));
    const second = await deploy(project, counterApp("same"));
    // Nothing was saved, so nothing was type-checked: the answer has no typeCheck.
    const { typeCheck: _checked, ...firstAnswer } = first;
    expect(second).toEqual({ ...firstAnswer, created: false });
    const versions = await api.call("listVersions", on(project));
    expect(versions.versions).toHaveLength(1);
  });

  it("reads back the code and lists versions newest first", async () => {
    const project = await createProject();
    await deploy(project, counterApp("a"));
    await deploy(project, counterApp("b"));
    const code = await api.call("getCode", on(project));
    expect(code.version).toBe(2);
    expect(code.main).toBe("app.ts");
    expect(code.files["app.ts"]).toContain('"b"');
    const list = await api.call("listVersions", on(project));
    expect(list.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(list.versions[0]?.files).toEqual(["app.ts"]);

    const first = await api.send("getVersion", { params: { id: project.id, version: 1 }, credential: project.token });
    expect(first.status).toBe(200);
    const v1 = (await first.json()) as CodeResponse;
    expect(v1).toMatchObject({ version: 1, main: "app.ts" });
    expect(v1.files["app.ts"]).toContain('"a"');
    const missing = await api.send("getVersion", { params: { id: project.id, version: 9 }, credential: project.token });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "not_found", message: "No version 9" } });
    const bad = await api.send("getVersion", { params: { id: project.id, version: "one" }, credential: project.token });
    expect(bad.status).toBe(400);
    expect((await api.send("getVersion", { params: { id: project.id, version: 1 }, credential: "wrong" })).status).toBe(
      403,
    );
  });

  it("refuses a save edited from an older version (409), and replaces it when asked without baseVersion", async () => {
    const project = await createProject();
    const put = (files: Record<string, string>, baseVersion?: number | null) =>
      api.send("putCode", { ...on(project), body: baseVersion === undefined ? { files } : { files, baseVersion } });
    // A blank project: null is the base of the first save.
    expect((await put(counterApp("first"), null)).status).toBe(200);
    expect((await put(counterApp("agent"), 1)).status).toBe(200);

    // A tab still editing v1 saves: v2 (the agent's) would be lost, so it is refused and stays live.
    const stale = await put(counterApp("tab"), 1);
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({
      error: {
        code: "conflict",
        message: expect.stringContaining("v2 was saved elsewhere after v1"),
        details: { liveVersion: 2 },
      },
    });
    expect(await (await app(project)).text()).toMatch(/^agent /);
    // Content identical to the live version is no conflict: nothing would change.
    expect((await put(counterApp("agent"), 1)).status).toBe(200);
    // Without baseVersion (or with the live one) the save replaces it.
    expect((await put(counterApp("tab"), 2)).status).toBe(200);
    expect(await (await app(project)).text()).toMatch(/^tab /);
    const bad = await put(counterApp("x"), -1);
    expect(bad.status).toBe(400);
  });

  it("accepts plain JavaScript as well as TypeScript", async () => {
    const project = await createProject();
    await deploy(project, {
      "app.js": `import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject { fetch() { return new Response("plain js"); } }`,
    });
    expect(await (await app(project)).text()).toBe("plain js");
  });

  it("rejects code that does not compile with 422 and a line number, and keeps serving the live version", async () => {
    const project = await createProject();
    await deploy(project, counterApp("good"));
    const response = await putCode(project, appWith(`    return new Response("broken"`));
    expect(response.status).toBe(422);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe("compile_error");
    expect(body.error.details?.diagnostics?.[0]).toMatchObject({ file: "app.ts", line: 6 });
    const live = await app(project);
    expect(live.headers.get("x-app-version")).toBe("1");
    expect(await live.text()).toMatch(/^good rows=/);
  });

  it("rejects a module that throws while starting, pointing at the line", async () => {
    const project = await createProject();
    await deploy(project, counterApp("good"));
    const response = await putCode(project, {
      "app.ts": `import { DurableObject } from "cloudflare:workers";\nconst x = 1;\nthrow new Error("boom at top level");\nexport class App extends DurableObject {}\n`,
    });
    expect(response.status).toBe(422);
    const diagnostic = ((await response.json()) as ErrorBody).error.details?.diagnostics?.[0];
    expect(diagnostic).toMatchObject({ file: "app.ts", line: 3 });
    expect(diagnostic?.message).toContain("boom at top level");
    expect((await app(project)).headers.get("x-app-version")).toBe("1");
  });

  it("rejects code that exports no App class", async () => {
    const project = await createProject();
    const response = await putCode(project, { "app.ts": "export class Foo {}\nexport const bar = 1;\n" });
    expect(response.status).toBe(422);
    const message = ((await response.json()) as ErrorBody).error.details?.diagnostics?.[0]?.message;
    expect(message).toContain("is an App project, one Durable Object: app.ts must export its class as App");
    expect(message).toContain("The class Foo neither extends DurableObject nor has a fetch() method");
  });

  it("accepts the class as the default export", async () => {
    const project = await createProject();
    await deploy(project, {
      "app.ts": `import { DurableObject } from "cloudflare:workers";
export default class Counter extends DurableObject { fetch() { return new Response("default export"); } }`,
    });
    expect(await (await app(project)).text()).toBe("default export");
  });

  it("blocks the network inside the app", async () => {
    const project = await createProject();
    await deploy(
      project,
      appWith(`    try { await fetch("https://example.com/"); return new Response("reached the network"); }
    catch (e) { return new Response("blocked: " + (e as Error).message); }`),
    );
    const text = await (await app(project)).text();
    // Through the project's gateway, whose policy allows nothing yet (tests/worker/network/).
    expect(text).toMatch(/^blocked: Network access to example.com is not allowed/);
  });
});
