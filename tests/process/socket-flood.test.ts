/**
 * Issue 24 item 2 in its real shape, under `npm start`: a visitor with no token sends 20,000 chat
 * messages at once to the chat template's socket (and again to a handler that does nothing), while a
 * bystander project is probed every 100 ms. With the app socket bounds (app-runtime/meter/
 * socket-bounds.ts) the app's code sees a burst, the rest is dropped and the socket closed with 1008:
 * the bystander answers at least 90 % of the probes (a count of answered probes, not a timing).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appRequest,
  counterSource,
  createProject,
  deploy,
  type IdeServer,
  openAppSocket,
  startServer,
} from "./ide-server";

let server: IdeServer;

beforeAll(async () => {
  server = await startServer({ mode: "start" });
});
afterAll(async () => {
  await server?.stop();
});

/** `count` masked text frames, written in one piece as a flooding client would. */
function frames(count: number, text: (i: number) => string): Buffer {
  const mask = [1, 2, 3, 4];
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const payload = Buffer.from(Buffer.from(text(i)).map((b, j) => b ^ (mask[j % 4] ?? 0)));
    parts.push(Buffer.from([0x81, 0x80 | payload.length, ...mask]), payload);
  }
  return Buffer.concat(parts);
}

/** Probes `projectId` every 100 ms for `ms`; answers counted (an answer within 2 s with status 200). */
async function probe(projectId: string, ms: number): Promise<{ sent: number; answered: number }> {
  let sent = 0;
  let answered = 0;
  const pending: Promise<void>[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    sent++;
    pending.push(
      appRequest(server, projectId, "/", { timeoutMs: 2_000 })
        .then((r) => {
          if (r.status === 200) answered++;
        })
        .catch(() => {}),
    );
    await new Promise((r) => setTimeout(r, 100));
  }
  await Promise.all(pending);
  return { sent, answered };
}

describe("a visitor with no token floods an app's WebSocket", () => {
  for (const [what, template, source] of [
    ["the chat template", "chat", null],
    [
      "a handler that does nothing",
      "blank",
      `import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject {
  async fetch(): Promise<Response> {
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }
  async webSocketMessage() {}
}
`,
    ],
  ] as const) {
    it(`with 20,000 messages at once to ${what}, another project keeps answering`, async () => {
      const target = await createProject(server, template);
      if (source) await deploy(server, target, source);
      const bystander = await createProject(server);
      await deploy(server, bystander, counterSource("bystander"));
      expect((await appRequest(server, bystander.id, "/")).status).toBe(200);

      const { socket } = await openAppSocket(server, target.id, "/ws");
      const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
      socket.on("error", () => {});
      const probing = probe(bystander.id, 12_000);
      socket.write(frames(20_000, (i) => JSON.stringify({ name: "flood", text: `m${i}` })));
      const { sent, answered } = await probing;
      console.log(`${what}: the bystander answered ${answered} of ${sent} probes during the flood`);
      expect(answered / sent).toBeGreaterThanOrEqual(0.9);
      socket.destroy();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1_000))]);
    }, 120_000);
  }
});
