/**
 * `npm start` (the build under Miniflare) and `npm run dev` (vite) on one data directory: a project
 * made under either opens under the other, and both answer bad input as the worker does. This is
 * also the smoke test of `npm run dev`; every other process test and the browser tests use `npm start`.
 */
import net from "node:net";
import { describe, expect, it } from "vitest";
import type { ErrorBody } from "../../shared/api";
import {
  api,
  appRequest,
  clientOf,
  counterSource,
  createProject,
  deploy,
  type IdeServer,
  rawRequest,
  startServer,
} from "./ide-server";

/** Answers that must not depend on the mode: the worker's own, never Vite's HTML error page. */
async function expectTheWorkersAnswersToBadInput(server: IdeServer, project: { id: string; token: string }) {
  // 20 MiB sent whole by Node's fetch, which (unlike curl) does not wait for `Expect: 100-continue`.
  // A worker that answers before reading it lost the race to the client about a third of the time
  // (a reset connection, or Vite's HTML error page), hence ten tries.
  const json = { files: { "app.ts": "x".repeat(20 * 1_048_576) } };
  for (let attempt = 0; attempt < 10; attempt++) {
    const huge = await clientOf(server).send("putCode", {
      params: { id: project.id },
      credential: project.token,
      body: json,
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as ErrorBody).error.code).toBe("payload_too_large");
  }

  // The same upload to /mcp, which the MCP SDK's reader left unread past its limit (issue 24).
  const key = (
    (await (await api(server, clientOf(server).path("createKey"), { method: "POST" })).json()) as { key: string }
  ).key;
  const mcp = { "content-type": "application/json", accept: "application/json, text/event-stream" };
  for (let attempt = 0; attempt < 10; attempt++) {
    const huge = await api(server, "/mcp", { method: "POST", token: key, headers: mcp, body: JSON.stringify(json) });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({
      jsonrpc: "2.0",
      error: { message: expect.stringMatching(/^Request bodies are limited/) },
    });
  }
  // Issue 24's amplification: 16 batches of 100 tools/list at once with a bearer that is no credential.
  const batch = JSON.stringify(
    Array.from({ length: 100 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "tools/list", params: {} })),
  );
  const amplified = await Promise.all(
    Array.from({ length: 16 }, () => api(server, "/mcp", { method: "POST", token: "x", headers: mcp, body: batch })),
  );
  for (const answer of amplified) {
    expect(answer.status).toBe(401);
    expect((await answer.text()).length).toBeLessThan(400);
  }

  for (const target of [
    () => rawRequest(server, "localhost", clientOf(server).path("health"), { method: "TRACE" }),
    () => appRequest(server, project.id, "/", { method: "TRACE" }),
  ]) {
    const refused = await target();
    expect(refused.status).toBe(405);
    expect(JSON.parse(await refused.text())).toMatchObject({ error: { code: "method_not_allowed" } });
  }

  // TRACK and CONNECT never become a Request (Node's fetch cannot send them): raw, over a socket.
  // None reaches an app (the row counts the callers check after this prove it).
  for (const host of ["localhost", `${project.id}.localhost`]) {
    const track = await exchange(
      server,
      `TRACK / HTTP/1.1\r\nHost: ${host}:${server.port}\r\nConnection: close\r\n\r\n`,
    );
    const connect = await exchange(server, `CONNECT ${host}:443 HTTP/1.1\r\nHost: ${host}:443\r\n\r\n`);
    if (server.mode === "dev") {
      // The dev server sees them first (vite.config.ts): the JSON 405 TRACE gets.
      for (const [method, answer] of [
        ["TRACK", track],
        ["CONNECT", connect],
      ] as const) {
        expect(answer.status, `${method} ${host}`).toBe(405);
        expect(answer.headers.allow).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
        expect(JSON.parse(answer.body)).toEqual({
          error: {
            code: "method_not_allowed",
            message: `${method} requests are not accepted (use GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS)`,
          },
        });
      }
    } else {
      // workerd owns the port under npm start and answers both before any worker runs: its HTTP
      // parser does not know TRACK, and CONNECT goes to Miniflare's entry worker, which has no
      // connect() handler (a worker's own would get the tunnel already accepted with a 200). What
      // this asserts is that both stay refused; limits-and-safety.md says why not a 405.
      expect(track.status).toBe(501);
      expect(track.body).toBe("ERROR: Unrecognized request method.");
      expect(connect.status).toBe(500);
    }
  }
  expect((await api(server, clientOf(server).path("health"))).status).toBe(200);

  // A CORS preflight reaches the app (vite used to answer every OPTIONS request itself).
  const preflight = await appRequest(server, project.id, "/preflight", { method: "OPTIONS" });
  expect(await preflight.text()).toBe("the app answered OPTIONS /preflight");
}

/** Sends `request` as it is over a socket and reads the answer until the server closes it. */
function exchange(
  server: IdeServer,
  request: string,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, "127.0.0.1");
    let text = "";
    socket.setEncoding("latin1");
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${request.split("\r\n")[0]}`)));
    socket.on("data", (chunk) => {
      text += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const [statusLine = "", ...fields] = head.split("\r\n");
      const headers = Object.fromEntries(
        fields.map((f) => [f.slice(0, f.indexOf(":")).toLowerCase(), f.slice(f.indexOf(":") + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") });
    });
    socket.write(request);
  });
}

const appSource = (label: string) =>
  counterSource(label).replace(
    "async fetch(request: Request): Promise<Response> {",
    `async fetch(request: Request): Promise<Response> {
    if (request.method === "OPTIONS") return new Response("the app answered OPTIONS " + new URL(request.url).pathname);`,
  );

async function expectProject(server: IdeServer, project: { id: string; token: string }, label: string) {
  const versions = await clientOf(server).call("listVersions", {
    params: { id: project.id },
    credential: project.token,
  });
  expect(versions.versions.map((v) => v.version)).toEqual([1]);
  const code = await clientOf(server).call("getCode", { params: { id: project.id }, credential: project.token });
  expect(code.files["app.ts"]).toContain(JSON.stringify(label));
}

describe("npm start and npm run dev", () => {
  it("share projects both ways, and answer bad input as the worker does", async () => {
    const started = await startServer({ mode: "start" });
    const { dataDir } = started;
    let fromStart: Awaited<ReturnType<typeof createProject>>;
    try {
      fromStart = await createProject(started);
      await deploy(started, fromStart, appSource("made under npm start"));
      expect(await (await appRequest(started, fromStart.id)).text()).toBe("made under npm start rows=1");
      await expectTheWorkersAnswersToBadInput(started, fromStart);
    } finally {
      await started.stop();
    }

    // The dev smoke test: health (startServer waits for it), open, create, save, the app answers.
    const dev = await startServer({ mode: "dev", dataDir });
    let fromDev: Awaited<ReturnType<typeof createProject>>;
    try {
      await expectProject(dev, fromStart, "made under npm start");
      expect(await (await appRequest(dev, fromStart.id)).text()).toBe("made under npm start rows=2");
      fromDev = await createProject(dev);
      await deploy(dev, fromDev, appSource("made under npm run dev"));
      expect(await (await appRequest(dev, fromDev.id)).text()).toBe("made under npm run dev rows=1");
      await expectTheWorkersAnswersToBadInput(dev, fromDev);
    } finally {
      await dev.stop();
    }

    const again = await startServer({ mode: "start", dataDir });
    try {
      await expectProject(again, fromDev, "made under npm run dev");
      expect(await (await appRequest(again, fromDev.id)).text()).toBe("made under npm run dev rows=2");
      expect(await (await appRequest(again, fromStart.id)).text()).toBe("made under npm start rows=3");
    } finally {
      await again.stop();
    }
  });
});
