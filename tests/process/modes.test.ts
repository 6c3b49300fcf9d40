/**
 * `npm start` (the build under Miniflare) and `npm run dev` (vite) on one data directory: a project
 * made under either opens under the other, and both answer bad input as the worker does. This is
 * also the smoke test of `npm run dev`; every other process test and the browser tests use `npm start`.
 */
import { describe, expect, it } from "vitest";
import type { ErrorBody } from "../../shared/api";
import {
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

  for (const target of [
    () => rawRequest(server, "localhost", clientOf(server).path("health"), { method: "TRACE" }),
    () => appRequest(server, project.id, "/", { method: "TRACE" }),
  ]) {
    const refused = await target();
    expect(refused.status).toBe(405);
    expect(JSON.parse(await refused.text())).toMatchObject({ error: { code: "method_not_allowed" } });
  }

  // A CORS preflight reaches the app (vite used to answer every OPTIONS request itself).
  const preflight = await appRequest(server, project.id, "/preflight", { method: "OPTIONS" });
  expect(await preflight.text()).toBe("the app answered OPTIONS /preflight");
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
