/**
 * What an app is (an App project, one Durable Object, or a Worker project with a wrangler.jsonc), as
 * the 422s, the save's warnings, the terminal and the docs say it; the worked example is read from
 * docs/one-object-or-many.md, so it stays true.
 */
import { describe, expect, it } from "vitest";
import guide from "../../../docs/one-object-or-many.md?raw";
import {
  exceptionHint,
  namespaceCallsIn,
  notAnAppDiagnostic,
  notAnAppMessage,
} from "../../../server/supervisor/app-host/app-model";
import type { ErrorBody } from "../../../shared/api";
import { app, appWith, createProject, deploy, putCode } from "../support/helpers";
import { linesOf, openTerminal, waitForLine } from "../support/socket";

/** The code block after `<!-- worked-example:<name> ... -->` in docs/one-object-or-many.md. */
function workedExample(name: string): string {
  const start = guide.indexOf(`<!-- worked-example:${name}`);
  const block = /```(?:ts|jsonc)\n([\s\S]*?)```/.exec(guide.slice(start));
  if (start < 0 || !block?.[1]) throw new Error(`docs/one-object-or-many.md has no worked example '${name}'`);
  return block[1];
}

describe("the 422 for a module that is not one Durable Object", () => {
  it("names the wrangler.jsonc that makes a Worker and its class a Worker project, or the class to export as App", () => {
    const message = notAnAppMessage("app.ts", { default: "worker", ChatRoom: "durable-object" }, ["ROOMS"]);
    expect(message).toContain("is an App project, one Durable Object");
    expect(message).toContain(
      'make it a Worker project by adding a wrangler.jsonc that binds it: { "main": "app.ts", "durable_objects": { "bindings": [{ "name": "ROOMS", "class_name": "ChatRoom" }] } }',
    );
    expect(message).toContain("add `export { ChatRoom as App };` and move the Worker's routing into the class");
    // Without binding names to go by, each class gets one made from its name.
    expect(notAnAppMessage("app.ts", { default: "worker", RateLimiter: "durable-object" })).toContain(
      '{ "name": "RATE_LIMITER", "class_name": "RateLimiter" }',
    );
  });

  it("says how to bind several classes, wrap a Worker, or fix a class with no handlers", () => {
    expect(notAnAppMessage("app.ts", { ChatRoom: "durable-object", RateLimiter: "plain-class" })).toContain(
      "It exports the classes ChatRoom and RateLimiter: add a wrangler.jsonc that binds them",
    );
    expect(notAnAppMessage("app.ts", { default: "worker" })).toContain(
      "Its default export is a Worker ({ fetch }) and it exports no Durable Object class: put its fetch in `export class App extends DurableObject",
    );
    expect(notAnAppMessage("app.ts", { Thing: "class" })).toContain(
      "The class Thing neither extends DurableObject nor has a fetch() method",
    );
    expect(notAnAppMessage("app.ts", {})).toMatch(/it exports nothing\.$/);
  });

  it("points at the class it names, or at the Worker", () => {
    const source = `import { DurableObject } from "cloudflare:workers";\nexport class Room$ extends DurableObject {}\n`;
    expect(notAnAppDiagnostic("app.ts", source, { Room$: "durable-object" })).toMatchObject({ line: 2, column: 8 });
    const worker = `const x = 1;\n\nexport default { fetch() {} };\n`;
    expect(notAnAppDiagnostic("app.ts", worker, { default: "worker" })).toMatchObject({ line: 3, column: 1 });
  });

  it("is what a save of the worked example's 'before' code gets alone, and with its wrangler.jsonc it runs as it is", async () => {
    const project = await createProject();
    const response = await putCode(project, { "app.ts": workedExample("before") });
    expect(response.status).toBe(422);
    const diagnostic = ((await response.json()) as ErrorBody).error.details?.diagnostics?.[0];
    expect(diagnostic?.message).toContain('{ "name": "ROOMS", "class_name": "ChatRoom" }');
    expect(diagnostic?.message).toContain(`see the README's "One object or many"`);
    // Marked where the class is declared, the line the change is about.
    expect(diagnostic).toMatchObject({ file: "app.ts", line: 10, column: 8 });

    const saved = await deploy(project, {
      "app.ts": workedExample("before"),
      "wrangler.jsonc": workedExample("config"),
    });
    expect(saved.warnings).toEqual([]);
    await app(project, "/rooms/red", { method: "POST", body: "hello red" });
    await app(project, "/rooms/blue", { method: "POST", body: "hello blue" });
    expect(await (await app(project, "/rooms/red")).json()).toEqual([{ text: "hello red" }]);
    expect(await (await app(project, "/rooms/blue")).json()).toEqual([{ text: "hello blue" }]);
  });
});

describe("the worked example in docs/one-object-or-many.md", () => {
  it("runs as an App project: each room sees its own messages", async () => {
    const project = await createProject();
    const saved = await deploy(project, { "app.ts": workedExample("after") });
    expect(saved.warnings).toEqual([]);
    await app(project, "/rooms/red", { method: "POST", body: "hello red" });
    await app(project, "/rooms/blue", { method: "POST", body: "hello blue" });
    await app(project, "/rooms/red", { method: "POST", body: "again red" });
    expect(await (await app(project, "/rooms/red")).json()).toEqual([{ text: "hello red" }, { text: "again red" }]);
    expect(await (await app(project, "/rooms/blue")).json()).toEqual([{ text: "hello blue" }]);
  });
});

describe("code that picks objects by name from env", () => {
  it("finds each such call with its line, in every file", () => {
    const found = namespaceCallsIn({
      "app.ts": `const a = 1;\n  const stub = this.env.ROOMS.getByName(room);\n`,
      "lib/limit.ts": `export const id = (env) => env . LIMITERS . idFromName(ip);\n`,
      "data.json": `{"env": "env.X.getByName("}`,
    });
    expect(found.map((d) => `${d.file}:${d.line}:${d.column}`)).toEqual(["app.ts:2:31", "lib/limit.ts:1:45"]);
    expect(found[0]?.message).toMatch(
      /^env\.ROOMS\.getByName\(\) will throw: without a wrangler\.jsonc this is an App project/,
    );
    expect(namespaceCallsIn({ "app.ts": "this.env.GREETING.toUpperCase()" })).toEqual([]);
    // In a Worker project, only a namespace the configuration does not bind.
    const config = {
      file: "wrangler.jsonc",
      main: "app.ts",
      vars: {},
      bindings: [{ name: "ROOMS", className: "Room" }],
      classes: ["Room"],
      rules: [],
      assets: null,
      compatibilityFlags: [],
    };
    const inWorker = namespaceCallsIn({ "app.ts": "env.ROOMS.getByName(a); env.USERS.idFromName(b);" }, config);
    expect(inWorker.map((d) => d.message)).toEqual([
      'env.USERS.idFromName() will throw: wrangler.jsonc binds no Durable Object namespace USERS (it binds ROOMS); add { "name": "USERS", "class_name": "..." } to durable_objects.bindings.',
    ]);
  });

  it("explains the runtime TypeError only for namespace methods", () => {
    expect(exceptionHint("Cannot read properties of undefined (reading 'getByName')")).toMatch(
      /^getByName\(\) was called on something env does not have\. env holds the project's variables and, in a Worker project/,
    );
    expect(exceptionHint("Cannot read properties of undefined (reading 'length')")).toBeNull();
  });

  it("saves with a warning, and the TypeError it gets is explained in the terminal and the error page", async () => {
    const project = await createProject();
    const saved = await deploy(
      project,
      appWith(`    const room = new URL(request.url).pathname.slice(1);
    return this.env.ROOMS.getByName(room).fetch(request);`),
    );
    // TypeScript's own error on env.ROOMS (a "(TS2339)" warning) aside, the save's one warning is this.
    expect(saved.warnings.filter((w) => !/\(TS\d+\)$/.test(w.message))).toEqual([
      expect.objectContaining({ file: "app.ts", line: 6, message: expect.stringContaining("env.ROOMS.getByName()") }),
    ]);
    const terminal = await openTerminal(project);
    await waitForLine(terminal, (e) => e.kind === "system" && e.message.startsWith("app.ts:6:"));

    const response = await app(project, "/lobby");
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("getByName() was called on something env does not have");
    await waitForLine(
      terminal,
      (e) => e.kind === "exception" && e.message === "Cannot read properties of undefined (reading 'getByName')",
    );
    const hint = await waitForLine(terminal, (e) => e.kind === "system" && e.message.startsWith("getByName()"));
    expect(hint.kind === "system" && hint.message).toContain(
      "An App project (no wrangler.jsonc) is one Durable Object",
    );
    // Explained once per version, not after every failing request.
    await app(project, "/lobby");
    await waitForLine(terminal, (e) => e.kind === "request" && e.status === 500 && e.seq > hint.seq);
    const hints = linesOf(terminal).filter((e) => e.kind === "system" && e.message.startsWith("getByName()"));
    expect(hints).toHaveLength(1);
  });
});
