import { describe, expect, it } from "vitest";
import type { LogEntry } from "../../../shared/logs";
import { api, app, createProject, deploy, on } from "../support/helpers";

/** An App whose fetch answers `body` after `extra` lines in its class. */
const appWith = (extra: string, body = '"ok"') => ({
  "app.ts": `import { DurableObject } from "cloudflare:workers";

export class App extends DurableObject {
${extra}
  async fetch(request: Request): Promise<Response> {
    return new Response(${body});
  }
}
`,
});

/** The type-check lines of the project's log, waiting for the one of `version` (a late check's). */
async function typeCheckLine(project: { id: string; token: string }, version: number) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { entries } = await api.call("readLogs", { ...on(project), query: { kind: "type-check" } });
    const line = entries.find((e: LogEntry) => e.kind === "type-check" && e.version === version);
    if (line?.kind === "type-check") return line;
    await scheduler.wait(200);
  }
  throw new Error(`no type-check line for v${version}`);
}

describe("TypeScript's check of a save", () => {
  it("lets code with a type error go live and reports it with file, line and column", async () => {
    const project = await createProject();
    const saved = await deploy(project, appWith('  count: number = "a";'));
    expect(saved.created).toBe(true);
    expect((await app(project, "/")).status).toBe(200);
    expect(await (await app(project, "/")).text()).toBe("ok");
    const line = saved.typeCheck === "done" ? null : await typeCheckLine(project, saved.version);
    const diagnostics = line ? line.diagnostics : saved.warnings;
    const error = diagnostics.find((d) => d.message.includes("TS2322"));
    expect(error, JSON.stringify(diagnostics)).toMatchObject({ file: "app.ts", line: 4, column: 3 });
    expect(error?.message).toContain("Type 'string' is not assignable to type 'number'");
  });

  it("reports a wrong call on a Workers type (ctx.storage.sql.exec with a number)", async () => {
    const project = await createProject();
    const saved = await deploy(project, appWith("  query() {\n    return this.ctx.storage.sql.exec(1);\n  }"));
    const line = saved.typeCheck === "done" ? null : await typeCheckLine(project, saved.version);
    const diagnostics = line ? line.diagnostics : saved.warnings;
    expect(
      diagnostics.find((d) => d.file === "app.ts" && d.line === 5),
      JSON.stringify(diagnostics),
    ).toBeDefined();
    expect(diagnostics.some((d) => d.message.includes("TS2345"))).toBe(true);
  });

  it("reports nothing for code that type-checks: the answer says it is done, and the terminal stays quiet", async () => {
    const project = await createProject();
    const saved = await deploy(
      project,
      appWith("  greet(name: string): string {\n    return name.toUpperCase();\n  }"),
    );
    expect(saved.warnings).toEqual([]);
    if (saved.typeCheck === "running") {
      // A check that outlasted the answer (a loaded machine) ends in a line of its own.
      const line = await typeCheckLine(project, saved.version);
      expect(line.diagnostics).toEqual([]);
      expect(line.message).toContain("no type errors");
    } else {
      expect(saved.typeCheck).toBe("done");
      const { entries } = await api.call("readLogs", { ...on(project), query: { kind: "type-check" } });
      expect(entries).toEqual([]);
    }
  });

  it("types env after the project's variables, as the editor does", async () => {
    const project = await createProject();
    await api.call("setEnv", { ...on(project), params: { id: project.id, name: "GREETING" }, body: { value: "hi" } });
    const saved = await deploy(project, appWith("", "(this.env as Env).GREETING.toUpperCase()"));
    const line = saved.typeCheck === "done" ? null : await typeCheckLine(project, saved.version);
    expect(line ? line.diagnostics : saved.warnings).toEqual([]);
  });

  it("checks against the packages' types, which GET .../types serves to the editor", async () => {
    const project = await createProject();
    const saved = await deploy(project, {
      "package.json": JSON.stringify({ dependencies: { hono: "^4.0.0" } }),
      "app.ts": `import { DurableObject } from "cloudflare:workers";
import { Hono } from "hono";

export class App extends DurableObject {
  #app = new Hono().get("/", (c) => c.text("hono"));
  fetch(request: Request) {
    const wrong: number = this.#app.basePath("/x");
    return this.#app.fetch(request);
  }
}
`,
    });
    expect(await (await app(project, "/")).text()).toBe("hono");
    const line = saved.typeCheck === "done" ? null : await typeCheckLine(project, saved.version);
    const diagnostics = line ? line.diagnostics : saved.warnings;
    // Only hono's types know basePath() answers a Hono: without them the import would be unresolved.
    const error = diagnostics.find((d) => d.message.includes("TS2322"));
    expect(error, JSON.stringify(diagnostics)).toMatchObject({ file: "app.ts", line: 7 });
    expect(error?.message).toContain("Hono");

    const types = await api.call("getTypes", on(project));
    expect(types.version).toBe(saved.version);
    expect(types.files["node_modules/hono/package.json"]).toContain('"name": "hono"');
    expect(Object.keys(types.files).some((path) => /^node_modules\/hono\/.*\.d\.ts$/.test(path))).toBe(true);
  });
});
