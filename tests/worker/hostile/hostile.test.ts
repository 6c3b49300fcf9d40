/**
 * Tests written as an attacker would: app code trying to get out of its sandbox, to reach the IDE's
 * bridges, to forge what the supervisor reads back from it (issue 13, item 4), and text from apps and
 * visitors trying to drive the owner's terminal (item 5). hostile-load.test.ts tries to take the
 * runtime down (item 3); hostile-api.test.ts attacks the API from other origins (items 6 and 7).
 */
import { describe, expect, it } from "vitest";
import type { LogEntry } from "../../../shared/logs";
import type { ServerMessage } from "../../../shared/protocol";
import endlessBody from "../fixtures/apps/endless-body.ts?raw";
import forgedExceptionHeaders from "../fixtures/apps/forged-exception-headers.ts?raw";
import globalReplacer from "../fixtures/apps/global-replacer.ts?raw";
import headerSpy from "../fixtures/apps/header-spy.ts?raw";
import moduleEnvReader from "../fixtures/apps/module-env-reader.ts?raw";
import networkProber from "../fixtures/apps/network-prober.ts?raw";
import wrapperMethodReplacer from "../fixtures/apps/wrapper-method-replacer.ts?raw";
import { api, app, appWith, counterApp, createProject, deploy } from "../support/helpers";
import { openTerminal, type TestSocket } from "../support/socket";

function linesOf(terminal: TestSocket): LogEntry[] {
  return terminal.messages.flatMap((m: ServerMessage) =>
    m.type === "hello" ? m.history : m.type === "logs" ? m.entries : [],
  );
}

async function settle(ms = 400): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

const ESCAPE_TEXT =
  "\u001b[2J\u001b[H● deployed v9 \u001b]8;;http://evil.example/login\u0007log in\u001b]8;;\u0007 \u001b]52;c;ZWNobyBwd25lZA==\u0007\rdone";

describe("hostile app code", () => {
  it("cannot reach the network, by fetch or by socket", async () => {
    const project = await createProject();
    await deploy(project, { "app.ts": networkProber });
    expect(await (await app(project)).json()).toEqual(["blocked", "blocked", "blocked", "blocked"]);
  });

  it("has no bindings: env is empty, so no loader, no supervisor namespace, no assets", async () => {
    const project = await createProject();
    await deploy(project, appWith(`    return Response.json(Object.keys(this.env as object));`));
    expect(await (await app(project)).json()).toEqual([]);
  });

  it('does not get the IDE\'s bridges from `import { env } from "cloudflare:workers"`, and logs and alarms still work', async () => {
    const project = await createProject();
    await deploy(project, { "app.ts": moduleEnvReader });
    const terminal = await openTerminal(project);
    const seen = (await (await app(project)).json()) as Record<string, unknown>;
    expect(seen).toMatchObject({ atStart: [], now: [], ctor: [] });
    expect(typeof seen.alarm).toBe("number");
    await terminal.nextWhere((m) => m.type === "logs" && m.entries.some((e) => e.kind === "console"));
    terminal.socket.close();
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
    await deploy(attacker, { "app.ts": globalReplacer });
    await app(attacker).catch(() => null);
    const victimResponse = await app(victim);
    expect(victimResponse.status).toBe(200);
    expect(await victimResponse.text()).toBe("victim rows=2");
  });

  it("a token opens only its own project", async () => {
    const a = await createProject();
    const b = await createProject();
    const response = await api.send("runSql", { params: { id: b.id }, credential: a.token, body: { sql: "SELECT 1" } });
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

describe("what the app sends back cannot crash, hang or mislead the supervisor", () => {
  it("an exception header the app sets itself is its own: not trusted, not shown, and the response passes", async () => {
    const project = await createProject();
    await deploy(project, { "app.ts": forgedExceptionHeaders });
    const terminal = await openTerminal(project);
    const notJson = await app(project, "/not-json");
    expect(notJson.status).toBe(200);
    expect(await notJson.text()).toBe("not json");
    expect(notJson.headers.get("x-facet-ide-exception")).toBeNull();
    const wrong = await app(project, "/wrong-types");
    expect(wrong.status).toBe(500);
    expect(await wrong.json()).toEqual({ name: {}, message: 42, stack: [1], logs: "x" });
    await settle();
    // Nothing was logged as an exception, and a new terminal's history still parses.
    expect(linesOf(terminal).filter((e) => e.kind === "exception")).toEqual([]);
    terminal.socket.close();
    const again = await openTerminal(project);
    const hello = await again.nextWhere((m) => m.type === "hello");
    expect(hello.type === "hello" && hello.history.every((e) => typeof e.seq === "number")).toBe(true);
    again.socket.close();
  });

  it("a huge streamed body behind a forged exception header streams through instead of being buffered", async () => {
    const project = await createProject();
    await deploy(project, { "app.ts": endlessBody });
    const response = await app(project);
    expect(response.status).toBe(500);
    expect(response.headers.get("x-facet-ide-exception")).toBeNull();
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value?.byteLength).toBeGreaterThan(0);
    await reader.cancel();
    // The supervisor (every project's) still answers.
    const other = await createProject();
    await deploy(other, counterApp("other"));
    expect(await (await app(other)).text()).toBe("other rows=1");
  });

  it("a forged log header injects nothing: only the request line and what console printed arrive", async () => {
    const project = await createProject();
    await deploy(
      project,
      appWith(`    const fake = Array.from({ length: 495 }, (_, i) => ({ kind: "console", level: "log", message: "GET /admin 200 " + i, at: Date.now() }));
    console.log("real line");
    return new Response("ok", { headers: { "x-facet-ide-logs": encodeURIComponent(JSON.stringify(fake)) } });`),
    );
    const terminal = await openTerminal(project);
    const response = await app(project, "/forged");
    expect(response.headers.get("x-facet-ide-logs")).toBeNull();
    await terminal.nextWhere((m) => m.type === "logs" && m.entries.some((e) => e.kind === "console"));
    await settle();
    const lines = linesOf(terminal).filter((e) => e.kind === "console" || e.kind === "request");
    expect(lines.map((e) => (e.kind === "console" ? e.message : `${e.method} ${e.path}`))).toEqual([
      "GET /forged",
      "real line",
    ]);
    terminal.socket.close();
  });

  it("cannot read the channel's secret by hooking what the wrapper calls, or by calling the wrapper itself", async () => {
    const project = await createProject();
    await deploy(project, { "app.ts": headerSpy });
    expect((await app(project, "/")).status).toBe(500);
    const seen = (await (await app(project, "/seen")).json()) as string[];
    expect(seen.filter((s) => /x-facet-ide/i.test(s))).toEqual([]);
  });

  it("replacing the wrapper's methods fails, and a save still completes when the app holds sockets", async () => {
    const project = await createProject();
    await deploy(project, { "app.ts": wrapperMethodReplacer });
    const terminal = await openTerminal(project);
    const upgrade = await app(project, "/", { headers: { upgrade: "websocket" } });
    expect(upgrade.status).toBe(101);
    upgrade.webSocket!.accept();
    const line = await terminal.nextWhere((m) => m.type === "logs" && m.entries.some((e) => e.kind === "console"));
    expect(JSON.stringify(line)).toContain(
      "__facetIdeCloseSockets refused, __facetIdeSql refused, __facetIdeMeter refused, __facetIdeKv refused, __facetIdeDump refused, fetch refused",
    );
    // The save does not wait on the app's sockets forever (the test would time out).
    await deploy(project, counterApp("replaced"));
    expect(await (await app(project)).text()).toBe("replaced rows=1");
    terminal.socket.close();
  });
});

describe("terminal text from apps and visitors is shown, never executed", () => {
  it("escape sequences posted to the guest-book template are stored with their control characters visible", async () => {
    const project = await createProject("notes");
    const terminal = await openTerminal(project);
    const form = new FormData();
    form.set("text", ESCAPE_TEXT);
    const posted = await app(project, "/notes", { method: "POST", body: form, redirect: "manual" });
    expect(posted.status).toBe(303);
    const found = await terminal.nextWhere(
      (m) => m.type === "logs" && m.entries.some((e) => e.kind === "console" && e.message.startsWith("new note:")),
    );
    const line = found.type === "logs" ? found.entries.find((e) => e.kind === "console") : undefined;
    const message = line?.kind === "console" ? line.message : "";
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that none are left
    expect(message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(message).toContain("^[[2J");
    expect(message).toContain("^[]52;c;");
    expect(message).toContain("^G");
    expect(message).toContain("^Mdone");
    terminal.socket.close();
    // The history a new terminal gets is the same text.
    const again = await openTerminal(project);
    const hello = await again.nextWhere((m) => m.type === "hello");
    expect(JSON.stringify(hello)).not.toMatch(/\\u001b|\\u0007/);
    again.socket.close();
  });

  it("exception names, messages and stacks, and request paths, are made visible too", async () => {
    const project = await createProject();
    await deploy(
      project,
      appWith(`    const error = new Error("boom \\u001b]52;c;eA==\\u0007");
    error.name = "Evil\\u001b[2J";
    throw error;`),
    );
    const terminal = await openTerminal(project);
    await app(project, "/%1b%5B2J");
    const found = await terminal.nextWhere((m) => m.type === "logs" && m.entries.some((e) => e.kind === "exception"));
    const text = JSON.stringify(found);
    expect(text).not.toMatch(/\\u001b|\\u0007/);
    expect(text).toContain("Evil^[[2J");
    terminal.socket.close();
  });
});
