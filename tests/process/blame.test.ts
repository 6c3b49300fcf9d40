/**
 * Issue 24, items 1 and 4 (blame no app can forge or escape; a frozen runtime's culprit is stopped),
 * against the real `npm start`, as an attacker would try them, on one server:
 *
 * - an app that hooks String.prototype.replace and prints a marker naming an innocent project (its
 *   real code ID: IDs are predictable) in every way it can, then freezes the runtime: the launcher
 *   blames the attacker, and the innocent project keeps answering;
 * - raw escape sequences an app gets onto the runtime's output reach the launcher's terminal with
 *   their control characters visible;
 * - a WebSocket listener that is a native function (a bound RegExp.prototype.test with a catastrophic
 *   pattern) freezes the runtime at a visitor's message: it is blamed;
 * - so does a hibernation handler that is a class field holding such a native function, a stream's
 *   pull or an HTMLRewriter handler that is one (run while a body is read), and an app
 *   that replaced what the runtime's console.log formats with (JSON.stringify) before freezing it;
 * - the project blamed cannot save code for the cooldown (429 with the time), and the others can.
 */
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attackerApp, BEL, ESC, FREEZE, socketApp } from "./blame-apps";
import {
  appRequest,
  clientOf,
  counterSource,
  createProject,
  deploy,
  type IdeServer,
  openAppSocket,
  startServer,
  untilOutput as untilOutputOf,
  waitForHealth,
} from "./ide-server";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dataDir = `${root}.data/blame-test-${process.pid}`;
let server: IdeServer;

beforeAll(async () => {
  server = await startServer({ mode: "start", dataDir });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Waits until the launcher has printed `text`. */
const untilOutput = (text: string | RegExp, timeoutMs?: number) => untilOutputOf(server, text, timeoutMs);

/**
 * Runs `freeze` (which may hand back what to close once the launcher has spoken), waits for the
 * launcher's verdict and the runtime's return, and expects `culprit` blamed `where` and kept at 503.
 */
async function expectBlamed(culprit: string, where: string, freeze: () => Promise<(() => void) | null>): Promise<void> {
  const started = freeze();
  await untilOutput(new RegExp(`(no app's code was running|project ${culprit}: v1 froze the runtime)`));
  (await started)?.();
  await waitForHealth(server.port, 60_000);
  expect(server.output()).toContain(`project ${culprit}: v1 froze the runtime ${where}`);
  expect((await appRequest(server, culprit)).status).toBe(503);
}

/** Opens a socket to the app and sends one message; the socket is destroyed once the launcher has said its verdict. */
const sendOne = (projectId: string) => async () => {
  const socket = await openAppSocket(server, projectId, "/ws");
  socket.send("go");
  return () => socket.socket.destroy();
};
describe("under npm start: blame no app can forge, and a culprit that cools down", () => {
  it("blames the app that printed a forged marker naming another project, not that project", async () => {
    const innocent = await createProject(server);
    const innocentCode = await deploy(server, innocent, counterSource("innocent"));
    const attacker = await createProject(server);
    // What the innocent project's own marker looks like (its tag aside), on a line of its own.
    const forged = `\n\u001e[facet-ide] enter ${innocent.id} ${innocentCode.codeId} request GET /\n`;
    await deploy(server, attacker, attackerApp(forged));
    // The innocent project runs: its last marker is a real one.
    expect((await appRequest(server, innocent.id)).status).toBe(200);

    await appRequest(server, attacker.id, "/arm?freeze", { timeoutMs: 30_000 }).catch(() => null);
    await untilOutput(new RegExp(`project (${attacker.id}|${innocent.id}): v1 froze the runtime`));
    await waitForHealth(server.port, 60_000);
    // (The freeze runs after a timer's wait inside the request: the timer's marker names it.)
    expect(server.output()).toContain(`project ${attacker.id}: v1 froze the runtime`);
    expect(server.output()).not.toContain(`project ${innocent.id}: v1 froze the runtime`);
    expect((await appRequest(server, innocent.id)).status).toBe(200);
    expect((await appRequest(server, attacker.id)).status).toBe(503);
  });

  it("shows raw escape sequences an app prints with their control characters visible", async () => {
    const project = await createProject(server);
    const probe = `raw-escape-probe ${ESC}]0;pwned-title${BEL} ${ESC}[31mred${ESC}[0m ${ESC}]8;;http://evil.example/${ESC}\\\\link${ESC}]8;;${ESC}\\\\`;
    await deploy(server, project, attackerApp(JSON.parse(`"${probe}"`)));
    await appRequest(server, project.id, "/arm");
    await untilOutput("raw-escape-probe");
    await new Promise((r) => setTimeout(r, 500));
    const output = server.output();
    for (const raw of ["\u001b]0;pwned-title", "\u001b[31m", "\u001b]8;;", "\u0007"]) {
      expect(output.includes(raw), JSON.stringify(raw)).toBe(false);
    }
    expect(output).toContain("^[]0;pwned-title^G");
  });

  it("blames a native WebSocket listener that froze the runtime, and refuses the culprit's saves for the cooldown", async () => {
    const bystander = await createProject(server);
    await deploy(server, bystander, counterSource("bystander"));
    const culprit = await createProject(server);
    await deploy(
      server,
      culprit,
      // No line of the app's runs when a message comes: the listener is the regex engine itself.
      socketApp(`socket.accept();
    socket.addEventListener("message", Function.prototype.call.bind(RegExp.prototype.test, /^(a+)+$/, "a".repeat(40) + "b"));`),
    );
    await expectBlamed(culprit.id, `in a "message" event listener`, sendOne(culprit.id));
    expect((await appRequest(server, bystander.id)).status).toBe(200);

    // The culprit cannot run code again at once: not new code, not the same code saved again.
    const client = clientOf(server);
    const save = (project: { id: string; token: string }, source: string) =>
      client.send("putCode", {
        params: { id: project.id },
        credential: project.token,
        body: { files: { "app.ts": source } },
      });
    const refused = await save(culprit, counterSource("new code"));
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("cooling_down");
    expect(body.error.message).toMatch(/refused for this project until \d{4}-\d\d-\d\dT[\d:.]+Z \(in \d+ s\)/);
    // Others save as before.
    expect((await save(bystander, counterSource("bystander 2"))).status).toBe(200);
  });

  it("blames a hibernation handler that is a class field holding a native function", async () => {
    const culprit = await createProject(server);
    // The runtime reads webSocketMessage off the instance: a class field came before the wrapped
    // method on the prototype, so the regex engine ran at a visitor's message unmarked and unbounded.
    await deploy(
      server,
      culprit,
      socketApp(
        "this.ctx.acceptWebSocket(socket);",
        `\n  webSocketMessage = Function.prototype.call.bind(RegExp.prototype.exec, /^(a+)+$/, "a".repeat(40) + "b");`,
      ),
    );
    await expectBlamed(culprit.id, "in webSocketMessage", sendOne(culprit.id));
  });

  it("blames native callbacks the runtime calls while it reads a body: a stream's pull, an HTMLRewriter handler", async () => {
    const EXEC = `Function.prototype.call.bind(RegExp.prototype.exec, /^(a+)+$/, "a".repeat(40) + "b")`;
    const bodyApp = (freeze: string) => `import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === "/stream") {
      let sent = false;
      return new Response(new ReadableStream({ pull(c) { if (sent) c.close(); else c.enqueue(new TextEncoder().encode("streamed")); sent = true; } }));
    }
    if (path === "/rewrite") {
      return new HTMLRewriter().on("p", { element(e) { e.setInnerContent("rewritten"); } }).transform(new Response("<p>x</p>"));
    }
    if (path === "/freeze") return ${freeze};
    return new Response("fine");
  }
}
`;
    const streams = await createProject(server);
    await deploy(server, streams, bodyApp(`new Response(new ReadableStream({ pull: ${EXEC} }, { highWaterMark: 0 }))`));
    // Streams and rewriters of the app's own code work as before.
    expect(await (await appRequest(server, streams.id, "/stream")).text()).toBe("streamed");
    expect(await (await appRequest(server, streams.id, "/rewrite")).text()).toBe("<p>rewritten</p>");
    const freeze = (id: string) => () =>
      appRequest(server, id, "/freeze", { timeoutMs: 30_000 })
        .then((r) => r.text())
        .then(() => null)
        .catch(() => null);
    await expectBlamed(streams.id, "in the ReadableStream pull", freeze(streams.id));

    const rewriter = await createProject(server);
    await deploy(
      server,
      rewriter,
      bodyApp(`new HTMLRewriter().on("p", { element: ${EXEC} }).transform(new Response("<p>x</p>"))`),
    );
    await expectBlamed(rewriter.id, "in the HTMLRewriter element", freeze(rewriter.id));
  });

  it("does not take Miniflare's crash line printed by an app for a crash", async () => {
    const project = await createProject(server);
    await deploy(
      server,
      project,
      `import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject {
  async fetch(): Promise<Response> {
    console.log("The Workers runtime crashed unexpectedly and is being restarted (crash #1).");
    return new Response("printed");
  }
}
`,
    );
    // The launcher would stop what it took for a dead workerd, and blame whatever project ran last.
    const before = server.output().length;
    expect((await appRequest(server, project.id)).status).toBe(200);
    await untilOutput("The Workers runtime crashed unexpectedly and is being restarted (crash #1).");
    await new Promise((r) => setTimeout(r, 1_000));
    expect(server.output().slice(before)).not.toContain("workerd crashed");
  });

  it("blames an app that first replaced what the runtime's console.log formats with, then froze the runtime", async () => {
    const innocent = await createProject(server);
    await deploy(server, innocent, counterSource("innocent"));
    const attacker = await createProject(server);
    // workerd's console.log (formatLog) reads JSON.stringify as the app left it: a native replacement
    // runs no guarded line, and every marker the app's isolate printed after it was the app's text,
    // so the freeze blamed nobody.
    await deploy(
      server,
      attacker,
      `import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === "/hook") {
      JSON.stringify = String.prototype.toString.bind("x") as typeof JSON.stringify;
      return new Response("hooked");
    }
    if (path === "/freeze") ${FREEZE};
    return new Response("fine");
  }
}
`,
    );
    expect((await appRequest(server, attacker.id, "/hook")).status).toBe(200);
    // The innocent project runs in between: its leave is the last marker before the attacker's next.
    expect((await appRequest(server, innocent.id)).status).toBe(200);
    await expectBlamed(attacker.id, "on GET /freeze", () =>
      appRequest(server, attacker.id, "/freeze", { timeoutMs: 30_000 })
        .then(() => null)
        .catch(() => null),
    );
    expect((await appRequest(server, innocent.id)).status).toBe(200);
  });

  it("keeps the other projects at least 90 % available over a minute of one project freezing the runtime again and again", async () => {
    const bystander = await createProject(server);
    await deploy(server, bystander, counterSource("bystander"));
    const attacker = await createProject(server);
    const freezing = `import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname === "/arm") ${FREEZE};
    return new Response("fine");
  }
}
`;
    await deploy(server, attacker, freezing);
    const client = clientOf(server);

    // A probe of the bystander every 100 ms, each given a second to answer: the share answered.
    const probes: Promise<boolean>[] = [];
    const until = Date.now() + 60_000;
    const prober = (async () => {
      while (Date.now() < until) {
        probes.push(
          appRequest(server, bystander.id, "/", { timeoutMs: 1_000 })
            .then((r) => r.status === 200)
            .catch(() => false),
        );
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    // The attacker freezes the runtime, then saves its code again (which clears the hung mark) and
    // freezes it again, as fast as it is let.
    let saves = 0;
    let refusals = 0;
    while (Date.now() < until - 2_000) {
      await appRequest(server, attacker.id, "/arm", { timeoutMs: 8_000 }).catch(() => null);
      const saved = await client
        .send("putCode", {
          params: { id: attacker.id },
          credential: attacker.token,
          body: { files: { "app.ts": freezing } },
          signal: AbortSignal.timeout(10_000),
        })
        .catch(() => null);
      if (saved?.status === 200) saves++;
      if (saved?.status === 429) refusals++;
      await new Promise((r) => setTimeout(r, 500));
    }
    await prober;
    const answered = (await Promise.all(probes)).filter(Boolean).length;
    const share = answered / probes.length;
    console.log(
      `sustained freezing by one project: the bystander answered ${answered} of ${probes.length} probes (${(share * 100).toFixed(1)} %); the attacker's saves: ${saves} taken, ${refusals} refused`,
    );
    expect(refusals).toBeGreaterThan(0);
    expect(share).toBeGreaterThanOrEqual(0.9);
  });
});
