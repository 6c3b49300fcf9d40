/**
 * The hardening of issue 13 for a Worker project's objects (issue 19): every object runs in the same
 * wrapper as the App, so what an object or the Worker sends back is read through the same marked
 * channel, and the wrapper's own methods are out of the app's reach.
 */
import { describe, expect, it } from "vitest";
import type { LogEntry } from "../../../shared/logs";
import type { ServerMessage } from "../../../shared/protocol";
import oneThingWorker from "../fixtures/apps/one-thing/src/index.ts?raw";
import { api, app, createProject, deploy, on } from "../support/helpers";
import { openTerminal, type TestSocket } from "../support/socket";

function linesOf(terminal: TestSocket): LogEntry[] {
  return terminal.messages.flatMap((m: ServerMessage) =>
    m.type === "hello" ? m.history : m.type === "logs" ? m.entries : [],
  );
}

const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

const config = `{
  "main": "src/index.ts",
  "durable_objects": { "bindings": [{ "name": "THINGS", "class_name": "Thing" }] },
}`;

/** A Worker and one class; `thing` is the body of Thing, `route` the Worker's fetch body. */
function project(thing: string, route: string): Record<string, string> {
  return {
    "wrangler.jsonc": config,
    "src/index.ts": oneThingWorker.replaceAll("/* thing */", () => thing).replaceAll("/* route */", () => route),
  };
}

describe("a Worker project's objects run behind the same channel as the App", () => {
  it("an object's forged exception and log headers are its own: not trusted, not logged, and the Worker never sees the wrapper's marks", async () => {
    const p = await createProject();
    await deploy(
      p,
      project(
        `  async fetch(request: Request) {
    const path = new URL(request.url).pathname;
    console.log("real line from", this.ctx.id.name);
    if (path === "/exception") return new Response("not json", { headers: { "x-facet-ide-exception": "1" } });
    if (path === "/stub-error") return new Response("mine", { headers: { "x-facet-ide-object-error": "made%20up" } });
    const fake = [{ kind: "console", level: "log", message: "GET /admin 200", at: Date.now() }];
    return new Response("forged", { headers: { "x-facet-ide-logs": encodeURIComponent(JSON.stringify(fake)) } });
  }`,
        `    const response = await env.THINGS.getByName("a").fetch(request);
    const headers = [...response.headers.keys()].filter((k) => k.startsWith("x-facet-ide"));
    return Response.json({ status: response.status, body: await response.text(), headers });`,
      ),
    );
    const terminal = await openTerminal(p);
    expect(await (await app(p, "/exception")).json()).toEqual({ status: 200, body: "not json", headers: [] });
    expect(await (await app(p, "/logs")).json()).toEqual({ status: 200, body: "forged", headers: [] });
    // The header the supervisor's errors carry, set by the object itself, does not make the stub throw.
    expect(await (await app(p, "/stub-error")).json()).toEqual({ status: 200, body: "mine", headers: [] });
    await settle();
    const lines = linesOf(terminal);
    expect(lines.filter((e) => e.kind === "exception")).toEqual([]);
    const consoleLines = lines.filter((e) => e.kind === "console");
    expect(consoleLines.map((e) => (e.kind === "console" ? [e.message, e.object] : null))).toEqual([
      ["real line from a", "Thing:a"],
      ["real line from a", "Thing:a"],
      ["real line from a", "Thing:a"],
    ]);
    terminal.socket.close();
  });

  it("the Worker's own forged exception header is not trusted, and its real exception is logged", async () => {
    const p = await createProject();
    await deploy(
      p,
      project(
        "",
        `    if (path === "/forged") {
      return Response.json({ name: "Error", message: "made up" }, { status: 500, headers: { "x-facet-ide-exception": "1" } });
    }
    throw new TypeError("a real one");`,
      ),
    );
    const terminal = await openTerminal(p);
    const forged = await app(p, "/forged");
    expect(forged.status).toBe(500);
    expect(forged.headers.get("x-facet-ide-exception")).toBeNull();
    expect(await forged.json()).toEqual({ name: "Error", message: "made up" });
    expect((await app(p, "/real")).status).toBe(500);
    const exception = await terminal.nextWhere(
      (m) => m.type === "logs" && m.entries.some((e) => e.kind === "exception"),
    );
    const thrown = exception.type === "logs" ? exception.entries.filter((e) => e.kind === "exception") : [];
    expect(thrown.map((e) => (e.kind === "exception" ? e.message : ""))).toEqual(["a real one"]);
    terminal.socket.close();
  });

  it("an object cannot replace the wrapper's methods, and a stub cannot call them", async () => {
    const p = await createProject();
    await deploy(
      p,
      project(
        `  tamper() {
    const proto = Object.getPrototypeOf(this);
    const attempts: string[] = [];
    for (const name of ["__facetIdeCall", "__facetIdeSql", "__facetIdeMeter", "__facetIdeCloseSockets", "fetch"]) {
      try { proto[name] = () => "mine"; attempts.push(name + " replaced"); } catch { attempts.push(name + " refused"); }
    }
    return attempts;
  }
  async fetch() {
    return new Response("thing");
  }`,
        `    const stub = env.THINGS.getByName("a");
    const refused: string[] = [];
    for (const name of ["__facetIdeSql", "__facetIdeMeter", "__facetIdeDump", "constructor", "hasOwnProperty"]) {
      try { await stub[name]("SELECT 1", [], 10); refused.push(name + " ran"); } catch (e) { refused.push((e as Error).message); }
    }
    return Response.json({ tamper: await stub.tamper(), refused, after: await (await stub.fetch("http://x/")).text() });`,
      ),
    );
    const seen = (await (await app(p, "/")).json()) as { tamper: string[]; refused: string[]; after: string };
    expect(seen.tamper).toEqual([
      "__facetIdeCall refused",
      "__facetIdeSql refused",
      "__facetIdeMeter refused",
      "__facetIdeCloseSockets refused",
      "fetch refused",
    ]);
    for (const message of seen.refused) expect(message).toMatch(/does not implement the method/);
    expect(seen.after).toBe("thing");
    // The SQL console still reaches the object's database through the wrapper's own method.
    const sql = await api.send("runSql", { ...on(p), body: { sql: "SELECT 41 + 1 AS answer", object: "Thing:a" } });
    expect(await sql.json()).toMatchObject({ rows: [[42]], object: "Thing:a" });
  });

  it("an object whose method loops forever is stopped by the loop guard, and the project keeps serving", async () => {
    const p = await createProject();
    await deploy(
      p,
      project(
        `  spin() {
    let n = 0;
    while (true) n++;
  }
  ok() {
    return "still here";
  }`,
        `    const stub = env.THINGS.getByName("spinner");
    if (path === "/spin") {
      try { await stub.spin(); return new Response("returned"); } catch (e) { return new Response((e as Error).message); }
    }
    return new Response(await stub.ok());`,
      ),
    );
    expect(await (await app(p, "/spin")).text()).toMatch(/ran for over 3 s without yielding/);
    expect(await (await app(p, "/")).text()).toBe("still here");
  });
});
