import { describe, expect, it } from "vitest";
import type { ErrorBody } from "../../../shared/api";
import spinAndThrow from "../fixtures/apps/spin-and-throw.ts?raw";
import throwingConstructor from "../fixtures/unchecked/throwing-constructor.ts?raw";
import { app, appWith, counterApp, createProject, deploy, putCode } from "../support/helpers";

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

  it("answers an exception in the constructor with a 500, and recovers after a fix", async () => {
    const project = await createProject();
    await deploy(project, {
      "app.ts": throwingConstructor,
    });
    const response = await app(project);
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("constructor exploded");
    await deploy(project, counterApp("fixed"));
    expect(await (await app(project)).text()).toBe("fixed rows=1");
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
