/**
 * npm packages under the real `npm start` (docs/packages.md): the launcher passes NPM_CONFIG_REGISTRY
 * on to the worker, so a save installs from the fixture registry (tests/fixtures/registry/, on a port
 * of this machine) and the preview answers; after a restart on the same data folder, a new project's
 * save is served from the package cache, which the restart kept: the registry is not asked again.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PutCodeResponse } from "../../shared/api";
import { startRegistryServer } from "../fixtures/registry/server";
import { appRequest, clientOf, createProject, startServer } from "./ide-server";

const files = {
  "package.json": JSON.stringify({ dependencies: { hono: "^4.0.0" } }),
  "app.ts": `import { DurableObject } from "cloudflare:workers";
import { Hono } from "hono";

export class App extends DurableObject {
  #app = new Hono().get("/", (c) => c.text("hono says hi"));
  fetch(request: Request) {
    return this.#app.fetch(request);
  }
}
`,
};

let registry: Awaited<ReturnType<typeof startRegistryServer>>;
beforeAll(async () => {
  registry = await startRegistryServer();
});
afterAll(() => registry?.close());

const counts = async (): Promise<Record<string, number>> => (await fetch(`${registry.url}-/counts`)).json();

async function saveHono(server: { port: number }): Promise<PutCodeResponse> {
  const project = await createProject(server);
  const saved = await clientOf(server).call("putCode", {
    params: { id: project.id },
    credential: project.token,
    body: { files },
  });
  const response = await appRequest(server, project.id);
  expect(response.status).toBe(200);
  expect(await response.text()).toBe("hono says hi");
  return saved;
}

describe("npm packages under npm start", () => {
  it("installs from NPM_CONFIG_REGISTRY, and a restart keeps the package cache", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "facet-ide-packages-"));
    const env = { NPM_CONFIG_REGISTRY: registry.url };
    const first = await startServer({ dataDir, env });
    try {
      const saved = await saveHono(first);
      expect(saved.packages).toEqual([{ name: "hono", version: "4.0.0" }]);
      expect(saved.installed?.[0]?.fromCache).toBe(false);
    } finally {
      await first.stop();
    }
    const before = await counts();
    expect(before["/hono/-/hono-4.0.0.tgz"]).toBe(1);

    const second = await startServer({ dataDir, env });
    try {
      const saved = await saveHono(second);
      expect(saved.installed?.[0]?.fromCache).toBe(true);
      expect(await counts()).toEqual(before);
    } finally {
      await second.stop();
    }
  });
});
