/**
 * Apps written the way Cloudflare's Durable Object docs write them behave as the docs say they do on
 * Cloudflare.
 */
import { describe, expect, it } from "vitest";
import { app, createProject, deploy } from "./helpers";
import { openTerminal, waitForLine } from "./socket";

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
});
