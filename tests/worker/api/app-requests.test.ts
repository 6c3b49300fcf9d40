/**
 * `POST /api/projects/:id/request` (the MCP tool request_app) as an agent tests with it: a 3xx is
 * the answer (followed only to the app's own origin when asked), the draft is reached on its copy of
 * the data, the rate limit answers 429 and is counted once, and a Worker project's answer names the
 * objects that served it.
 */
import { describe, expect, it } from "vitest";
import type { MetricsResponse } from "../../../shared/metrics";
import { objectsProject } from "../fixtures/objects-app";
import { api, appWith, counterApp, createProject, deploy, on } from "../support/helpers";

type Project = { id: string; token: string };

const request = (project: Project, body: Parameters<typeof api.call<"requestApp">>[1]["body"]) =>
  api.call("requestApp", { ...on(project), body });

// A URL shortener: GET /s/<code> redirects elsewhere; /home is its own page; /hits counts what reached it.
const shortener = appWith(
  `    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS hits (path TEXT)");
    const url = new URL(request.url);
    sql.exec("INSERT INTO hits VALUES (?)", url.pathname);
    if (url.pathname.startsWith("/s/")) return Response.redirect("https://example.com/target?c=" + url.pathname.slice(3), 302);
    if (url.pathname === "/go-home") return new Response(null, { status: 303, headers: { location: "/home" } });
    if (url.pathname === "/loop") return new Response(null, { status: 302, headers: { location: "/loop" } });
    if (url.pathname === "/home") return new Response("home via " + request.method);
    const paths = sql.exec<{ path: string }>("SELECT path FROM hits").toArray().map((r) => r.path);
    return Response.json(paths);`,
);

describe("request_app's redirects", () => {
  it("answers a 3xx with its Location and never follows it into the app (redirect manual by default)", async () => {
    const project = await createProject();
    await deploy(project, shortener);
    const answer = await request(project, { path: "/s/abc" });
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe("https://example.com/target?c=abc");
    expect(answer.redirects).toBeUndefined();
    expect(answer.logs).toMatchObject([{ kind: "request", path: "/s/abc", status: 302 }]);
    // Only the one request reached the app: nothing served the Location's path.
    const hits = await request(project, { path: "/hits" });
    expect(JSON.parse(hits.body)).toEqual(["/s/abc", "/hits"]);
  });

  it("follows only redirects to the app's own origin with redirect follow, as a visitor's browser would", async () => {
    const project = await createProject();
    await deploy(project, shortener);
    const home = await request(project, { method: "POST", path: "/go-home", body: "x", redirect: "follow" });
    expect(home).toMatchObject({ status: 200, body: "home via GET", redirects: [{ status: 303, location: "/home" }] });
    expect(home.logs.map((l) => l.kind === "request" && l.path)).toEqual(["/go-home", "/home"]);

    const away = await request(project, { path: "/s/xyz", redirect: "follow" });
    expect(away.status).toBe(302);
    expect(away.headers.location).toBe("https://example.com/target?c=xyz");
    expect(away.note).toMatch(/Not followed: the Location is not on the app's origin/);

    const loop = await request(project, { path: "/loop", redirect: "follow" });
    expect(loop.status).toBe(302);
    expect(loop.redirects).toHaveLength(5);
    expect(loop.note).toMatch(/Stopped after following 5 redirects/);
    const hits = JSON.parse((await request(project, { path: "/hits" })).body) as string[];
    expect(hits.filter((p) => p === "/loop")).toHaveLength(6);
    expect(hits).not.toContain("/target");
  });
});

describe("request_app's target", () => {
  it('reaches the draft on its copy of the data with target "draft", and refuses it clearly when there is none', async () => {
    const project = await createProject();
    await deploy(project, counterApp("live"));
    const none = await api.send("requestApp", { ...on(project), body: { path: "/", target: "draft" } });
    expect(none.status).toBe(404);
    expect(((await none.json()) as { error: { message: string } }).error.message).toMatch(
      /no draft, so target "draft" has nothing to reach: write_draft/,
    );
    expect((await request(project, { path: "/" })).body).toBe("live rows=1");

    const made = await api.send("putDraftCode", { ...on(project), body: { files: counterApp("draft") } });
    expect(made.status).toBe(200);
    const drafted = await request(project, { path: "/", target: "draft" });
    // The copy holds the live row and adds its own; the live database is left alone.
    expect(drafted.body).toBe("draft rows=2");
    expect(drafted.logs[0]).toMatchObject({ kind: "request", draft: expect.any(Number) });
    expect((await request(project, { path: "/", target: "live" })).body).toBe("live rows=2");

    const bad = await api.send("requestApp", { ...on(project), body: { path: "/", target: "staging" as "live" } });
    expect(bad.status).toBe(400);
  });
});

describe("request_app under the project's limits", () => {
  it("is a visitor's request: past requestsPerMinute the answer is a 429 with Retry-After, counted once", async () => {
    const project = await createProject();
    await deploy(project, counterApp("limited"));
    const limits = await api.send("putLimits", { ...on(project), body: { requestsPerMinute: 20 } });
    expect(limits.status).toBe(200);
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof request>> | null = null;
    for (let i = 0; i < 30; i++) {
      const answer = await request(project, { path: "/" });
      statuses.push(answer.status);
      if (answer.status === 429) refused ??= answer;
    }
    const passed = statuses.filter((s) => s === 200).length;
    const limited = statuses.filter((s) => s === 429).length;
    expect(passed + limited).toBe(30);
    expect(passed).toBeGreaterThanOrEqual(20);
    expect(limited).toBeGreaterThanOrEqual(1);
    expect(Number(refused?.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(refused?.body).toMatch(/limit of 20 requests a minute \(requestsPerMinute\)/);
    // The refused requests never reached the app.
    const rows = await api.call("runSql", { ...on(project), body: { sql: "SELECT count(*) AS n FROM hits" } });
    expect(rows.rows).toEqual([[passed]]);
    const metrics = (await (await api.send("getMetrics", on(project))).json()) as MetricsResponse;
    expect(metrics.totals.requests).toBe(30);
    expect(metrics.totals.rateLimited).toBe(limited);
  });
});

describe("request_app on a Worker project", () => {
  it("names the objects that served the request, with their calls' lines", async () => {
    const project = await createProject();
    await deploy(project, objectsProject("v1"));
    const answer = await request(project, { path: "/fetch/alpha" });
    expect(answer.body).toBe("v1 alpha /fetch/alpha n=1");
    expect(answer.objects).toEqual([{ class: "Counter", name: "alpha", id: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(answer.logs).toContainEqual(expect.objectContaining({ kind: "request", object: "Counter:alpha" }));
    expect(answer.logs).toContainEqual(expect.objectContaining({ kind: "console", message: "counter fetch alpha 1" }));
    const rpc = await request(project, { path: "/count/beta" });
    expect(rpc.objects).toMatchObject([{ class: "Counter", name: "beta" }]);
    // An App project's answer names none.
    const single = await createProject();
    await deploy(single, counterApp("one"));
    expect((await request(single, { path: "/" })).objects).toBeUndefined();
  });
});
