/**
 * The IDE's tools on a Worker project's objects (issue 19): the objects list, the SQL console and the
 * Data view on a chosen object (the most used one by default), each object's meter, deleting an object, snapshots and
 * restores (all objects, or one), the draft's copies, and fork, export and import.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CreateProjectResponse } from "../../shared/api";
import type { MetricsResponse } from "../../shared/metrics";
import type { ObjectsResponse } from "../../shared/objects";
import type { SqlResult } from "../../shared/sql";
import type { ProjectBundle } from "../../shared/time-travel";
import { objectsProject } from "./fixtures/objects-app";
import { app, call, createProject, deploy } from "./helpers";

type Project = CreateProjectResponse;

async function api<T>(project: Project, path: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
  const response = await call(`/api/projects/${project.id}${path}`, { ...init, token: project.token });
  const text = await response.text();
  expect(response.status, text).toBeLessThan(300);
  return JSON.parse(text) as T;
}

const sql = (project: Project, statement: string, extra: Record<string, unknown> = {}) =>
  api<SqlResult>(project, "/sql", { method: "POST", json: { sql: statement, ...extra } });

const hits = async (project: Project, object: string) =>
  (await sql(project, "SELECT count(*) FROM hits", { object })).rows[0]?.[0];

async function workerProject(): Promise<Project> {
  const project = await createProject();
  await deploy(project, objectsProject());
  for (let i = 0; i < 3; i++) await app(project, "/count/busy");
  await app(project, "/count/quiet");
  return project;
}

describe("a Worker project's objects in the tools", () => {
  it("lists its objects, most used first, with their sizes and last activity", async () => {
    const project = await workerProject();
    const listed = await api<ObjectsResponse>(project, "/objects");
    expect(listed.worker).toBe(true);
    expect(listed.limit).toBe(100);
    expect(listed.objects.map((o) => [o.label, o.requests])).toEqual([
      ["Counter:busy", 3],
      ["Counter:quiet", 1],
    ]);
    expect(listed.objects[0]?.bytes).toBeGreaterThan(0);
    expect(listed.objects[0]?.lastActiveAt).toBeGreaterThan(Date.now() - 60_000);
    // Each object's own rows; the project's meter counts every object's.
    const [busy, quiet] = listed.objects;
    expect(busy?.rowsWritten).toBeGreaterThanOrEqual(3);
    expect(quiet?.rowsWritten).toBeGreaterThanOrEqual(1);
    expect(busy?.rowsWritten).toBeGreaterThan(quiet?.rowsWritten ?? 0);
    const metrics = await api<{ totals: { rowsRead: number; rowsWritten: number } }>(project, "/metrics?window=1h");
    expect(metrics.totals.rowsWritten).toBeGreaterThanOrEqual((busy?.rowsWritten ?? 0) + (quiet?.rowsWritten ?? 0));
    expect(metrics.totals.rowsRead).toBeGreaterThanOrEqual((busy?.rowsRead ?? 0) + (quiet?.rowsRead ?? 0));
    const plain = await createProject("notes");
    expect(await api<ObjectsResponse>(plain, "/objects")).toEqual({ worker: false, objects: [], limit: 100 });
  });

  it("meters each object on its own: its calls, exceptions, rows and database for the window", async () => {
    const project = await workerProject(); // busy: 3 RPC calls, quiet: 1
    await app(project, "/fetch/busy");
    await app(project, "/fail/quiet");
    type Metrics = MetricsResponse;
    const busy = await api<Metrics>(project, "/metrics?window=1h&object=Counter:busy");
    expect(busy.object).toBe("Counter:busy");
    expect(busy.totals.requests).toBe(4);
    expect(busy.totals.byStatus["2xx"]).toBe(4);
    expect(busy.totals.exceptions).toBe(0);
    expect(busy.series.requests.reduce((a, b) => a + b, 0)).toBe(4);
    expect(busy.totals.rowsWritten).toBeGreaterThanOrEqual(4);
    expect(busy.totals.databaseBytes).toBeGreaterThan(0);
    expect(busy.totals.p50Ms).not.toBeNull();
    // An object's calls are Durable Object requests; the Worker's own requests are the project's.
    const line = (m: Metrics, item: string) => m.cost.lines.find((l) => l.item === item)?.quantity;
    expect(line(busy, "Workers requests")).toBe(0);
    expect(line(busy, "Durable Object requests")).toBe(4);
    // By name alone, and by ID, as the other tools take it.
    const quiet = await api<Metrics>(project, "/metrics?object=quiet");
    expect(quiet.object).toBe("Counter:quiet");
    expect([quiet.totals.requests, quiet.totals.errors, quiet.totals.exceptions]).toEqual([2, 1, 1]);
    const listed = await api<ObjectsResponse>(project, "/objects");
    const quietId = listed.objects.find((o) => o.label === "Counter:quiet")?.id ?? "";
    expect((await api<Metrics>(project, `/metrics?object=${quietId}`)).totals.requests).toBe(2);
    // The project's figures add everything up: its requests are the Worker's.
    const whole = await api<Metrics>(project, "/metrics?window=1h");
    expect(whole.object).toBeNull();
    expect(whole.totals.requests).toBe(6);
    expect(whole.totals.rowsWritten).toBeGreaterThanOrEqual(busy.totals.rowsWritten + quiet.totals.rowsWritten);
    // An object the project does not have, and an App project asked for one.
    const missing = await call(`/api/projects/${project.id}/metrics?object=Counter:nobody`, { token: project.token });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("No Durable Object 'Counter:nobody'");
    const huge = await call(`/api/projects/${project.id}/metrics?object=${"x".repeat(5_000)}`, {
      token: project.token,
    });
    expect(huge.status).toBe(400);
    const escaped = await call(`/api/projects/${project.id}/metrics?object=${encodeURIComponent("\x1b[31mred")}`, {
      token: project.token,
    });
    expect(escaped.status).toBe(404);
    const plain = await createProject("notes");
    const refused = await call(`/api/projects/${plain.id}/metrics?object=x`, { token: plain.token });
    expect(refused.status).toBe(400);
    // A report's object ID comes from the app's isolate: one the project does not have gets no meter.
    const forged = "ab".repeat(32);
    const supervisor = env.SUPERVISOR.getByName(project.id);
    await supervisor.appMeterReport({
      rowsRead: 0,
      rowsWritten: 1_000,
      wsIn: 0,
      wsOut: 0,
      writesRefused: 0,
      databaseBytes: 1,
      object: forged,
    });
    // Meters write what they counted a second later.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const metered = await runInDurableObject(
      supervisor,
      (_instance, state) =>
        state.storage.sql
          .exec<{ n: number }>("SELECT count(*) AS n FROM meter_object_minutes WHERE object = ?", forged)
          .one().n,
    );
    expect(metered).toBe(0);
  });

  it("runs SQL on the object named, by Class:name, name or ID, and on the most used one without a name", async () => {
    const project = await workerProject();
    expect(await hits(project, "Counter:busy")).toBe(3);
    expect(await hits(project, "quiet")).toBe(1);
    const [busy] = (await api<ObjectsResponse>(project, "/objects")).objects;
    expect(await hits(project, busy?.id ?? "")).toBe(3);
    const most = await sql(project, "SELECT count(*) FROM hits");
    expect(most).toMatchObject({ rows: [[3]], object: "Counter:busy" });
    const missing = await call(`/api/projects/${project.id}/sql`, {
      method: "POST",
      token: project.token,
      json: { sql: "SELECT 1", object: "Counter:nobody" },
    });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("No Durable Object 'Counter:nobody'");
  });

  it("shows an object's tables and rows in the Data view", async () => {
    const project = await workerProject();
    const tables = await api<{ tables: { name: string; rowCount: number }[] }>(
      project,
      "/data/tables?object=Counter:quiet",
    );
    expect(tables.tables.find((t) => t.name === "hits")?.rowCount).toBe(1);
    const rows = await api<{ rows: unknown[] }>(project, "/data/tables/hits/query?object=Counter:busy", {
      method: "POST",
      json: {},
    });
    expect(rows.rows).toHaveLength(3);
  });

  it("deletes an object with its database; the next call makes it anew", async () => {
    const project = await workerProject();
    expect(await api(project, "/objects/Counter:busy", { method: "DELETE" })).toEqual({ deleted: "Counter:busy" });
    expect((await api<ObjectsResponse>(project, "/objects")).objects.map((o) => o.label)).toEqual(["Counter:quiet"]);
    expect(await (await app(project, "/count/busy")).json()).toEqual({ n: 1 });
  });

  it("snapshots every object at a save, and restores all of them, or one", async () => {
    const project = await workerProject();
    await deploy(project, objectsProject("v2")); // v1's data is snapshotted: busy 3, quiet 1
    await app(project, "/count/busy");
    await app(project, "/count/quiet");
    await app(project, "/count/new");
    // One object: quiet goes back to v1's data, busy keeps its four rows.
    await api(project, "/versions/1/restore", { method: "POST", json: { data: true, object: "Counter:quiet" } });
    expect(await hits(project, "Counter:quiet")).toBe(1);
    expect(await hits(project, "Counter:busy")).toBe(4);
    // All of them: the object made since v1 is gone.
    await api(project, "/versions/1/restore", { method: "POST", json: { data: true } });
    expect(await hits(project, "Counter:busy")).toBe(3);
    const labels = (await api<ObjectsResponse>(project, "/objects")).objects.map((o) => o.label).sort();
    expect(labels).toEqual(["Counter:busy", "Counter:quiet"]);
  });

  it("runs the draft on copies of the objects, which the live ones never see", async () => {
    const project = await workerProject();
    await api(project, "/draft/code", { method: "PUT", json: { files: objectsProject("draft") } });
    const draft = await (await app({ id: `${project.id}--draft` }, "/fetch/busy")).text();
    expect(draft).toBe("draft busy /fetch/busy n=4");
    expect(await hits(project, "Counter:busy")).toBe(3);
    const inDraft = await sql(project, "SELECT count(*) FROM hits", { target: "draft", object: "Counter:busy" });
    expect(inDraft.rows[0]?.[0]).toBe(4);
  });

  it("forks and exports with every object's data, and imports them", async () => {
    const project = await workerProject();
    const fork = await api<Project>(project, "/fork", { method: "POST", json: {} });
    expect(await hits(fork, "Counter:busy")).toBe(3);
    expect(await (await app(fork, "/count/quiet")).json()).toEqual({ n: 2 });
    const bundle = await api<ProjectBundle>(project, "/export");
    expect(bundle.objects?.map((o) => o.name).sort()).toEqual(["busy", "quiet"]);
    const imported = await call("/api/projects/import", { method: "POST", json: bundle });
    expect(imported.status).toBe(201);
    const copy = (await imported.json()) as Project;
    expect(await hits(copy, "Counter:quiet")).toBe(1);
    // A bundle whose object ID is not its name's is refused, and leaves no project behind.
    const forged = structuredClone(bundle);
    const first = forged.objects?.[0];
    if (first) first.name = "someone-else";
    const refused = await call("/api/projects/import", { method: "POST", json: { ...forged, name: "forged-objects" } });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Invalid Durable Object ID");
  });
});
