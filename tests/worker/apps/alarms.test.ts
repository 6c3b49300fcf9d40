import { describe, expect, it } from "vitest";
import type { SqlResult } from "../../../shared/sql";
import alarmAppSource from "../fixtures/unchecked/alarm-app.ts?raw";
import alarmRearmingTwice from "../fixtures/unchecked/alarm-rearming-twice.ts?raw";
import rateLimiter from "../fixtures/unchecked/rate-limiter.ts?raw";
import { api, app, createProject, deploy, on } from "../support/helpers";

/** An app whose GET /set sets an alarm, and whose alarm() records its alarmInfo (and throws while `fail` rows remain). */
const alarmApp = (label: string) => ({
  "app.ts": alarmAppSource.replaceAll('"__LABEL__"', () => JSON.stringify(label)),
});

/** Waits until the app's `fired` table holds `expected` rows. */
const waitForFired = (project: { id: string; token: string }, expected: number) =>
  waitForRows(project, "SELECT label, retry_count, is_retry FROM fired", expected);

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

describe("getAlarm() inside alarm(), as Cloudflare documents it", () => {
  it("is null while the handler runs, and the new time once the handler set one", async () => {
    const project = await createProject();
    await deploy(project, {
      "app.ts": alarmRearmingTwice,
    });
    await app(project, "/");
    const rows = await waitForRows(project, "SELECT run, before_set, after_set > 0 FROM seen", 3);
    expect(rows).toEqual([
      [0, null, 1],
      [1, null, 1],
      [2, null, null],
    ]);
  });

  it("a token bucket that re-arms only when no alarm is set (the docs' rate limiter) keeps refilling", async () => {
    const project = await createProject();
    // As in the docs' rate limiter: alarm() refills and calls checkAndSetAlarm(), which re-arms only if
    // getAlarm() is null. (The docs do not await it; awaiting makes the order certain.) If getAlarm()
    // reported the running alarm, the bucket would refill once and never again.
    await deploy(project, {
      "app.ts": rateLimiter,
    });
    expect(await (await app(project, "/")).text()).toBe("bucket emptied");
    expect(await waitForRows(project, "SELECT tokens FROM refills", 3)).toEqual([[2], [4], [5]]);
    // Full: the last alarm() did not re-arm, so nothing more is scheduled.
    await new Promise((r) => setTimeout(r, 400));
    expect(await waitForRows(project, "SELECT tokens FROM refills", 3)).toEqual([[2], [4], [5]]);
  });
});

/** Polls a console query until it returns at least `expected` rows (alarms run on their own, as deployed). */
async function waitForRows(project: { id: string; token: string }, sql: string, expected: number) {
  const started = Date.now();
  let rows: SqlResult["rows"] = [];
  while (Date.now() - started < 15_000) {
    const response = await api.send("runSql", { ...on(project), body: { sql } });
    rows = ((await response.json()) as SqlResult).rows;
    if (rows.length >= expected) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return rows;
}
