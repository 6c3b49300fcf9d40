import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerMessage } from "../../shared/protocol";
import freezingSocketHandler from "./fixtures/freezing-socket-handler.ts?raw";
import loggingEchoSocket from "./fixtures/logging-echo-socket.ts?raw";
import {
  appRequest,
  clientOf,
  counterSource,
  createProject,
  deploy,
  type IdeServer,
  openAppSocket,
  startServer,
  terminalUrl,
  waitForHealth,
} from "./ide-server";

let server: IdeServer;
beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
});

function openTerminal(project: { id: string; token: string }) {
  const messages: ServerMessage[] = [];
  const socket = new WebSocket(terminalUrl(server, project.id), ["facet-ide", `token.${project.token}`]);
  socket.addEventListener("message", (e) => messages.push(JSON.parse(String(e.data))));
  const until = async (match: (m: ServerMessage) => boolean, timeoutMs = 15_000) => {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      const found = messages.find(match);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no matching message; got ${JSON.stringify(messages).slice(0, 2000)}`);
  };
  return { socket, messages, until };
}

describe("the IDE as users run it (npm start)", () => {
  it("streams request lines and console output to the project's terminal", async () => {
    const project = await createProject(server);
    await deploy(server, project, counterSource("streamed"));
    const terminal = openTerminal(project);
    await terminal.until((m) => m.type === "hello");
    await appRequest(server, project.id, "/hello?x=1");
    const found = await terminal.until(
      (m) => m.type === "logs" && m.entries.some((e) => e.kind === "request" && e.path === "/hello?x=1"),
    );
    if (found.type !== "logs") throw new Error("expected logs");
    expect(found.entries.find((e) => e.kind === "request")).toMatchObject({ method: "GET", status: 200, version: 1 });
    expect(found.entries.find((e) => e.kind === "console")).toMatchObject({ level: "log", version: 1 });
    terminal.socket.close();
  });

  it("shows a WebSocket upgrade and its handler's console output in the terminal, and the socket works", async () => {
    const project = await createProject(server);
    await deploy(server, project, loggingEchoSocket);
    const terminal = openTerminal(project);
    await terminal.until((m) => m.type === "hello");

    const upgrade = await openAppSocket(server, project.id, "/chat?room=1");
    expect(upgrade.headers["x-app-version"]).toBe("1");
    expect(Object.keys(upgrade.headers).filter((h) => h.startsWith("x-facet-ide"))).toEqual([]);

    const found = await terminal.until(
      (m) => m.type === "logs" && m.entries.some((e) => e.kind === "request" && e.path === "/chat?room=1"),
    );
    if (found.type !== "logs") throw new Error("expected logs");
    expect(found.entries.find((e) => e.kind === "request")).toMatchObject({ method: "GET", status: 101, version: 1 });
    expect(found.entries.filter((e) => e.kind === "console").map((e) => e.kind === "console" && e.message)).toEqual([
      'joined {"online":1}',
      "after an await",
    ]);

    // The socket is live: "hi" comes back as "echo hi".
    const echoed = new Promise<string>((resolve) =>
      upgrade.socket.once("data", (d: Buffer) => resolve(d.subarray(2).toString())),
    );
    upgrade.send("hi");
    expect(await echoed).toBe("echo hi");
    upgrade.socket.destroy();
    terminal.socket.close();
  });

  it("recovers from code that freezes the runtime, does not run that version again, and keeps every project's data", async () => {
    const bystander = await createProject(server);
    await deploy(server, bystander, counterSource("bystander"));
    expect(await (await appRequest(server, bystander.id)).text()).toBe("bystander rows=1");

    const culprit = await createProject(server);
    await deploy(server, culprit, counterSource("v1"));
    expect(await (await appRequest(server, culprit.id)).text()).toBe("v1 rows=1");

    // A catastrophic regex: no loop for the guard to see, so only the launcher can help.
    const frozeAt = Date.now();
    await appRequest(server, culprit.id, "/regex", { timeoutMs: 60_000 }).catch(() => null);
    await waitForHealth(server.port, 60_000);
    console.log(`the runtime was unavailable for ${Date.now() - frozeAt} ms`);
    expect(server.output()).toContain("the runtime has not answered for");

    // The version that froze it answers with a clear error instead of running again.
    const refused = await appRequest(server, culprit.id, "/");
    expect(refused.status).toBe(503);
    expect(await refused.text()).toContain("froze the runtime (GET /regex");

    // The other project, and the culprit's data, are intact.
    expect(await (await appRequest(server, bystander.id)).text()).toBe("bystander rows=2");
    const culpritData = await clientOf(server).call("exportProject", {
      params: { id: culprit.id },
      credential: culprit.token,
    });
    expect(culpritData.data.tables.find((t) => t.name === "hits")?.rows).toHaveLength(1);
    // The culprit cools down before it may save again (docs/limits-and-safety.md), so it cannot
    // freeze the runtime again at once.
    const again = await clientOf(server).send("putCode", {
      params: { id: culprit.id },
      credential: culprit.token,
      body: { files: { "app.ts": counterSource("v2") } },
    });
    expect(again.status).toBe(429);
    expect(await again.text()).toContain("cooling_down");

    // The owner's terminal says which version and request hung.
    const terminal = openTerminal(culprit);
    const hello = await terminal.until((m) => m.type === "hello");
    expect(JSON.stringify(hello)).toMatch(/v1 froze the runtime on GET \/regex/);
    terminal.socket.close();
  });
  it("blames the app whose WebSocket handler froze the runtime, not the one that had the last request", async () => {
    const culprit = await createProject(server);
    await deploy(server, culprit, freezingSocketHandler);
    const socket = await openAppSocket(server, culprit.id, "/ws");
    const innocent = await createProject(server);
    await deploy(server, innocent, counterSource("innocent"));
    expect(await (await appRequest(server, innocent.id)).text()).toBe("innocent rows=1");

    // The innocent request is the last one any supervisor saw; the freeze comes later, from a message.
    socket.send("freeze");
    await new Promise((r) => setTimeout(r, 1_000));
    await waitForHealth(server.port, 60_000);
    expect(server.output()).toContain(`project ${culprit.id}: v1 froze the runtime in webSocketMessage`);

    const after = await appRequest(server, innocent.id);
    expect(after.status).toBe(200);
    expect(await after.text()).toBe("innocent rows=2");
    const refused = await appRequest(server, culprit.id, "/ws");
    expect(refused.status).toBe(503);
    socket.socket.destroy();
  });
});
