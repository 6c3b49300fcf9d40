import { describe, expect, it } from "vitest";
import type { ErrorBody, SqlRequest } from "../../../shared/api";
import type { SqlResult } from "../../../shared/sql";
import { api, app, appWith, counterApp, createProject, deploy, on } from "../support/helpers";
import { openTerminal } from "../support/socket";

async function sql(project: { id: string; token: string }, query: string, params?: SqlRequest["params"]) {
  return api.send("runSql", { ...on(project), body: { sql: query, params } });
}

async function rows(
  project: { id: string; token: string },
  query: string,
  params?: SqlRequest["params"],
): Promise<SqlResult> {
  const response = await sql(project, query, params);
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return JSON.parse(text);
}

describe("SQL console over HTTP", () => {
  it("runs statements on a project with no code yet (an empty database)", async () => {
    const project = await createProject("blank");
    await rows(project, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB)");
    const inserted = await rows(project, "INSERT INTO t (name, data) VALUES (?, x'00ff10'), (NULL, NULL)", ["ada"]);
    expect(inserted.rowsWritten).toBeGreaterThan(0);
    const result = await rows(project, "SELECT id, name, data FROM t ORDER BY id");
    expect(result.columns).toEqual(["id", "name", "data"]);
    expect(result.rows).toEqual([
      [1, "ada", { blob: "00ff10", bytes: 3 }],
      [2, null, null],
    ]);
    expect(result.truncated).toBe(false);
    expect(result.totalRows).toBe(2);
    expect(typeof result.durationMs).toBe("number");
  });

  it("answers a bad statement with 400 and SQLite's message", async () => {
    const project = await createProject("blank");
    const response = await sql(project, "SELEC nonsense");
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe("sql_error");
    expect(body.error.message).toMatch(/syntax error/);
  });

  it("cuts results past 500 rows and says how many there were", async () => {
    const project = await createProject("blank");
    const result = await rows(
      project,
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200) SELECT i FROM n",
    );
    expect(result.rows).toHaveLength(500);
    expect(result.truncated).toBe(true);
    expect(result.totalRows).toBe(1200);
  });

  it("sees what the app wrote one request ago, and the app sees what the console wrote, without a restart", async () => {
    const project = await createProject();
    await deploy(project, counterApp("app"));
    expect(await (await app(project)).text()).toBe("app rows=1");
    const seen = await rows(project, "SELECT label FROM hits");
    expect(seen.rows).toEqual([["app"]]);
    await rows(project, "INSERT INTO hits (label) VALUES ('console'), ('console')");
    // rows=4 proves both the console's writes and that the app kept running on the same database.
    expect(await (await app(project)).text()).toBe("app rows=4");
    const version = (await app(project)).headers.get("x-app-version");
    expect(version).toBe("1");
  });

  it("explains the internal KV table when SQL tries to read it", async () => {
    const project = await createProject();
    await deploy(project, appWith(`    this.ctx.storage.kv.put("counter", 1);\n    return new Response("kv used");`));
    expect(await (await app(project)).text()).toBe("kv used");
    const tables = await rows(project, "SELECT name FROM sqlite_master WHERE type = 'table'");
    expect(tables.rows.flat()).toContain("_cf_KV");
    const response = await sql(project, "SELECT * FROM _cf_KV");
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.message).toMatch(/_cf_KV behind ctx.storage.kv/);
  });

  it("needs the project's token", async () => {
    const project = await createProject("blank");
    const response = await api.send("runSql", { params: { id: project.id }, body: { sql: "SELECT 1" } });
    expect(response.status).toBe(401);
  });
});

describe("terminal WebSocket", () => {
  it("refuses a socket without the right token", async () => {
    const project = await createProject("blank");
    const response = await api.send("terminal", {
      params: { id: project.id },
      headers: { upgrade: "websocket", "sec-websocket-protocol": "facet-ide, token.wrong" },
    });
    expect(response.status).toBe(403);
    expect(response.webSocket).toBeNull();
  });

  it("greets with history and answers SQL by id", async () => {
    const project = await createProject();
    await deploy(project, counterApp("logged"));
    const terminal = await openTerminal(project);
    const hello = await terminal.nextWhere((m) => m.type === "hello");
    expect(hello).toMatchObject({ type: "hello", projectId: project.id, version: 1 });
    if (hello.type === "hello") expect(hello.history.some((e) => e.kind === "deploy")).toBe(true);

    // Log streaming goes through the tail worker, which this test runtime does not deliver;
    // tests/process/logs.test.ts covers it against the real dev server.
    await app(project);
    terminal.send({ type: "sql", id: "q1", sql: "SELECT count(*) AS n FROM hits" });
    const answer = await terminal.nextWhere((m) => m.type === "sql-result" && m.id === "q1");
    expect(answer).toMatchObject({ result: { columns: ["n"], rows: [[1]] } });

    terminal.send({ type: "sql", id: "q2", sql: "SELECT * FROM nowhere" });
    const failed = await terminal.nextWhere((m) => m.type === "sql-error" && m.id === "q2");
    expect(failed).toMatchObject({ message: expect.stringContaining("no such table") });
  });

  it("rejects malformed and oversized messages and keeps the socket open", async () => {
    const project = await createProject("blank");
    const terminal = await openTerminal(project);
    terminal.send("not json");
    expect(await terminal.nextWhere((m) => m.type === "error")).toMatchObject({
      message: expect.stringContaining("JSON"),
    });
    terminal.send({ type: "sql", id: "big", sql: "x".repeat(70_000) });
    await terminal.nextWhere((m) => m.type === "error" && m.message.includes("too large"));
    terminal.send({ type: "launch-missiles" });
    await terminal.nextWhere((m) => m.type === "error" && m.message.startsWith("invalid message"));
    terminal.send({ type: "ping" });
    await terminal.nextWhere((m) => m.type === "pong");
  });

  it("reports save errors and deploys to the terminal", async () => {
    const project = await createProject("blank");
    const terminal = await openTerminal(project);
    await terminal.nextWhere((m) => m.type === "hello");
    await api.send("putCode", { ...on(project), body: { files: { "app.ts": "export class App {" } } });
    const saveError = await terminal.nextWhere(
      (m) => m.type === "logs" && m.entries.some((e) => e.kind === "save-error"),
    );
    expect(JSON.stringify(saveError)).toContain("app.ts");
    await deploy(project, counterApp("ok"));
    await terminal.nextWhere((m) => m.type === "logs" && m.entries.some((e) => e.kind === "deploy" && e.version === 1));
  });
});
