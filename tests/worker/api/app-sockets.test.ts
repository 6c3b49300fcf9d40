/**
 * `POST /api/projects/:id/websocket` (the MCP tool websocket_app): a WebSocket to the app opened as a
 * visitor's, its messages sent and collected within a count, a time and bytes; two calls at once are
 * two visitors of the chat template; refusals, the draft and bad input answer clearly.
 */
import { describe, expect, it } from "vitest";
import type { WebSocketAppRequest, WebSocketAppResponse } from "../../../shared/app-sockets";
import { objectsProject } from "../fixtures/objects-app";
import { api, appWith, createProject, deploy, on } from "../support/helpers";

type Project = { id: string; token: string };

const socket = (project: Project, body: WebSocketAppRequest) => api.call("websocketApp", { ...on(project), body });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the project's log holds a console line matching `pattern`. */
async function logged(project: Project, pattern: RegExp): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { entries } = await api.call("readLogs", on(project));
    if (entries.some((e) => e.kind === "console" && pattern.test(e.message))) return;
    await sleep(25);
  }
  throw new Error(`no line ${pattern} in the log`);
}

const chatMessages = (answer: WebSocketAppResponse) =>
  answer.messages.map((m) => JSON.parse(m.data) as { type: string; message?: { name: string; text: string } });

describe("websocket_app on the chat template", () => {
  it("two sockets at once: a message sent on one is received on the other", async () => {
    const project = await createProject("chat");
    const listening = socket(project, { path: "/ws", expect: 2, timeoutMs: 20_000 });
    await logged(project, /someone joined; 1 online/);
    const speaker = await socket(project, {
      path: "/ws",
      send: [JSON.stringify({ name: "ada", text: "hello room" })],
      expect: 2,
      timeoutMs: 20_000,
    });
    expect(speaker).toMatchObject({ opened: true, status: 101, stopped: "expect", closed: null, version: 1 });
    expect(chatMessages(speaker)).toMatchObject([
      { type: "history" },
      { type: "message", message: { name: "ada", text: "hello room" } },
    ]);
    expect(speaker.logs).toContainEqual(expect.objectContaining({ kind: "request", path: "/ws", status: 101 }));
    await logged(project, /^ada: hello room$/);

    const listener = await listening;
    expect(listener).toMatchObject({ opened: true, stopped: "expect" });
    expect(chatMessages(listener)).toMatchObject([
      { type: "history", messages: [] },
      { type: "message", message: { name: "ada", text: "hello room" } },
    ]);
    // The chat kept it: the next visitor gets it in its history.
    const late = await socket(project, { path: "/ws", expect: 1 });
    expect(chatMessages(late)[0]).toMatchObject({ type: "history", messages: [{ text: "hello room" }] });
  });

  it("collects until the timeout without expect, and answers a refused upgrade with its status and body", async () => {
    const project = await createProject("chat");
    const quiet = await socket(project, { path: "/ws", timeoutMs: 300 });
    expect(quiet).toMatchObject({ opened: true, stopped: "timeout", closed: null });
    expect(chatMessages(quiet)).toMatchObject([{ type: "history" }]);

    const refused = await socket(project, { path: "/nowhere" });
    expect(refused).toMatchObject({ opened: false, status: 404, body: "Not found", stopped: "refused", messages: [] });
    expect(refused.logs).toMatchObject([{ kind: "request", path: "/nowhere", status: 404 }]);
  });
});

const closing = appWith(
  `    const { 0: client, 1: server } = new WebSocketPair();
    server.accept();
    server.addEventListener("message", (event) => {
      console.log("got", event.data);
      if (event.data === "bye") return server.close(4001, "asked to leave");
      if (event.data === "big") return server.send("x".repeat(40_000));
      server.send("echo " + event.data);
    });
    return new Response(null, { status: 101, webSocket: client });`,
);

describe("websocket_app's bounds", () => {
  it("says how the app closed the socket, and cuts what passes the bytes it collects", async () => {
    const project = await createProject();
    await deploy(project, closing);
    // What the app printed while the socket was open comes back with it.
    const quiet = await socket(project, { path: "/", send: ["one"], timeoutMs: 500 });
    expect(quiet).toMatchObject({ stopped: "timeout", messages: [{ data: "echo one" }] });
    expect(quiet.logs).toMatchObject([
      { kind: "request", status: 101 },
      { kind: "console", message: "got one" },
    ]);
    const closed = await socket(project, { path: "/", send: ["one", "bye"], timeoutMs: 10_000 });
    expect(closed).toMatchObject({
      opened: true,
      stopped: "closed",
      closed: { code: 4001, reason: "asked to leave" },
      messages: [{ data: "echo one" }],
    });
    const big = await socket(project, { path: "/", send: ["big", "big"], timeoutMs: 10_000 });
    expect(big.stopped).toBe("bound");
    expect(big.messages).toHaveLength(2);
    expect(big.messages[1]).toMatchObject({ truncated: true });
    expect(big.messages.reduce((n, m) => n + m.data.length, 0)).toBe(64 * 1024);
  });

  it("refuses bad input, and the draft when there is none", async () => {
    const project = await createProject("chat");
    const bad = [
      { path: "ws" },
      { path: "/ws", timeoutMs: 60_000 },
      { path: "/ws", expect: 0 },
      { path: "/ws", send: Array.from({ length: 101 }, () => "x") },
      { path: "/ws", target: "staging" },
      { path: "/ws", extra: true },
    ];
    for (const body of bad) {
      const answer = await api.send("websocketApp", { ...on(project), body: body as WebSocketAppRequest });
      expect(answer.status, JSON.stringify(body)).toBe(400);
    }
    const none = await api.send("websocketApp", { ...on(project), body: { path: "/ws", target: "draft" } });
    expect(none.status).toBe(404);
    expect(await none.text()).toMatch(/no draft/);
  });

  it("is a visitor's socket: limited by requestsPerMinute, and reaching the draft with target draft", async () => {
    const project = await createProject();
    await deploy(project, objectsProject("live"));
    const echo = await socket(project, { path: "/room/lobby", send: ["hi"], expect: 1 });
    expect(echo.messages).toEqual([{ data: "lobby: hi" }]);

    const made = await api.send("putDraftCode", { ...on(project), body: { files: objectsProject("draft") } });
    expect(made.status).toBe(200);
    const drafted = await socket(project, { path: "/room/staging", target: "draft", send: ["hey"], expect: 1 });
    expect(drafted.messages).toEqual([{ data: "staging: hey" }]);
    expect(drafted.logs[0]).toMatchObject({ kind: "request", draft: expect.any(Number) });

    await api.call("putLimits", { ...on(project), body: { requestsPerMinute: 2 } });
    const answers: WebSocketAppResponse[] = [];
    for (let i = 0; i < 4; i++) answers.push(await socket(project, { path: "/room/lobby", timeoutMs: 50 }));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(limited[0]).toMatchObject({ opened: false, stopped: "refused", messages: [] });
    expect(limited[0]?.body).toMatch(/limit of 2 requests a minute/);
  });
});
