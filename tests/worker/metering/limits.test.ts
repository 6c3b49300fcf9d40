/**
 * Limits per project: requests a minute (429 with Retry-After, then recovery), database size (writes
 * fail with an error naming the limit, reads and deletes work, nothing is lost), console lines a
 * minute (the rest counted, not kept), and all of them kept across a restart of the supervisor.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { LimitsResponse, MetricsResponse, PutLimitsRequest } from "../../../shared/metrics";
import storeAppSource from "../fixtures/apps/store-app.ts?raw";
import { api, app, call, createProject, deploy, on } from "../support/helpers";
import { linesOf, openTerminal, waitForLine } from "../support/socket";

type Project = { id: string; token: string };

async function setLimits(project: Project, change: PutLimitsRequest): Promise<LimitsResponse> {
  const response = await api.send("putLimits", { ...on(project), body: change });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return JSON.parse(text);
}

async function metrics(project: Project): Promise<MetricsResponse> {
  const response = await api.send("getMetrics", on(project));
  expect(response.status).toBe(200);
  return response.json();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Resets the project's supervisor as a crash or a deploy would: its in-memory state goes, its
 * storage stays. (evictDurableObject waits forever once an app has run: the facet keeps it referenced.)
 */
async function restartSupervisor(project: Project): Promise<void> {
  await runInDurableObject(env.SUPERVISOR.getByName(project.id), async (instance) => {
    (instance as unknown as { restartMark: boolean }).restartMark = true;
  });
  await runInDurableObject(env.SUPERVISOR.getByName(project.id), async (_instance, state) => {
    state.abort("restarted by the test");
  }).catch(() => {});
  const fresh = await runInDurableObject(
    env.SUPERVISOR.getByName(project.id),
    async (instance) => (instance as unknown as { restartMark?: boolean }).restartMark,
  );
  expect(fresh, "a new instance after the restart").toBeUndefined();
}

const storeApp = {
  "app.ts": storeAppSource,
};

describe("limits", () => {
  it("start from the global defaults, change one by one, go back with null, and refuse nonsense", async () => {
    const project = await createProject();
    const initial = await api.call("getLimits", on(project));
    expect(initial.limits).toEqual(initial.defaults);
    expect(initial.defaults).toEqual({
      requestsPerMinute: 6000,
      databaseBytes: 1073741824,
      logLinesPerMinute: 3000,
      cpuMs: 5000,
      subRequests: 50,
      objects: 100,
      socketMessagesPerSecond: 100,
      projectSocketMessagesPerSecond: 1000,
    });
    expect(initial.overrides).toEqual({});
    const changed = await setLimits(project, { requestsPerMinute: 100, cpuMs: 1000 });
    expect(changed.limits).toMatchObject({ requestsPerMinute: 100, cpuMs: 1000, databaseBytes: 1073741824 });
    expect(changed.overrides).toEqual({ requestsPerMinute: 100, cpuMs: 1000 });
    const reset = await setLimits(project, { cpuMs: null });
    expect(reset.overrides).toEqual({ requestsPerMinute: 100 });
    for (const bad of [{ requestsPerMinute: 0 }, { databaseBytes: 1.5 }, { cpuMs: "fast" }, { speed: 1 }]) {
      const response = await call(api.path("putLimits", { params: { id: project.id } }), {
        method: "PUT",
        token: project.token,
        json: bad,
      });
      expect(response.status, JSON.stringify(bad)).toBe(400);
    }
    const kept = await api.call("getLimits", on(project));
    expect((kept as LimitsResponse).overrides).toEqual({ requestsPerMinute: 100 });
  });

  it("refuse settings and limits above the operator's ceilings, with 400 naming the ceiling", async () => {
    const project = await createProject();
    const put = (route: "putLimits" | "setSnapshotSettings", body: object) =>
      api.send(route, { ...on(project), body } as never);
    const refused = async (response: Response, pattern: RegExp) => {
      const text = await response.text();
      expect(response.status, text).toBe(400);
      expect(text).toMatch(pattern);
    };
    await refused(await put("putLimits", { databaseBytes: 10_000_000_000 }), /FACET_IDE_MAX_DATABASE_BYTES/);
    await refused(
      await put("putLimits", { socketMessagesPerSecond: 5_000 }),
      /FACET_IDE_MAX_SOCKET_MESSAGES_PER_SECOND/,
    );
    await refused(await put("setSnapshotSettings", { maxVersions: 1000 }), /FACET_IDE_MAX_SNAPSHOTS_PER_PROJECT/);
    await refused(await put("setSnapshotSettings", { maxBytes: 1e15 }), /FACET_IDE_MAX_SNAPSHOT_BYTES_PER_PROJECT/);
    expect((await api.call("getLimits", on(project))).limits.databaseBytes).toBe(1073741824);
    const snapshots = await api.call("getSnapshots", on(project));
    expect(snapshots.settings).toEqual({ maxVersions: 20, maxBytes: 200 * 1024 * 1024 });
    // At the ceilings is allowed.
    expect((await put("putLimits", { databaseBytes: 2 * 1024 ** 3 })).status).toBe(200);
    expect((await put("setSnapshotSettings", { maxVersions: 100, maxBytes: 2 * 1024 ** 3 })).status).toBe(200);
  });

  it("answer 429 with Retry-After past the requests a minute, say so in the terminal, and let requests through again", async () => {
    const project = await createProject();
    await deploy(project, storeApp);
    await setLimits(project, { requestsPerMinute: 60 });
    const terminal = await openTerminal(project);
    let refused: Response | null = null;
    let passed = 0;
    for (let i = 0; i < 120 && !refused; i++) {
      const response = await app(project, "/");
      if (response.status === 429) refused = response;
      else {
        expect(response.status).toBe(200);
        passed++;
      }
    }
    if (!refused) throw new Error("no 429 after 120 requests");
    expect(passed).toBeGreaterThanOrEqual(60);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(await refused.text()).toMatch(/limit of 60 requests a minute \(requestsPerMinute\)/);
    const line = await waitForLine(terminal, (e) => e.kind === "system" && e.message.startsWith("rate limit"));
    expect(line.kind === "system" && line.level).toBe("warn");
    // Refused again at once, and the refusals do not reach the app or flood the terminal.
    expect((await app(project, "/")).status).toBe(429);
    expect(linesOf(terminal).filter((e) => e.kind === "system" && e.message.startsWith("rate limit"))).toHaveLength(1);
    const status = await terminal.nextWhere(
      (m) => m.type === "meter" && m.meter.reached.some((r) => r.limit === "requestsPerMinute"),
    );
    expect(status.type).toBe("meter");
    await sleep(retryAfter * 1000 + 100);
    expect((await app(project, "/")).status).toBe(200);
    const { totals } = await metrics(project);
    expect(totals.rateLimited).toBe(2);
    expect(totals.requests).toBe(passed + 3);
    expect(totals.byStatus["4xx"]).toBe(2);
    terminal.socket.close();
  });

  it("count the draft's origin against the same requests a minute as the live one's", async () => {
    const project = await createProject();
    await deploy(project, storeApp);
    const draftCode = await call(`/api/projects/${project.id}/draft/code`, {
      method: "PUT",
      token: project.token,
      json: { files: storeApp },
    });
    expect(draftCode.status).toBe(200);
    await setLimits(project, { requestsPerMinute: 60 });
    const draft = () => exports.default.fetch(new Request(`http://${project.id}--draft.localhost:5173/`));
    // A visitor of the draft alone meets the limit...
    let refused: Response | null = null;
    let passed = 0;
    for (let i = 0; i < 120 && !refused; i++) {
      const response = await draft();
      if (response.status === 429) refused = response;
      else {
        expect(await response.text()).toBe("hello");
        passed++;
      }
    }
    if (!refused) throw new Error("the draft's origin answered 120 requests in a row under a limit of 60 a minute");
    expect(passed).toBeGreaterThanOrEqual(60);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await refused.text()).toMatch(/limit of 60 requests a minute \(requestsPerMinute\)/);
    // ...and it is the project's one budget: the live origin is refused too, and the other way round.
    expect((await app(project, "/")).status).toBe(429);
    // The meter counts the live origin's traffic: the draft's refusals are not among its 429s.
    expect((await metrics(project)).totals.rateLimited).toBe(1);
    const other = await createProject();
    await deploy(other, storeApp);
    await call(`/api/projects/${other.id}/draft/code`, {
      method: "PUT",
      token: other.token,
      json: { files: storeApp },
    });
    await setLimits(other, { requestsPerMinute: 60 });
    let live = 0;
    while ((await app(other, "/")).status === 200) if (++live > 120) throw new Error("no 429 on the live origin");
    expect(live).toBeGreaterThanOrEqual(60);
    const draftOfOther = await exports.default.fetch(new Request(`http://${other.id}--draft.localhost:5173/`));
    expect(draftOfOther.status).toBe(429);
  });

  it("stop writes past the database size with an error naming the limit, keep reads, deletes and every row", async () => {
    const project = await createProject();
    await deploy(project, storeApp);
    const terminal = await openTerminal(project);
    await setLimits(project, { databaseBytes: 262_144 });
    await waitForLine(terminal, (e) => e.kind === "system" && /restarted with them/.test(e.message));
    const filled = (await (await app(project, "/fill")).json()) as { added: number; name?: string; message?: string };
    expect(filled.name).toBe("DatabaseSizeLimitError");
    expect(filled.message).toMatch(/size limit: .* of 0\.3 MiB \(databaseBytes\)/);
    expect(filled.message).toMatch(/reads and deletes still work/);
    expect(filled.added).toBeGreaterThan(20);
    // Every row written before the limit is there, and reads work.
    expect(await (await app(project, "/count")).json()).toEqual({ n: filled.added });
    expect(await (await app(project, "/kv")).text()).toBe("DatabaseSizeLimitError");
    // The SQL console is held to the same limit, and reads through it too.
    const insert = await api.send("runSql", {
      ...on(project),
      body: { sql: "INSERT INTO blobs (body) VALUES ('one more')" },
    });
    expect(insert.status).toBe(400);
    expect(((await insert.json()) as { error: { message: string } }).error.message).toMatch(/databaseBytes/);
    const select = await api.send("runSql", { ...on(project), body: { sql: "SELECT count(*) FROM blobs" } });
    expect(((await select.json()) as { rows: unknown[][] }).rows).toEqual([[filled.added]]);
    await waitForLine(terminal, (e) => e.kind === "system" && e.message.startsWith("database size limit"), 5_000);
    const { totals } = await metrics(project);
    expect(totals.writesRefused).toBeGreaterThanOrEqual(3);
    expect(totals.databaseBytes).toBeGreaterThanOrEqual(262_144);
    // Deleting makes room again.
    const trimmed = (await (await app(project, "/trim")).json()) as { deleted: number };
    expect(trimmed.deleted).toBeGreaterThan(0);
    expect(await (await app(project, "/kv")).text()).toBe("stored");
    terminal.socket.close();
  });

  it("keep console lines to the limit a minute, count the rest, and say so once", async () => {
    const project = await createProject();
    await deploy(project, storeApp);
    await setLimits(project, { logLinesPerMinute: 5 });
    const terminal = await openTerminal(project);
    expect(await (await app(project, "/log")).text()).toBe("logged");
    await waitForLine(terminal, (e) => e.kind === "system" && e.message.startsWith("log limit"));
    const lines = linesOf(terminal).filter((e) => e.kind === "console");
    expect(lines).toHaveLength(5);
    const { totals } = await metrics(project);
    expect(totals.logLines).toBe(20);
    expect(totals.logLinesDropped).toBe(15);
    terminal.socket.close();
  });

  it("survive a restart of the supervisor, and so does what the meter counted", async () => {
    const project = await createProject();
    await deploy(project, storeApp);
    await setLimits(project, { requestsPerMinute: 1234, logLinesPerMinute: 77 });
    for (let i = 0; i < 3; i++) await app(project, "/");
    await metrics(project);
    await restartSupervisor(project);
    const limits = await api.call("getLimits", on(project));
    expect(limits.overrides).toEqual({ requestsPerMinute: 1234, logLinesPerMinute: 77 });
    expect(limits.limits.requestsPerMinute).toBe(1234);
    await app(project, "/");
    expect((await metrics(project)).totals.requests).toBe(4);
  });
});
