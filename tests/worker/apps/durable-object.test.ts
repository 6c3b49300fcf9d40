/** Apps get the whole Durable Object: WebSockets, streams, many modules. */
import { describe, expect, it } from "vitest";
import type { ErrorBody } from "../../../shared/api";
import socketStyles from "../fixtures/apps/socket-styles.ts?raw";
import transformStreamWriter from "../fixtures/apps/transform-stream-writer.ts?raw";
import hibernatingEcho from "../fixtures/unchecked/hibernating-echo.ts?raw";
import manyModulesApp from "../fixtures/unchecked/many-modules-app.ts?raw";
import { app, appWith, createProject, deploy, openAppSocket, putCode } from "../support/helpers";

describe("WebSockets through the preview origin", () => {
  it("echoes with WebSocketPair and accept()", async () => {
    const project = await createProject();
    await deploy(
      project,
      appWith(`    const { 0: client, 1: server } = new WebSocketPair();
    server.accept();
    server.addEventListener("message", (e) => server.send("echo: " + e.data));
    return new Response(null, { status: 101, webSocket: client });`),
    );
    const { socket, nextMessage, response } = await openAppSocket(project);
    expect(response.headers.get("x-app-version")).toBe("1");
    socket.send("hello");
    expect(await nextMessage()).toBe("echo: hello");
  });

  it("echoes with the hibernation API, getWebSockets and an auto-response", async () => {
    const project = await createProject();
    await deploy(project, {
      "app.ts": hibernatingEcho,
    });
    const { socket, nextMessage } = await openAppSocket(project);
    socket.send("hi");
    expect(await nextMessage()).toBe("hibernating echo: hi (1 open)");
    socket.send("ping");
    expect(await nextMessage()).toBe("pong");
  });
});

describe("WebSockets across a swap", () => {
  it("closes the sockets the app holds, in both styles, with 1012 and a reason", async () => {
    const project = await createProject();
    await deploy(project, {
      "app.ts": socketStyles,
    });
    const closes: { code: number; reason: string }[] = [];
    for (const path of ["/hibernating", "/accepted"]) {
      const { socket } = await openAppSocket(project, path);
      socket.addEventListener("close", (e) => closes.push({ code: e.code, reason: e.reason }));
    }
    await deploy(project, appWith(`    return new Response("v2");`));
    for (let i = 0; i < 100 && closes.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(closes).toEqual([
      { code: 1012, reason: "The app was replaced by v2" },
      { code: 1012, reason: "The app was replaced by v2" },
    ]);
  });
});

describe("streaming", () => {
  it("passes response chunks through before the app writes the last one", async () => {
    const project = await createProject();
    await deploy(project, { "app.ts": transformStreamWriter });
    const started = Date.now();
    const response = await app(project);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("x-app-version")).toBe("1");
    const reader = response.body!.getReader();
    const first = await reader.read();
    const firstAt = Date.now() - started;
    expect(new TextDecoder().decode(first.value)).toBe("data: first\n\n");
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    const lastAt = Date.now() - started;
    expect(rest).toBe("data: second\n\n");
    // The first chunk arrived while the app was still waiting to write the second.
    expect(lastAt - firstAt).toBeGreaterThanOrEqual(250);
  });

  it("streams request bodies into the app", async () => {
    const project = await createProject();
    await deploy(
      project,
      appWith(`    let bytes = 0;
    let chunks = 0;
    for await (const chunk of request.body!) { bytes += chunk.byteLength; chunks++; }
    return Response.json({ bytes, chunks });`),
    );
    const { readable, writable } = new TransformStream();
    const writer = writable.getWriter();
    const sent = app(project, "/", { method: "POST", body: readable });
    for (let i = 0; i < 5; i++) await writer.write(new Uint8Array(1000));
    await writer.close();
    const result = (await (await sent).json()) as { bytes: number; chunks: number };
    expect(result.bytes).toBe(5000);
  });
});

describe("many modules", () => {
  it("imports extensionless, .js for .ts, index files, import type, plain .js and JSON", async () => {
    const project = await createProject();
    await deploy(project, {
      "app.ts": manyModulesApp,
      "lib/types.ts": "export interface Greeting { text: string }\n",
      "lib/greet.ts": `export const greet = (name: string): string => "hello " + name;\n`,
      "lib/shout.js": `export function shout(s) { return s.toUpperCase(); }\n`,
      "lib/index.ts": `export const VERSION = "v-index";\n`,
      "config.json": `{ "name": "modules" }`,
    });
    expect(await (await app(project)).text()).toBe("HELLO MODULES v-index");
  });

  it("names the file and line of a broken import or a missing file", async () => {
    const project = await createProject();
    const response = await putCode(project, {
      "app.ts": `import { DurableObject } from "cloudflare:workers";\nimport { x } from "./util";\nexport class App extends DurableObject {}\n`,
      "util.ts": `export const y = 1;\nexport const x = ;\n`,
    });
    expect(response.status).toBe(422);
    const diagnostics = ((await response.json()) as ErrorBody).error.details?.diagnostics;
    expect(diagnostics?.[0]).toMatchObject({ file: "util.ts", line: 2 });

    const missing = await putCode(project, {
      "app.ts": `import { DurableObject } from "cloudflare:workers";\n\nimport { x } from "./nowhere";\nexport class App extends DurableObject { fetch() { return new Response(x); } }\n`,
    });
    expect(missing.status).toBe(422);
    const diagnostic = ((await missing.json()) as ErrorBody).error.details?.diagnostics?.[0];
    expect(diagnostic).toMatchObject({ file: "app.ts", line: 3, message: "Cannot find module './nowhere'" });

    const npm = await putCode(project, {
      "app.ts": `import { DurableObject } from "cloudflare:workers";\nimport lodash from "lodash";\nexport class App extends DurableObject { fetch() { return new Response(lodash.VERSION); } }\n`,
    });
    expect(((await npm.json()) as ErrorBody).error.details?.diagnostics?.[0]?.message).toMatch(
      /'lodash' was not found in the registry/,
    );
  });

  it("reports an import of a name the other module does not export", async () => {
    const project = await createProject();
    const response = await putCode(project, {
      "app.ts": `import { DurableObject } from "cloudflare:workers";\nimport { nothere } from "./util";\nexport class App extends DurableObject { fetch() { return new Response(String(nothere)); } }\n`,
      "util.ts": "export const here = 1;\n",
    });
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toMatch(/nothere/);
  });
});
