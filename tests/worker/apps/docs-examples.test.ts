/**
 * Apps written the way Cloudflare's Durable Object docs write them behave as the docs say they do on
 * Cloudflare.
 */
import { describe, expect, it } from "vitest";
import { app, createProject, deploy, openAppSocket } from "../support/helpers";
import { openTerminal, waitForLine } from "../support/socket";

/**
 * The shape of developers.cloudflare.com/durable-objects/examples/readable-stream/: a body produced
 * by a generator that ticks until an AbortSignal fires, and a `cancel()` that fires it.
 */
const STREAMING_TICKER = `import { DurableObject } from "cloudflare:workers";

async function* ticks(stop) {
  for (let n = 0; !stop.aborted; n++) {
    yield n;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  console.log("ticker stopped");
}

export class App extends DurableObject {
  async fetch(request) {
    const stopper = new AbortController();
    const body = new ReadableStream({
      async start(controller) {
        for await (const n of ticks(stopper.signal)) controller.enqueue(new TextEncoder().encode(String(n)));
      },
      cancel() {
        console.log("stream cancelled");
        stopper.abort();
      },
    });
    return new Response(body, { headers: { "content-type": "application/octet-stream" } });
  }
}
`;

describe("Cloudflare's Durable Object examples", () => {
  it("readable-stream example: a client that hangs up cancels the app's stream, which stops producing", async () => {
    const project = await createProject();
    await deploy(project, { "app.js": STREAMING_TICKER });
    const terminal = await openTerminal(project);
    const response = await app(project, "/");
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("0");
    await reader.cancel("client went away");
    // The cancel reaches the app through the supervisor; its source sees the abort on its next tick.
    await waitForLine(terminal, (e) => e.kind === "console" && e.message === "stream cancelled", 5_000);
    await waitForLine(terminal, (e) => e.kind === "console" && e.message === "ticker stopped", 5_000);
  });

  it("an old-style class (no DurableObject base, constructor(state, env)) runs as on Cloudflare, like the workers-chat demo's", async () => {
    const project = await createProject();
    await deploy(project, { "app.js": OLD_STYLE_CHAT_ROOM });
    const alice = await openAppSocket(project, "/websocket");
    const bob = await openAppSocket(project, "/hibernating");
    alice.socket.send("hello from alice");
    expect(JSON.parse(await alice.nextMessage())).toMatchObject({ message: "hello from alice" });
    expect(JSON.parse(await bob.nextMessage())).toMatchObject({ message: "hello from alice" });
    bob.socket.send("hi from bob");
    expect(JSON.parse(await bob.nextMessage())).toMatchObject({ message: "hi from bob", via: "webSocketMessage" });
    expect(JSON.parse(await alice.nextMessage())).toMatchObject({ message: "hi from bob" });

    const history = (await (await app(project, "/history")).json()) as { message: string }[];
    expect(history.map((m) => m.message)).toEqual(["hello from alice", "hi from bob"]);
    expect(await (await app(project, "/nowhere")).text()).toBe("Not found");

    // alarm() on the plain class, set through state.storage.
    expect(await (await app(project, "/remind")).text()).toBe("set");
    for (let i = 0; i < 100; i++) {
      if ((await (await app(project, "/alarm")).text()) === "rang") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await (await app(project, "/alarm")).text()).toBe("rang");
  });
});

/**
 * A chat room in the style of github.com/cloudflare/workers-chat-demo: a plain class whose
 * constructor keeps `state` and `env`, KV storage for history, WebSockets accepted with accept() and
 * with the hibernation API (webSocketMessage), and an alarm.
 */
const OLD_STYLE_CHAT_ROOM = `export class App {
  constructor(state, env) {
    this.state = state;
    this.storage = state.storage;
    this.env = env;
    this.sessions = [];
  }

  async fetch(request) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/websocket":
      case "/hibernating": {
        if (request.headers.get("Upgrade") != "websocket") return new Response("expected websocket", { status: 400 });
        const pair = new WebSocketPair();
        if (url.pathname === "/hibernating") this.state.acceptWebSocket(pair[1]);
        else this.handleSession(pair[1]);
        return new Response(null, { status: 101, webSocket: pair[0] });
      }
      case "/history":
        return Response.json([...(await this.storage.list({ prefix: "msg:" })).values()].map((v) => JSON.parse(v)));
      case "/remind":
        await this.storage.setAlarm(Date.now() + 50);
        return new Response("set");
      case "/alarm":
        return new Response((await this.storage.get("alarm")) ?? "not yet");
      default:
        return new Response("Not found", { status: 404 });
    }
  }

  handleSession(webSocket) {
    webSocket.accept();
    this.sessions.push(webSocket);
    webSocket.addEventListener("message", (event) => this.broadcast({ message: String(event.data) }));
    webSocket.addEventListener("close", () => {
      this.sessions = this.sessions.filter((s) => s !== webSocket);
    });
  }

  async webSocketMessage(webSocket, message) {
    await this.broadcast({ message: String(message), via: "webSocketMessage" });
  }

  async broadcast(data) {
    const text = JSON.stringify({ ...data, at: Date.now() });
    for (const socket of [...this.sessions, ...this.state.getWebSockets()]) socket.send(text);
    await this.storage.put("msg:" + String(Date.now()).padStart(15, "0") + Math.random(), text);
  }

  async alarm() {
    await this.storage.put("alarm", "rang");
  }
}
`;
