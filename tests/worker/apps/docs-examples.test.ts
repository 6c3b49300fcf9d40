/**
 * Apps written the way Cloudflare's Durable Object docs write them behave as the docs say they do on
 * Cloudflare.
 */
import { describe, expect, it } from "vitest";
// A chat room in the style of github.com/cloudflare/workers-chat-demo: a plain class whose
// constructor keeps `state` and `env`, KV storage for history, WebSockets accepted with accept() and
// with the hibernation API (webSocketMessage), and an alarm.
import OLD_STYLE_CHAT_ROOM from "../fixtures/apps/old-style-chat-room.js?raw";
// The shape of developers.cloudflare.com/durable-objects/examples/readable-stream/: a body produced
// by a generator that ticks until an AbortSignal fires, and a `cancel()` that fires it.
import STREAMING_TICKER from "../fixtures/apps/streaming-ticker.js?raw";
import { app, createProject, deploy, openAppSocket } from "../support/helpers";
import { openTerminal, waitForLine } from "../support/socket";

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
