import { describe, expect, it } from "vitest";
import type { SqlResult } from "../../shared/api";
import { app, call, createProject, deploy } from "./helpers";

/** An app whose GET /set sets an alarm, and whose alarm() records its alarmInfo (and throws while `fail` rows remain). */
const alarmApp = (label: string) => ({
  "app.ts": `import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS fired (label TEXT, retry_count INTEGER, is_retry INTEGER)");
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS fail (x)");
  }
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/set") await this.ctx.storage.setAlarm(Date.now() + Number(url.searchParams.get("in") ?? 60000));
    if (url.pathname === "/delete") await this.ctx.storage.deleteAlarm();
    if (url.pathname === "/fail") this.ctx.storage.sql.exec("INSERT INTO fail VALUES (1), (1)");
    const alarm = await this.ctx.storage.getAlarm();
    return Response.json({ alarm });
  }
  async alarm(info: AlarmInvocationInfo) {
    const failing = this.ctx.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM fail").one().n;
    this.ctx.storage.sql.exec("INSERT INTO fired VALUES (?, ?, ?)", ${JSON.stringify(label)}, info.retryCount, info.isRetry ? 1 : 0);
    if (failing > 0) {
      this.ctx.storage.sql.exec("DELETE FROM fail WHERE rowid = (SELECT min(rowid) FROM fail)");
      throw new Error("alarm failed on purpose");
    }
    console.log("alarm ran", ${JSON.stringify(label)});
  }
}`,
});

/** Waits until the app's `fired` table holds `expected` rows (alarms run on their own, as deployed). */
async function waitForFired(project: { id: string; token: string }, expected: number, timeoutMs = 15_000) {
  const started = Date.now();
  let rows = await fired(project);
  while (rows.length < expected && Date.now() - started < timeoutMs) {
    await new Promise((r) => setTimeout(r, 100));
    rows = await fired(project);
  }
  return rows;
}

async function fired(project: { id: string; token: string }) {
  const response = await call(`/api/projects/${project.id}/sql`, {
    method: "POST",
    token: project.token,
    json: { sql: "SELECT label, retry_count, is_retry FROM fired" },
  });
  return ((await response.json()) as SqlResult).rows;
}

describe("alarms", () => {
  it("setAlarm / getAlarm / deleteAlarm behave as in a standalone Durable Object", async () => {
    const project = await createProject();
    await deploy(project, alarmApp("a"));
    expect(await (await app(project, "/")).json()).toEqual({ alarm: null });
    const set = (await (await app(project, "/set?in=60000")).json()) as { alarm: number };
    expect(set.alarm).toBeGreaterThan(Date.now());
    expect(await (await app(project, "/delete")).json()).toEqual({ alarm: null });
  });

  it("fires the app's alarm() handler, which the supervisor holds", async () => {
    const project = await createProject();
    await deploy(project, alarmApp("fires"));
    await app(project, "/set?in=200");
    expect(await waitForFired(project, 1)).toEqual([["fires", 0, 0]]);
    expect(await (await app(project, "/")).json()).toEqual({ alarm: null });
  });

  it("retries after a throw with retryCount and isRetry, then succeeds", async () => {
    const project = await createProject();
    await deploy(project, alarmApp("retry"));
    await app(project, "/fail");
    await app(project, "/set?in=0");
    // Two failures (retries 2 s and 4 s later), then success on the third run.
    expect(await waitForFired(project, 3)).toEqual([
      ["retry", 0, 0],
      ["retry", 1, 1],
      ["retry", 2, 1],
    ]);
    expect(await (await app(project, "/")).json()).toEqual({ alarm: null });
  });

  it("survives a swap: the alarm set under v1 fires v2's handler", async () => {
    const project = await createProject();
    await deploy(project, alarmApp("v1"));
    await app(project, "/set?in=1500");
    await deploy(project, alarmApp("v2"));
    expect(await waitForFired(project, 1)).toEqual([["v2", 0, 0]]);
  });
});
