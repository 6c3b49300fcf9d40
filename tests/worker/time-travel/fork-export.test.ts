/**
 * Fork, export and import: a project travels as its code, variables and a dump of its data, and
 * every SQLite type (INTEGER past 2^53, REAL including whole and infinite ones, TEXT, BLOB, NULL),
 * the schema (indexes, views, triggers, AUTOINCREMENT counters, a full-text index) and the
 * `storage.kv` pairs come back as they were.
 */
import { describe, expect, it } from "vitest";
import type { CreateProjectResponse, ErrorBody } from "../../../shared/api";
import type { SqlResult } from "../../../shared/sql";
import type { ImportProjectResponse, ProjectBundle } from "../../../shared/time-travel";
import everyTypeApp from "../fixtures/unchecked/every-type-app.ts?raw";
import { api, app, appWith, call, createProject, deploy, on } from "../support/helpers";

/** Fills every kind of value on GET /fill; GET /kv answers the kv pairs as the app sees them. */
const everyType = { "app.ts": everyTypeApp };

/** Every value with its SQLite type, and the rest of the schema's effects, as the SQL console sees them. */
async function contents(project: CreateProjectResponse) {
  const query = async (sql: string) => {
    const response = await api.send("runSql", { ...on(project), body: { sql } });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return (JSON.parse(text) as SqlResult).rows;
  };
  return {
    things: await query(
      "SELECT id, CAST(i AS TEXT), typeof(i), r, typeof(r), t, typeof(t), hex(b), typeof(b), n, typeof(anything), quote(anything), CAST(doubled AS TEXT) FROM things ORDER BY id",
    ),
    schema: await query(
      "SELECT type, name FROM sqlite_master WHERE name NOT LIKE '\\_cf%' ESCAPE '\\' ORDER BY type, name",
    ),
    view: await query("SELECT * FROM big"),
    odd: await query('SELECT * FROM "odd ""name"""'),
    fts: await query("SELECT body FROM docs WHERE docs MATCH 'quick'"),
    audit: await query("SELECT count(*) FROM audit"),
    sequence: await query("SELECT name, seq FROM sqlite_sequence"),
  };
}

async function exportOf(project: CreateProjectResponse): Promise<ProjectBundle> {
  const response = await api.send("exportProject", on(project));
  expect(response.status).toBe(200);
  expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${project.id}.facet-ide.json"`);
  return response.json();
}

describe("fork, export and import", () => {
  it("round-trips every SQLite type, the schema and the kv pairs through export and import", async () => {
    const project = await createProject();
    await deploy(project, everyType);
    expect(await (await app(project, "/fill")).text()).toBe("filled");
    await api.send("setEnv", {
      params: { id: project.id, name: "GREETING" },
      credential: project.token,
      body: { value: "hi" },
    });
    await api.send("setEnv", {
      params: { id: project.id, name: "API_KEY" },
      credential: project.token,
      body: { value: "s3cret", secret: true },
    });
    const before = await contents(project);
    expect(before.things[0]).toEqual([
      1,
      "9007199254740993",
      "integer",
      1,
      "real",
      "héllo ✓",
      "text",
      "00FF10",
      "blob",
      null,
      "real",
      "2.5",
      "18014398509481986",
    ]);

    const bundle = await exportOf(project);
    expect(bundle).toMatchObject({
      format: "facet-ide-project/1",
      source: { id: project.id, version: 1 },
      main: "app.ts",
    });
    expect(bundle.env).toEqual([
      { name: "API_KEY", secret: true },
      { name: "GREETING", secret: false, value: "hi" },
    ]);
    expect(JSON.stringify(bundle)).not.toContain("s3cret");
    const things = bundle.data.tables.find((t) => t.name === "things");
    expect(things?.columns).toEqual(["id", "i", "r", "t", "b", "n", "anything"]);
    expect(things?.rows[0]).toEqual([
      1,
      { int: "9007199254740993" },
      { real: 1 },
      "héllo ✓",
      { blob: "AP8Q" },
      null,
      2.5,
    ]);
    expect(things?.rows[1]?.[2]).toEqual({ real: "Infinity" });
    expect(bundle.data.tables.map((t) => t.name)).not.toContain("docs_data");

    const imported = await api.send("importProject", { body: { ...bundle, name: `${project.id}-copy` } });
    expect(imported.status).toBe(201);
    const copy = (await imported.json()) as ImportProjectResponse;
    expect(copy).toMatchObject({ id: `${project.id}-copy`, secretsToSet: ["API_KEY"] });
    expect(await contents(copy)).toEqual(before);
    expect(await (await app(copy, "/kv")).json()).toEqual({
      theme: "dark",
      since: 5,
      tags: ["a"],
      big: "10",
      raw: [1, 2, 3],
      count: 3,
    });
    const env = await api.call("listEnv", on(copy));
    expect(env).toEqual({
      vars: [
        { name: "API_KEY", secret: true },
        { name: "GREETING", secret: false, value: "hi" },
      ],
    });
    // New rows continue the AUTOINCREMENT counter instead of reusing the deleted id 3.
    await api.send("runSql", { ...on(copy), body: { sql: "INSERT INTO things (i) VALUES (7)" } });
    const ids = await api.send("runSql", { ...on(copy), body: { sql: "SELECT max(id) FROM things" } });
    expect(((await ids.json()) as SqlResult).rows).toEqual([[4]]);
  });

  it("forks a project with its code, variables, secrets and a copy of its data", async () => {
    const project = await createProject();
    await deploy(project, everyType);
    await app(project, "/fill");
    await api.send("setEnv", {
      params: { id: project.id, name: "API_KEY" },
      credential: project.token,
      body: { value: "s3cret", secret: true },
    });
    const forked = await api.send("forkProject", { ...on(project), body: {} });
    expect(forked.status).toBe(201);
    const fork = (await forked.json()) as CreateProjectResponse;
    expect(fork.id).not.toBe(project.id);
    expect(fork.previewUrl).toBe(`http://${fork.id}.localhost:5173/`);
    expect(await contents(fork)).toEqual(await contents(project));
    // The fork's data is its own.
    await api.send("runSql", { ...on(fork), body: { sql: "DELETE FROM things" } });
    expect((await contents(project)).things).toHaveLength(2);
    const code = await api.call("getCode", on(fork));
    expect(code).toMatchObject({ version: 1, main: "app.ts" });
    // The secret's value came along (the app sees it), though the API never shows it.
    const echo = appWith("    return new Response(String(this.env.API_KEY));");
    await deploy(fork, echo);
    expect(await (await app(fork, "/")).text()).toBe("s3cret");

    const named = await api.send("forkProject", { ...on(project), body: { name: "My Fork!" } });
    expect(await named.json()).toMatchObject({ id: "my-fork" });
    const taken = await api.send("forkProject", { ...on(project), body: { name: "My Fork!" } });
    expect(taken.status).toBe(409);
  });

  it("refuses a dump schema no real dump holds (a table made by a query, a second statement) before it runs, leaving the name free", async () => {
    const project = await createProject();
    await deploy(project, everyType);
    const bundle = await exportOf(project);
    const forged = (sql: string, type: "table" | "view" | "trigger" | "index" = "table") => {
      const copy = structuredClone(bundle);
      copy.data.schema.unshift({ type, name: "forged", tableName: "forged", sql });
      return copy;
    };
    const cases: [string, "table" | "view" | "trigger" | "index"][] = [
      // Bounded here so that a runtime without the check answers (201) instead of freezing the test.
      [
        "CREATE TABLE forged AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 10) SELECT i FROM s",
        "table",
      ],
      ["CREATE TABLE forged AS SELECT 1 AS one", "table"],
      [
        "CREATE TABLE forged(a); WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 10) SELECT count(*) FROM s",
        "table",
      ],
      ["CREATE TABLE forged(a)", "view"],
      ["CREATE TRIGGER forged AFTER INSERT ON things BEGIN SELECT 1; END; SELECT 1", "trigger"],
    ];
    for (const [sql, type] of cases) {
      const response = await api.send("importProject", { body: { ...forged(sql, type), name: "forged-import" } });
      const text = await response.text();
      expect(response.status, `${sql}: ${text}`).toBe(400);
      expect(text).toMatch(/not what a dump holds/);
    }
    // A view may hold an endless query: creating it does not run it.
    const endlessView =
      "CREATE VIEW forged AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s) SELECT i FROM s";
    const withView = await api.send("importProject", {
      body: { ...forged(endlessView, "view"), name: "forged-import" },
    });
    expect(withView.status, await withView.clone().text()).toBe(201);
  });

  it("refuses a bundle that is malformed or whose code does not start, leaving no project", async () => {
    const project = await createProject();
    await deploy(project, everyType);
    const bundle = await exportOf(project);
    const bad = await call(api.path("importProject"), { method: "POST", json: { ...bundle, format: "zip" } });
    expect(bad.status).toBe(400);
    const wrongRow = structuredClone(bundle);
    wrongRow.data.tables.push({ name: "x", columns: ["a"], rows: [[1, 2]] });
    const malformedRow = await api.send("importProject", { body: { ...wrongRow, name: "wrong-row" } });
    expect(malformedRow.status).toBe(400);
    expect(((await malformedRow.json()) as ErrorBody).error.message).toMatch(/a row of x has 2 values for 1 columns/);

    const broken = await api.send("importProject", {
      body: { ...bundle, name: "broken-import", files: { "app.ts": "export class App {" } },
    });
    expect(broken.status).toBe(422);
    // The name is free again: nothing was left behind.
    const again = await api.send("importProject", { body: { ...bundle, name: "broken-import" } });
    expect(again.status).toBe(201);
  });
});
