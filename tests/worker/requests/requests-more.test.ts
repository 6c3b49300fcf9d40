/**
 * What a recorded request carries beyond its request and answer: the app's outbound calls, a
 * WebSocket session's first and last messages; and that recordings survive a restart of the
 * supervisor.
 */
import { describe, expect, it } from "vitest";
import type { RequestSummary } from "../../../shared/requests";
import { api, app, appWith, createProject, deploy, on, openAppSocket } from "../support/helpers";
import { restartSupervisor } from "../support/restart";

type Project = { id: string; token: string };

async function recorded(project: Project, count: number): Promise<RequestSummary[]> {
  for (let i = 0; i < 100; i++) {
    const { requests } = await api.call("listRequests", { ...on(project), query: {} });
    if (requests.length >= count) return requests;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`fewer than ${count} requests were recorded`);
}

const detail = (project: Project, rid: number) =>
  api.call("getRequest", { params: { id: project.id, rid }, credential: project.token });

describe("outbound calls", () => {
  it("are kept with the request that made them, redacted; a request that made none has none", async () => {
    const project = await createProject();
    await api.call("setEnv", {
      params: { id: project.id, name: "TOKEN" },
      credential: project.token,
      body: { value: "tok-SECRET-5678", secret: true },
    });
    await deploy(
      project,
      appWith(`    if (new URL(request.url).pathname === "/call") {
      const answer = await fetch("https://blocked.example.com/v1/" + this.env.TOKEN + "?q=1").then(
        (r) => String(r.status),
        () => "refused",
      );
      return new Response(answer);
    }
    return new Response("quiet");`),
    );
    expect(await (await app(project, "/call")).text()).toBe("refused");
    expect(await (await app(project, "/quiet")).text()).toBe("quiet");
    const list = await recorded(project, 2);
    const quiet = await detail(project, list[0]?.id ?? 0);
    expect(quiet.outbound).toBeUndefined();
    const call = await detail(project, list[1]?.id ?? 0);
    expect(call.outbound).toEqual([{ method: "GET", url: "blocked.example.com/v1/[redacted]", status: null }]);
  });
});

// Echoes each message back over a hibernatable socket.
const echoApp = {
  "app.ts": `import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }
  async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer) {
    socket.send("echo:" + String(message));
  }
  async webSocketClose(socket: WebSocket, code: number) {
    socket.close(code, "bye");
  }
}
`,
};

describe("a WebSocket session", () => {
  it("is one entry with the first and last message of each side, redacted, once it ended", async () => {
    const project = await createProject();
    await api.call("setEnv", {
      params: { id: project.id, name: "TOKEN" },
      credential: project.token,
      body: { value: "tok-SECRET-5678", secret: true },
    });
    await deploy(project, echoApp);
    const { socket, nextMessage } = await openAppSocket(project, "/ws");
    for (const message of ["hello", "middle", "last tok-SECRET-5678"]) {
      socket.send(message);
      expect(await nextMessage()).toBe(`echo:${message}`);
    }
    socket.close(1000, "done");
    const [entry] = await recorded(project, 1);
    expect(entry).toMatchObject({ path: "/ws", status: 101, websocket: true });
    let messages: Awaited<ReturnType<typeof detail>>["messages"];
    for (let i = 0; i < 100 && !messages?.client.last; i++) {
      messages = (await detail(project, entry?.id ?? 0)).messages;
      if (!messages?.client.last) await new Promise((r) => setTimeout(r, 20));
    }
    expect(messages?.client).toMatchObject({
      count: 3,
      first: { body: "hello", encoding: "text", size: 5, truncated: false },
      last: { body: "last [redacted]", encoding: "text" },
    });
    expect(messages?.app).toMatchObject({
      count: 3,
      first: { body: "echo:hello" },
      last: { body: "echo:last [redacted]" },
    });
    expect((await api.call("listRequests", { ...on(project), query: {} })).requests).toHaveLength(1);
  });
});

describe("after a restart of the supervisor", () => {
  it("the recorded requests and the settings are still there", async () => {
    const project = await createProject();
    await deploy(project, appWith(`    return new Response("hi " + new URL(request.url).pathname);`));
    await api.call("putRequestSettings", { ...on(project), body: { keep: 5 } });
    for (const path of ["/a", "/b", "/c"]) await (await app(project, path)).text();
    const before = await recorded(project, 3);
    await restartSupervisor(project.id);
    const after = await api.call("listRequests", { ...on(project), query: {} });
    expect(after.requests).toEqual(before);
    expect(after.settings).toMatchObject({ enabled: true, keep: 5 });
    const first = await detail(project, before[2]?.id ?? 0);
    expect(first.response.body).toBe("hi /a");
  });
});
