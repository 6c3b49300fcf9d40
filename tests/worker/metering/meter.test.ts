/**
 * The meter: what GET /api/projects/:id/metrics reports matches what the test did to the app (its
 * requests, failures, WebSocket messages and alarms) and what the app's SQL and KV calls did,
 * counted inside the app's isolate without the app seeing a difference, even when its code tries to
 * hide what it does.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { MetricsResponse, MetricsWindow } from "../../../shared/metrics";
import acceptedSocketAndAlarm from "../fixtures/apps/accepted-socket-and-alarm.ts?raw";
import meterTamperer from "../fixtures/apps/meter-tamperer.ts?raw";
import workAppSource from "../fixtures/apps/work-app.ts?raw";
import meterFooler from "../fixtures/unchecked/meter-fooler.ts?raw";
import { api, app, call, createProject, deploy, on, openAppSocket } from "../support/helpers";
import { openTerminal } from "../support/socket";

type Project = { id: string; token: string };

async function metrics(project: Project, window: MetricsWindow = "1h"): Promise<MetricsResponse> {
  const response = await api.send("getMetrics", { ...on(project), query: { window } });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return JSON.parse(text);
}

/** An app whose routes the tests drive: each answers what its SQL cursors counted themselves. */
const workApp = {
  "app.ts": workAppSource,
};

describe("the meter", () => {
  it("counts the requests made, by status, with failures, latency and WebSocket messages", async () => {
    const project = await createProject();
    await deploy(project, workApp);
    for (let i = 0; i < 5; i++) expect((await app(project, "/ok")).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await app(project, "/missing")).status).toBe(404);
    for (let i = 0; i < 2; i++) expect((await app(project, "/boom")).status).toBe(500);
    const { socket, nextMessage } = await openAppSocket(project, "/ws");
    for (let i = 0; i < 4; i++) socket.send(`m${i}`);
    for (let i = 0; i < 8; i++) await nextMessage();
    socket.close(1000, "done");

    const { totals, series } = await metrics(project);
    // 5 + 3 + 2 + the WebSocket upgrade.
    expect(totals.requests).toBe(11);
    expect(totals.byStatus).toEqual({ "1xx": 1, "2xx": 5, "3xx": 0, "4xx": 3, "5xx": 2 });
    expect(totals.errors).toBe(2);
    expect(totals.exceptions).toBe(2);
    expect(totals.rateLimited).toBe(0);
    expect(totals.wsIn).toBe(4);
    expect(totals.wsOut).toBe(8);
    expect(totals.p50Ms).not.toBeNull();
    expect(totals.p95Ms).toBeGreaterThanOrEqual(totals.p50Ms ?? 0);
    expect(totals.saves).toBe(1);
    expect(series.at).toHaveLength(60);
    expect(series.requests.reduce((sum, n) => sum + n, 0)).toBe(11);
    expect(series.errors.reduce((sum, n) => sum + n, 0)).toBe(2);
    expect(series.databaseBytes.at(-1)).toBeGreaterThan(0);
  });

  it("counts the rows the app's SQL and KV calls read and wrote, several statements in one call included", async () => {
    const project = await createProject();
    await deploy(project, workApp);
    const before = await metrics(project);
    const response = await app(project, "/sql");
    const body = (await response.json()) as { n: number; expected: { read: number; written: number } };
    // The app saw the statements' real results.
    expect(body.n).toBe(5);
    const after = await metrics(project);
    expect(after.totals.rowsRead - before.totals.rowsRead).toBe(body.expected.read);
    expect(after.totals.rowsWritten - before.totals.rowsWritten).toBe(body.expected.written);
    expect(after.totals.rowsWritten).toBeGreaterThan(10);
  });

  it("cannot be fooled by an app that patches the built-ins and the SQL API it can reach", async () => {
    const honest = await createProject();
    const sly = await createProject();
    const workload = `
      sql.exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)");
      sql.exec("INSERT INTO t (v) VALUES ('x'); INSERT INTO t (v) VALUES ('y'), ('z')");
      sql.exec("SELECT * FROM t").toArray();
      this.ctx.storage.kv.put("key", "value");`;
    await deploy(honest, {
      "app.ts": `import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject {
  fetch() { const sql = this.ctx.storage.sql; ${workload} return new Response("done"); }
}`,
    });
    await deploy(sly, {
      "app.ts": meterFooler.replaceAll("/* workload */", () => workload),
    });
    for (const project of [honest, sly]) expect(await (await app(project, "/")).text()).toBe("done");
    // Past the meter's own report (2 s), so a swallowed report would be missing.
    await new Promise((r) => setTimeout(r, 2_500));
    const [a, b] = [await metrics(honest), await metrics(sly)];
    expect(a.totals.rowsWritten).toBeGreaterThan(3);
    expect(b.totals.rowsRead).toBeGreaterThanOrEqual(a.totals.rowsRead);
    expect(b.totals.rowsWritten).toBe(a.totals.rowsWritten);
    expect(b.totals.databaseBytes).toBeGreaterThan(0);
  });

  it("cannot be drained by the app calling the wrapper's meter method itself, nor replaced", async () => {
    const project = await createProject();
    await deploy(project, {
      "app.ts": meterTamperer,
    });
    const before = await metrics(project);
    expect(await (await app(project, "/")).json()).toEqual({ taken: null, replaced: "refused" });
    const after = await metrics(project);
    expect(after.totals.rowsWritten - before.totals.rowsWritten).toBeGreaterThanOrEqual(5);
  });

  it("answers with a cost estimate at dated prices, and streams the status bar's figures on the terminal", async () => {
    const project = await createProject();
    await deploy(project, workApp);
    const terminal = await openTerminal(project);
    await terminal.next((m) => m.type === "meter");
    for (let i = 0; i < 3; i++) await app(project, "/ok");
    const live = await terminal.nextWhere((m) => m.type === "meter" && m.meter.requestsPerMinute >= 3);
    expect(live.type === "meter" && live.meter.limits.requestsPerMinute).toBe(6000);
    const { cost } = await metrics(project, "24h");
    expect(cost.pricesAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(cost.lines.find((l) => l.item === "Workers requests")).toMatchObject({
      quantity: 3,
      price: 0.3,
      per: 1_000_000,
    });
    expect(cost.totalUsd).toBeGreaterThan(0);
    terminal.socket.close();
  });

  it("counts the messages of sockets the app accept()s, and the alarms it runs", async () => {
    const project = await createProject();
    await deploy(project, {
      "app.ts": acceptedSocketAndAlarm,
    });
    const { socket, nextMessage } = await openAppSocket(project, "/ws");
    for (let i = 0; i < 3; i++) socket.send(`m${i}`);
    for (let i = 0; i < 3; i++) expect(await nextMessage()).toBe(`echo m${i}`);
    socket.close(1000, "done");
    expect(await (await app(project, "/alarm")).text()).toBe("set");
    let totals = (await metrics(project)).totals;
    for (let i = 0; i < 50 && totals.alarms === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      totals = (await metrics(project)).totals;
    }
    expect(totals).toMatchObject({ wsIn: 3, wsOut: 3, alarms: 1 });
    // setAlarm() is billed as a row written.
    expect(totals.rowsWritten).toBeGreaterThanOrEqual(1);
  });

  it("leaves the draft's traffic out, and counts the disk the data snapshots hold", async () => {
    const project = await createProject();
    await deploy(project, workApp);
    for (let i = 0; i < 3; i++) await app(project, "/sql");
    // The second save snapshots the data v1 leaves.
    await deploy(project, { "app.ts": `${workApp["app.ts"]}\n// v2\n` });
    const before = await metrics(project);
    expect(before.totals.saves).toBe(2);
    expect(before.totals.snapshotBytes).toBeGreaterThan(0);
    expect(before.series.snapshotBytes.at(-1)).toBe(before.totals.snapshotBytes);
    expect(before.cost.lines.find((l) => l.item === "Snapshot storage")?.quantity).toBeGreaterThan(0);
    const draft = await api.send("putDraftCode", { ...on(project), body: { files: workApp } });
    expect(draft.status).toBe(200);
    for (let i = 0; i < 4; i++) {
      const response = await exports.default.fetch(new Request(`http://${project.id}--draft.localhost:5173/sql`));
      expect(response.status).toBe(200);
    }
    const after = await metrics(project);
    expect(after.totals.requests).toBe(before.totals.requests);
    expect(after.totals.rowsWritten).toBe(before.totals.rowsWritten);
    expect(after.totals.saves).toBe(2);
  });

  it("rolls a day into hours for the 30-day window, and refuses an unknown window", async () => {
    const project = await createProject();
    await deploy(project, workApp);
    await app(project, "/ok");
    const month = await metrics(project, "30d");
    expect(month.bucketMs).toBe(3_600_000);
    expect(month.series.at).toHaveLength(720);
    expect(month.series.requests.at(-1)).toBe(1);
    expect(month.totals.requests).toBe(1);
    const bad = await call(`${api.path("getMetrics", { params: { id: project.id } })}?window=2h`, {
      token: project.token,
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/window/);
  });
});
