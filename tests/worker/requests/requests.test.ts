/**
 * Recorded requests: what visitors sent to the app's origins is kept (the last `keep`, redacted of
 * credentials and the project's secrets), and replayed on the live app or the draft, where the
 * report says which answers a draft changed, without writing to the live data.
 */
import { describe, expect, it } from "vitest";
import type { RequestSummary } from "../../../shared/requests";
import { api, app, appWith, createProject, deploy, on, openAppSocket } from "../support/helpers";

type Project = { id: string; token: string };

// Notes: POST adds one; /count counts them; /broken throws (the draft fixes it); anything else says hello.
const notesApp = (broken: string) =>
  appWith(
    `    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS notes (text TEXT)");
    const url = new URL(request.url);
    if (request.method === "POST") {
      sql.exec("INSERT INTO notes VALUES (?)", await request.text());
      return new Response("added");
    }
    if (url.pathname === "/count") return new Response(String(sql.exec("SELECT count(*) AS n FROM notes").one().n));
    if (url.pathname === "/broken") { ${broken} }
    if (url.pathname === "/echo") {
      console.log("echoing", this.env.API_KEY.length);
      return new Response("key=" + this.env.API_KEY, { headers: { "set-cookie": "session=abc", "x-echo": this.env.API_KEY } });
    }
    return new Response("hello " + url.pathname);`,
  );
const BROKEN = `throw new Error("boom");`;
const FIXED = `return new Response("fixed");`;

/** The recorded requests once `count` are there (each is written after its response went out). */
async function recorded(project: Project, count: number): Promise<RequestSummary[]> {
  for (let i = 0; i < 100; i++) {
    const { requests } = await api.call("listRequests", { ...on(project), query: {} });
    if (requests.length >= count) return requests;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`fewer than ${count} requests were recorded`);
}

async function visit(project: Project, path: string, init: RequestInit = {}): Promise<string> {
  return (await app(project, path, init)).text();
}

describe("recording", () => {
  it("keeps each request with its headers, body, answer, log lines and version, newest first, filtered", async () => {
    const project = await createProject();
    await deploy(project, notesApp(BROKEN));
    await visit(project, "/hello?x=1", { headers: { "x-trace": "t1" } });
    await visit(project, "/notes", { method: "POST", body: "first note", headers: { "content-type": "text/plain" } });
    await visit(project, "/broken");
    const list = await recorded(project, 3);
    expect(list.map((r) => [r.method, r.path, r.status])).toEqual([
      ["GET", "/broken", 500],
      ["POST", "/notes", 200],
      ["GET", "/hello?x=1", 200],
    ]);
    expect(list[0]).toMatchObject({ target: "live", version: "1", exception: "Error", websocket: false });

    const post = await api.call("getRequest", {
      params: { id: project.id, rid: list[1]?.id ?? 0 },
      credential: project.token,
    });
    expect(post.request).toMatchObject({ body: "first note", encoding: "text", size: 10, truncated: false });
    expect(post.response).toMatchObject({ body: "added", encoding: "text" });
    const hello = await api.call("getRequest", {
      params: { id: project.id, rid: list[2]?.id ?? 0 },
      credential: project.token,
    });
    expect(hello.request.headers["x-trace"]).toBe("t1");
    expect(hello.response.body).toBe("hello /hello");
    expect(hello.logs).toMatchObject([{ kind: "request", path: "/hello?x=1", status: 200 }]);
    const broken = await api.call("getRequest", {
      params: { id: project.id, rid: list[0]?.id ?? 0 },
      credential: project.token,
    });
    expect(broken.logs.some((l) => l.kind === "exception" && l.message === "boom")).toBe(true);

    const errors = await api.call("listRequests", { ...on(project), query: { status: "5xx" } });
    expect(errors.requests.map((r) => r.path)).toEqual(["/broken"]);
    const posts = await api.call("listRequests", { ...on(project), query: { method: "POST" } });
    expect(posts.requests.map((r) => r.path)).toEqual(["/notes"]);
    const byPath = await api.call("listRequests", { ...on(project), query: { path: "hello" } });
    expect(byPath.requests.map((r) => r.path)).toEqual(["/hello?x=1"]);
    const missing = await api.send("getRequest", {
      params: { id: project.id, rid: 999999 },
      credential: project.token,
    });
    expect(missing.status).toBe(404);
  });

  it("keeps only the last `keep` requests, and none while it is off", async () => {
    const project = await createProject();
    await deploy(project, notesApp(BROKEN));
    const settings = await api.call("putRequestSettings", { ...on(project), body: { keep: 3 } });
    expect(settings).toEqual({ enabled: true, keep: 3 });
    for (let i = 1; i <= 20; i++) await visit(project, `/n${i}`);
    const kept = await recorded(project, 3);
    await new Promise((r) => setTimeout(r, 100));
    const { requests } = await api.call("listRequests", { ...on(project), query: { limit: 100 } });
    expect(requests.map((r) => r.path)).toEqual(["/n20", "/n19", "/n18"]);
    expect(kept).toHaveLength(3);

    await api.call("putRequestSettings", { ...on(project), body: { enabled: false } });
    await visit(project, "/while-off");
    await new Promise((r) => setTimeout(r, 100));
    const after = await api.call("listRequests", { ...on(project), query: {} });
    expect(after.requests.map((r) => r.path)).not.toContain("/while-off");
    expect(after.settings).toEqual({ enabled: false, keep: 3 });

    const bad = await api.send("putRequestSettings", { ...on(project), body: { keep: 0 } });
    expect(bad.status).toBe(400);
  });

  it("never stores a secret's value, nor Authorization, Cookie or Set-Cookie, in headers, query or bodies", async () => {
    const secret = "sk-live-0123456789abcdef";
    const project = await createProject();
    await deploy(project, notesApp(BROKEN));
    await api.call("setEnv", {
      params: { id: project.id, name: "API_KEY" },
      credential: project.token,
      body: { value: secret, secret: true },
    });
    await visit(project, `/echo?key=${encodeURIComponent(secret)}&plain=${secret}`, {
      headers: { authorization: "Bearer abc", cookie: "session=xyz", "x-api-key": secret },
    });
    await visit(project, "/notes", { method: "POST", body: `my key is ${secret}!` });
    const list = await recorded(project, 2);
    const stored = await Promise.all(
      list.map((r) => api.call("getRequest", { params: { id: project.id, rid: r.id }, credential: project.token })),
    );
    const everything = JSON.stringify({ list, stored });
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain("Bearer abc");
    expect(everything).not.toContain("session=");
    const echo = stored.find((r) => r.path.startsWith("/echo"));
    expect(echo?.path).toBe("/echo?key=[redacted]&plain=[redacted]");
    expect(echo?.request.headers).toMatchObject({
      authorization: "[redacted]",
      cookie: "[redacted]",
      "x-api-key": "[redacted]",
    });
    expect(echo?.response.headers).toMatchObject({ "set-cookie": "[redacted]", "x-echo": "[redacted]" });
    expect(echo?.response.body).toBe("key=[redacted]");
    expect(echo?.redacted).toEqual(
      expect.arrayContaining(["authorization", "cookie", "x-api-key", "set-cookie", "x-echo"]),
    );
    const note = stored.find((r) => r.method === "POST");
    expect(note?.request.body).toBe("my key is [redacted]!");
  });

  it("records nothing before the project has code, and leaves the requests out of forks and exports", async () => {
    const project = await createProject();
    await visit(project, "/before-code");
    await deploy(project, notesApp(BROKEN));
    await visit(project, "/after-code");
    const list = await recorded(project, 1);
    expect(list.map((r) => r.path)).toEqual(["/after-code"]);

    const exported = await api.call("exportProject", on(project));
    expect(JSON.stringify(exported)).not.toContain("/after-code");
    const fork = await api.call("forkProject", { ...on(project), body: {} });
    await visit(fork, "/in-the-fork");
    const forked = await recorded(fork, 1);
    expect(forked.map((r) => r.path)).toEqual(["/in-the-fork"]);
  });
});

describe("replay", () => {
  it("sends one recorded request again to the live app, its answer beside the recorded one", async () => {
    const project = await createProject();
    await deploy(project, notesApp(BROKEN));
    await visit(project, "/hello");
    const [hello] = await recorded(project, 1);
    const replay = await api.call("replayRequest", {
      params: { id: project.id, rid: hello?.id ?? 0 },
      credential: project.token,
      body: { target: "live" },
    });
    expect(replay).toMatchObject({
      target: "live",
      same: true,
      changes: [],
      replayed: { status: 200, body: "hello /hello" },
    });
    expect(replay.diff).toEqual([{ op: "same", text: "hello /hello" }]);
    const noDraft = await api.send("replayRequest", {
      params: { id: project.id, rid: hello?.id ?? 0 },
      credential: project.token,
      body: { target: "draft" },
    });
    expect(noDraft.status).toBe(404);
  });

  it("reports on a draft that fixes one route: that one changed (fixed), the others the same, live data untouched", async () => {
    const project = await createProject();
    await deploy(project, notesApp(BROKEN));
    await visit(project, "/hello");
    await visit(project, "/broken");
    await visit(project, "/notes", { method: "POST", body: "note" });
    await recorded(project, 3);
    await api.call("putDraftCode", { ...on(project), body: { files: notesApp(FIXED) } });

    const report = await api.call("replayRequests", { ...on(project), body: { target: "draft" } });
    expect(report.items.map((i) => [i.method, i.path, i.outcome])).toEqual([
      ["GET", "/hello", "same"],
      ["GET", "/broken", "changed"],
      ["POST", "/notes", "same"],
    ]);
    expect(report.items[1]).toMatchObject({
      recordedStatus: 500,
      status: 200,
      fixed: true,
      changes: ["status", "body"],
    });
    expect(report.totals).toEqual({ same: 2, changed: 1, skipped: 0, fixed: 1, broken: 0 });

    // The replayed POST wrote to the draft's copy only.
    expect(await visit(project, "/count")).toBe("1");
    const draftCount = await api.call("requestApp", { ...on(project), body: { path: "/count", target: "draft" } });
    expect(draftCount.body).toBe("2");

    // The draft's own traffic is recorded as the draft's, and not replayed as live traffic.
    const gets = await api.call("replayRequests", {
      ...on(project),
      body: { target: "draft", methods: ["GET"], last: 5 },
    });
    expect(gets.items.map((i) => i.path)).toEqual(["/hello", "/broken", "/count"]);

    const one = await api.call("replayRequest", {
      params: { id: project.id, rid: report.items[1]?.id ?? 0 },
      credential: project.token,
      body: { target: "draft" },
    });
    expect(one).toMatchObject({ same: false, changes: ["status", "body"], replayed: { status: 200, body: "fixed" } });
    expect(one.diff.some((p) => p.op === "added" && p.text === "fixed")).toBe(true);
  });

  it("says what cannot repeat: redacted headers are sent redacted, a WebSocket session is listed, not replayed", async () => {
    const project = await createProject();
    await deploy(
      project,
      appWith(`    if (request.headers.get("upgrade") === "websocket") {
      const pair = new WebSocketPair();
      this.ctx.acceptWebSocket(pair[1]);
      return new Response(null, { status: 101, webSocket: pair[0] });
    }
    return new Response("auth=" + request.headers.get("authorization"));`),
    );
    await visit(project, "/me", { headers: { authorization: "Bearer real-token" } });
    const socket = await openAppSocket(project, "/ws");
    socket.socket.close();
    const list = await recorded(project, 2);
    expect(list[0]).toMatchObject({ path: "/ws", status: 101, websocket: true });
    const me = await api.call("getRequest", {
      params: { id: project.id, rid: list[1]?.id ?? 0 },
      credential: project.token,
    });
    // The app echoed the token: it is redacted there too.
    expect(me.response.body).toBe("auth=[redacted]");

    await api.call("putDraftCode", {
      ...on(project),
      body: { files: appWith(`    return new Response("auth=" + request.headers.get("authorization"));`) },
    });
    const report = await api.call("replayRequests", { ...on(project), body: { target: "draft" } });
    expect(report.items).toMatchObject([
      { path: "/me", outcome: "same", changes: [], note: expect.stringMatching(/redacted headers/) },
      { path: "/ws", outcome: "skipped", note: expect.stringMatching(/WebSocket session is listed, not replayed/) },
    ]);
    expect(report.notes.join(" ")).toMatch(/1 request\(s\) were sent with redacted headers/);
    const one = await api.call("replayRequest", {
      params: { id: project.id, rid: list[1]?.id ?? 0 },
      credential: project.token,
      body: { target: "draft" },
    });
    expect(one.replayed.body).toBe("auth=[redacted]");
    expect(one.notes.join(" ")).toMatch(/redacted headers/);
  });

  it("refuses a report without a draft", async () => {
    const project = await createProject();
    await deploy(project, notesApp(BROKEN));
    await visit(project, "/hello");
    await recorded(project, 1);
    const none = await api.send("replayRequests", { ...on(project), body: { target: "draft" } });
    expect(none.status).toBe(404);
  });
});
