/**
 * The IDE's tools on a Worker project's objects (issue 19): the objects list, the SQL console and the
 * Data view on a chosen object (the most used one by default), each object's meter, deleting an object, snapshots and
 * restores (all objects, or one), the draft's copies, and fork, export and import.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CreateProjectResponse } from "../../../shared/api";
import type { MetricsResponse } from "../../../shared/metrics";
import { objectsProject } from "../fixtures/objects-app";
import { api, app, createProject, deploy, on } from "../support/helpers";

type Project = CreateProjectResponse;

const sql = (project: Project, statement: string, extra: { object?: string; target?: "draft" } = {}) =>
  api.call("runSql", { ...on(project), body: { sql: statement, ...extra } });

const objects = (project: Project) => api.call("listObjects", on(project));
const metrics = (project: Project, query: { window?: "1h"; object?: string }) =>
  api.call("getMetrics", { ...on(project), query });

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
    const listed = await objects(project);
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
    const whole = await metrics(project, { window: "1h" });
    expect(whole.totals.rowsWritten).toBeGreaterThanOrEqual((busy?.rowsWritten ?? 0) + (quiet?.rowsWritten ?? 0));
    expect(whole.totals.rowsRead).toBeGreaterThanOrEqual((busy?.rowsRead ?? 0) + (quiet?.rowsRead ?? 0));
    const plain = await createProject("notes");
    expect(await objects(plain)).toEqual({ worker: false, objects: [], limit: 100 });
  });

  it("meters each object on its own: its calls, exceptions, rows and database for the window", async () => {
    const project = await workerProject(); // busy: 3 RPC calls, quiet: 1
    await app(project, "/fetch/busy");
    await app(project, "/fail/quiet");
    type Metrics = MetricsResponse;
    const busy = await metrics(project, { window: "1h", object: "Counter:busy" });
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
    const quiet = await metrics(project, { object: "quiet" });
    expect(quiet.object).toBe("Counter:quiet");
    expect([quiet.totals.requests, quiet.totals.errors, quiet.totals.exceptions]).toEqual([2, 1, 1]);
    const listed = await objects(project);
    const quietId = listed.objects.find((o) => o.label === "Counter:quiet")?.id ?? "";
    expect((await metrics(project, { object: quietId })).totals.requests).toBe(2);
    // The project's figures add everything up: its requests are the Worker's.
    const whole = await metrics(project, { window: "1h" });
    expect(whole.object).toBeNull();
    expect(whole.totals.requests).toBe(6);
    expect(whole.totals.rowsWritten).toBeGreaterThanOrEqual(busy.totals.rowsWritten + quiet.totals.rowsWritten);
    // An object the project does not have, and an App project asked for one.
    const missing = await api.send("getMetrics", { ...on(project), query: { object: "Counter:nobody" } });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("No Durable Object 'Counter:nobody'");
    const huge = await api.send("getMetrics", { ...on(project), query: { object: "x".repeat(5_000) } });
    expect(huge.status).toBe(400);
    const escaped = await api.send("getMetrics", { ...on(project), query: { object: "\x1b[31mred" } });
    expect(escaped.status).toBe(404);
    const plain = await createProject("notes");
    const refused = await api.send("getMetrics", { ...on(plain), query: { object: "x" } });
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
    const [busy] = (await objects(project)).objects;
    expect(await hits(project, busy?.id ?? "")).toBe(3);
    const most = await sql(project, "SELECT count(*) FROM hits");
    expect(most).toMatchObject({ rows: [[3]], object: "Counter:busy" });
    const missing = await api.send("runSql", { ...on(project), body: { sql: "SELECT 1", object: "Counter:nobody" } });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("No Durable Object 'Counter:nobody'");
  });

  it("shows an object's tables and rows in the Data view", async () => {
    const project = await workerProject();
    const tables = await api.call("listTables", { ...on(project), query: { object: "Counter:quiet" } });
    expect(tables.tables.find((t) => t.name === "hits")?.rowCount).toBe(1);
    const rows = await api.call("queryRows", {
      params: { id: project.id, table: "hits" },
      query: { object: "Counter:busy" },
      credential: project.token,
    });
    expect(rows.rows).toHaveLength(3);
  });

  it("deletes an object with its database; the next call makes it anew", async () => {
    const project = await workerProject();
    expect(
      await api.call("deleteObject", { params: { id: project.id, object: "Counter:busy" }, credential: project.token }),
    ).toEqual({ deleted: "Counter:busy" });
    expect((await objects(project)).objects.map((o) => o.label)).toEqual(["Counter:quiet"]);
    expect(await (await app(project, "/count/busy")).json()).toEqual({ n: 1 });
  });

  it("snapshots every object at a save, and restores all of them, or one", async () => {
    const project = await workerProject();
    await deploy(project, objectsProject("v2")); // v1's data is snapshotted: busy 3, quiet 1
    await app(project, "/count/busy");
    await app(project, "/count/quiet");
    await app(project, "/count/new");
    // One object: quiet goes back to v1's data, busy keeps its four rows.
    const restore = (body: { data: true; object?: string }) =>
      api.call("restoreVersion", { params: { id: project.id, version: 1 }, credential: project.token, body });
    await restore({ data: true, object: "Counter:quiet" });
    expect(await hits(project, "Counter:quiet")).toBe(1);
    expect(await hits(project, "Counter:busy")).toBe(4);
    // All of them: the object made since v1 is gone.
    await restore({ data: true });
    expect(await hits(project, "Counter:busy")).toBe(3);
    const labels = (await objects(project)).objects.map((o) => o.label).sort();
    expect(labels).toEqual(["Counter:busy", "Counter:quiet"]);
  });

  it("runs the draft on copies of the objects, which the live ones never see", async () => {
    const project = await workerProject();
    await api.call("putDraftCode", { ...on(project), body: { files: objectsProject("draft") } });
    const draft = await (await app({ id: `${project.id}--draft` }, "/fetch/busy")).text();
    expect(draft).toBe("draft busy /fetch/busy n=4");
    expect(await hits(project, "Counter:busy")).toBe(3);
    const inDraft = await sql(project, "SELECT count(*) FROM hits", { target: "draft", object: "Counter:busy" });
    expect(inDraft.rows[0]?.[0]).toBe(4);
  });

  it("forks and exports with every object's data, and imports them", async () => {
    const project = await workerProject();
    const fork = await api.call("forkProject", on(project));
    expect(await hits(fork, "Counter:busy")).toBe(3);
    expect(await (await app(fork, "/count/quiet")).json()).toEqual({ n: 2 });
    const bundle = await api.call("exportProject", on(project));
    expect(bundle.objects?.map((o) => o.name).sort()).toEqual(["busy", "quiet"]);
    const imported = await api.send("importProject", { body: bundle });
    expect(imported.status).toBe(201);
    const copy = (await imported.json()) as Project;
    expect(await hits(copy, "Counter:quiet")).toBe(1);
    // A bundle whose object ID is not its name's is refused, and leaves no project behind.
    const forged = structuredClone(bundle);
    const first = forged.objects?.[0];
    if (first) first.name = "someone-else";
    const refused = await api.send("importProject", { body: { ...forged, name: "forged-objects" } });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Invalid Durable Object ID");
  });
});
