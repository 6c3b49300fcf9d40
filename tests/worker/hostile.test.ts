/** Tests written as an attacker would: app code trying to get out of its sandbox. */
import { describe, expect, it } from "vitest";
import { app, appWith, call, counterApp, createProject, deploy } from "./helpers";

describe("hostile app code", () => {
  it("cannot reach the network, by fetch or by socket", async () => {
    const project = await createProject();
    await deploy(
      project,
      appWith(
        `    const attempts: string[] = [];
    for (const target of ["https://example.com/", "http://127.0.0.1:5173/api/health", "http://localhost:5173/"]) {
      try { await fetch(target); attempts.push("reached " + target); } catch { attempts.push("blocked"); }
    }
    try { connect("127.0.0.1:5173"); attempts.push("socket opened"); } catch { attempts.push("blocked"); }
    return Response.json(attempts);`,
        `import { connect } from "cloudflare:sockets";`,
      ),
    );
    expect(await (await app(project)).json()).toEqual(["blocked", "blocked", "blocked", "blocked"]);
  });

  it("has no bindings: env is empty, so no loader, no supervisor namespace, no assets", async () => {
    const project = await createProject();
    await deploy(project, appWith(`    return Response.json(Object.keys(this.env as object));`));
    expect(await (await app(project)).json()).toEqual([]);
  });

  it("cannot read the supervisor's database or the token hash", async () => {
    const project = await createProject();
    await deploy(
      project,
      appWith(`    const tables = this.ctx.storage.sql.exec("SELECT name FROM sqlite_master").toArray().map((r) => r.name);
    let project = "no project table";
    try { project = JSON.stringify(this.ctx.storage.sql.exec("SELECT * FROM project").toArray()); } catch (e) { project = "error: " + (e as Error).message; }
    return Response.json({ tables, project });`),
    );
    const seen = (await (await app(project)).json()) as { tables: string[]; project: string };
    expect(seen.tables).not.toContain("versions");
    expect(seen.tables).not.toContain("project");
    expect(seen.project).toMatch(/no such table/);
  });

  it("cannot reach another project's data, and tampering with globals changes nothing elsewhere", async () => {
    const victim = await createProject();
    await deploy(victim, counterApp("victim"));
    expect(await (await app(victim)).text()).toBe("victim rows=1");

    const attacker = await createProject();
    await deploy(
      attacker,
      appWith(`    // Replace globals every other isolate would use, if they were shared.
    (globalThis as Record<string, unknown>).Response = class { constructor() { throw new Error("pwned"); } };
    JSON.stringify = () => "pwned";
    Object.prototype.toString = () => "pwned";
    const rows = this.ctx.storage.sql.exec("SELECT name FROM sqlite_master WHERE name = 'hits'").toArray();
    return new (globalThis as any).__proto__.constructor.constructor("return Response")()("tables: " + rows.length);`),
    );
    await app(attacker).catch(() => null);
    const victimResponse = await app(victim);
    expect(victimResponse.status).toBe(200);
    expect(await victimResponse.text()).toBe("victim rows=2");
  });

  it("a token opens only its own project", async () => {
    const a = await createProject();
    const b = await createProject();
    const response = await call(`/api/projects/${b.id}/sql`, {
      method: "POST",
      token: a.token,
      json: { sql: "SELECT 1" },
    });
    expect(response.status).toBe(403);
  });

  it("cannot pose as the supervisor's internal hosts through the preview origin", async () => {
    const project = await createProject();
    await deploy(project, counterApp("app"));
    // The terminal is only reachable through the authenticated API; on the app's origin this path is the app's.
    const response = await app(project, "/", {
      headers: { "x-facet-ide-token-hash": "0".repeat(64), upgrade: "websocket" },
    });
    expect(response.status).not.toBe(101);
  });
});
