import { describe, expect, it } from "vitest";
import type { ErrorBody } from "../../../shared/api";
import spinAndThrow from "../fixtures/apps/spin-and-throw.ts?raw";
import throwingConstructor from "../fixtures/unchecked/throwing-constructor.ts?raw";
import { api, app, appWith, counterApp, createProject, deploy, on, putCode } from "../support/helpers";

describe("code that loops forever", () => {
  it("stops a loop in fetch with an error naming its line, and the app keeps serving", async () => {
    const project = await createProject();
    await deploy(project, { "app.ts": spinAndThrow });
    const spun = await app(project, "/spin");
    expect(spun.status).toBe(500);
    expect(await spun.text()).toMatch(/The loop at app\.ts:7 ran for over 3 s/);
    expect(await (await app(project, "/")).text()).toBe("fine");
  });

  it("stops a loop without braces, and a for loop in a helper function", async () => {
    const project = await createProject();
    await deploy(
      project,
      appWith(
        `    let n = 0;
    if (new URL(request.url).pathname === "/a") while (n >= 0) n++;
    return new Response(String(spin()));`,
        `function spin() { let x = 0; for (;;) x++; return x; }`,
      ),
    );
    expect(await (await app(project, "/a")).text()).toMatch(/The loop at app\.ts:6/);
    expect(await (await app(project, "/b")).text()).toMatch(/The loop at app\.ts:2/);
  });

  it("refuses a module whose top level loops forever, and keeps the live version", async () => {
    const project = await createProject();
    await deploy(project, counterApp("live"));
    const response = await putCode(project, {
      "app.ts": `import { DurableObject } from "cloudflare:workers";\nlet i = 0;\nwhile (true) { i++; }\nexport class App extends DurableObject {}\n`,
    });
    expect(response.status).toBe(422);
    const diagnostic = ((await response.json()) as ErrorBody).error.details?.diagnostics?.[0];
    expect(diagnostic?.message).toMatch(/loop at app\.ts:3/);
    expect((await app(project)).headers.get("x-app-version")).toBe("1");
  });

  it("does not stop a long loop that finishes in time", async () => {
    const project = await createProject();
    await deploy(
      project,
      appWith(
        `    let sum = 0;\n    for (let i = 0; i < 2_000_000; i++) sum += i;\n    return new Response(String(sum));`,
      ),
    );
    expect(await (await app(project)).text()).toBe(String((2_000_000 * 1_999_999) / 2));
  });
});

describe("code that throws", () => {
  it("answers an exception in fetch with a 500 carrying the message and stack", async () => {
    const project = await createProject();
    await deploy(project, appWith(`    throw new TypeError("fetch exploded");`));
    const response = await app(project, "/x", { headers: { accept: "text/html" } });
    expect(response.status).toBe(500);
    expect(response.headers.get("x-app-version")).toBe("1");
    const page = await response.text();
    expect(page).toContain("fetch exploded");
    expect(page).toContain("app.ts:5");
  });

  it("refuses code whose constructor throws, at the line it threw, and the live version keeps serving", async () => {
    const project = await createProject();
    await deploy(project, counterApp("live"));
    const response = await putCode(project, { "app.ts": throwingConstructor });
    expect(response.status).toBe(422);
    const refusal = (await response.json()) as ErrorBody;
    expect(refusal.error.message).toMatch(/^The code was not deployed: app\.ts:5:\d+ .*constructor exploded/);
    expect(refusal.error.details?.diagnostics?.[0]).toMatchObject({
      file: "app.ts",
      line: 5,
      column: 11,
      message: "The App's constructor threw Error: constructor exploded",
    });
    expect(refusal.error.details?.liveVersion).toBe(1);
    const live = await app(project);
    expect(live.headers.get("x-app-version")).toBe("1");
    expect(await live.text()).toBe("live rows=1");
    const versions = await api.call("listVersions", on(project));
    expect(versions.versions.map((v) => v.version)).toEqual([1]);
    // The next save takes the number the refused one did not keep.
    expect((await deploy(project, counterApp("fixed"))).version).toBe(2);
    expect(await (await app(project)).text()).toBe("fixed rows=2");
  });

  it("refuses a SQL error in the constructor at its line and column, on a project's first save too", async () => {
    const project = await createProject();
    const files = appWith(`    return new Response("never");`, "");
    const source = (files["app.ts"] ?? "").replace(
      "export class App extends DurableObject {\n",
      `export class App extends DurableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    this.ctx.storage.sql.exec("SELEC 1");
  }
`,
    );
    const response = await putCode(project, { "app.ts": source });
    expect(response.status).toBe(422);
    const diagnostic = ((await response.json()) as ErrorBody).error.details?.diagnostics?.[0];
    const line = source.split("\n").findIndex((l) => l.includes("SELEC 1"));
    expect(diagnostic).toMatchObject({
      file: "app.ts",
      line: line + 1,
      column: source.split("\n")[line]!.indexOf("exec") + 1,
    });
    expect(diagnostic?.message).toMatch(/syntax error/);
    expect((await app(project)).status).toBe(404);
    const logs = await api.call("readLogs", { ...on(project), query: { kind: "save-error" } });
    expect(logs.entries).toHaveLength(1);
  });

  it("refuses a draft whose constructor throws on the draft's data; the draft before it stays", async () => {
    const project = await createProject();
    await deploy(project, counterApp("live"));
    const first = await api.send("putDraftCode", {
      ...on(project),
      body: { files: { "app.ts": throwingConstructor } },
    });
    expect(first.status).toBe(422);
    expect(((await first.json()) as ErrorBody).error.details?.diagnostics?.[0]).toMatchObject({
      file: "app.ts",
      line: 5,
    });
    expect((await api.call("getDraft", on(project))).draft).toBeNull();
    await api.call("putDraftCode", { ...on(project), body: { files: counterApp("draft") } });
    const again = await api.send("putDraftCode", {
      ...on(project),
      body: { files: { "app.ts": throwingConstructor } },
    });
    expect(again.status).toBe(422);
    expect((await api.call("getDraft", on(project))).draft).toMatchObject({ revision: 1, files: counterApp("draft") });
  });

  it("shows a constructor's error with the app's frames and never the IDE's paths", async () => {
    const project = await createProject();
    // A constructor that throws only on the live data's second start: accepted, then failing on requests.
    const source = `import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    if (ctx.storage.kv.get("broken")) throw new RangeError("broken on purpose");
    ctx.storage.kv.put("broken", true);
  }
  async fetch(): Promise<Response> {
    return new Response("ok");
  }
}
`;
    await deploy(project, { "app.ts": source });
    await api.call("setEnv", {
      params: { id: project.id, name: "RESTART" },
      credential: project.token,
      body: { value: "1" },
    });
    const response = await app(project);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toContain("RangeError: broken on purpose");
    expect(text).toContain("app.ts:5:");
    expect(text).not.toMatch(/file:\/\/|facet_ide|index\.js|app\.js/);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const logs = await api.call("readLogs", { ...on(project), query: { kind: "exception" } });
    const stack = logs.entries.at(-1)?.kind === "exception" ? (logs.entries.at(-1) as { stack?: string }).stack : "";
    expect(stack).toContain("app.ts:5:");
    expect(stack).not.toMatch(/file:\/\/|facet_ide|index\.js|app\.js/);
  });

  it("names an object's constructor error by the project's file, in a Worker project, and never the IDE's paths", async () => {
    const project = await createProject();
    const worker = `import { DurableObject } from "cloudflare:workers";
export class Broken extends DurableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    throw new TypeError("object constructor exploded");
  }
  ping() {
    return "pong";
  }
}
export default {
  async fetch(request: Request, env: { BROKEN: DurableObjectNamespace<Broken> }) {
    if (new URL(request.url).pathname === "/rpc") return new Response(await env.BROKEN.getByName("a").ping());
    return env.BROKEN.getByName("a").fetch(request);
  },
};
`;
    const config = JSON.stringify({
      main: "src/index.ts",
      compatibility_date: "2026-01-01",
      durable_objects: { bindings: [{ name: "BROKEN", class_name: "Broken" }] },
      migrations: [{ tag: "v1", new_sqlite_classes: ["Broken"] }],
    });
    await deploy(project, { "wrangler.jsonc": config, "src/index.ts": worker });
    for (const path of ["/", "/rpc"]) expect((await app(project, path)).status).toBe(500);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const logs = await api.call("readLogs", { ...on(project), query: { kind: "exception", object: "Broken" } });
    expect(logs.entries.length).toBeGreaterThanOrEqual(2);
    for (const entry of logs.entries) {
      if (entry.kind !== "exception") continue;
      expect(entry).toMatchObject({ name: "TypeError", message: "object constructor exploded" });
      expect(entry.stack).toContain("src/index.ts:5:");
      expect(entry.stack).not.toMatch(/file:\/\/|facet_ide|index\.js/);
    }
  });

  it("keeps serving after a background promise rejects", async () => {
    const project = await createProject();
    await deploy(
      project,
      appWith(`    Promise.reject(new Error("background failure"));\n    return new Response("still here");`),
    );
    expect(await (await app(project)).text()).toBe("still here");
    expect(await (await app(project)).text()).toBe("still here");
  });
});
