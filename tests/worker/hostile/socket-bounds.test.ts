/**
 * App WebSocket messages are bounded where they enter the app's isolate (app-runtime/meter/
 * socket-bounds.ts): a visitor's flood reaches the app's code only up to the socket's bucket, the rest
 * is dropped unread, the socket is closed with 1008, and the terminal says so once.
 */
import { describe, expect, it } from "vitest";
import { api, app, createProject, deploy, on, openAppSocket } from "../support/helpers";
import { openTerminal, waitForLine } from "../support/socket";

const hibernating = {
  "app.ts": `import { DurableObject } from "cloudflare:workers";
let seen = 0;
export class App extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname === "/count") return new Response(String(seen));
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }
  async webSocketMessage() {
    seen++;
  }
}
`,
};

const accepting = {
  "app.ts": `import { DurableObject } from "cloudflare:workers";
let seen = 0;
export class App extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname === "/count") return new Response(String(seen));
    const { 0: client, 1: server } = new WebSocketPair();
    server.addEventListener("message", () => { seen++; });
    server.accept();
    return new Response(null, { status: 101, webSocket: client });
  }
}
`,
};

async function flood(files: Record<string, string>, limits: object = {}) {
  const project = await createProject();
  await deploy(project, files);
  if (Object.keys(limits).length > 0) {
    const set = await api.send("putLimits", { ...on(project), body: limits });
    expect(set.status, await set.clone().text()).toBe(200);
  }
  const terminal = await openTerminal(project);
  const { socket } = await openAppSocket(project, "/ws");
  const closed = new Promise<number>((resolve) => socket.addEventListener("close", (e) => resolve(e.code)));
  for (let i = 0; i < 2_000; i++) socket.send(`m${i}`);
  const code = await Promise.race([closed, new Promise((r) => setTimeout(() => r("open"), 5_000))]);
  const line = await waitForLine(
    terminal,
    (e) => "message" in e && /WebSocket message\(s\) dropped/.test(String(e.message)),
    5_000,
  );
  const seen = Number(await (await app(project, "/count")).text());
  return { code, line, seen };
}

describe("app WebSocket messages are bounded per socket", () => {
  it("delivers a burst to the hibernation API's handler and drops the rest, closing the socket with 1008", async () => {
    const { code, line, seen } = await flood(hibernating);
    expect(seen).toBeGreaterThanOrEqual(200);
    expect(seen).toBeLessThan(600);
    expect(code).toBe(1008);
    expect("message" in line && line.message).toMatch(/100 a second/);
  });

  it("bounds a socket the app accept()ed itself the same way", async () => {
    const { code, seen } = await flood(accepting);
    expect(seen).toBeGreaterThanOrEqual(200);
    expect(seen).toBeLessThan(600);
    expect(code).toBe(1008);
  });

  it("takes the project's own limit (socketMessagesPerSecond), within the operator's ceiling", async () => {
    const { code, seen } = await flood(hibernating, { socketMessagesPerSecond: 10 });
    expect(seen).toBeGreaterThanOrEqual(20);
    expect(seen).toBeLessThan(60);
    expect(code).toBe(1008);
  });
});
