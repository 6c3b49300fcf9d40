/**
 * npm packages in a project (docs/packages.md), installed from the fixture registry
 * (tests/fixtures/registry/, reached as http://registry.test/ through the stand-in internet): an App
 * importing hono and nanoid answers, a second project is served from the package cache, a save that
 * changes no package.json asks the registry nothing, and every refusal is a 422 naming the package.
 * One file, run in order: the registry's offline switch and its request counts are shared.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { packageCache } from "../../../server/packages/cache-stub";
import type { CodeResponse, ErrorBody, PutCodeResponse, VersionsResponse } from "../../../shared/api";
import { api, app, createProject, deploy, on, putCode } from "../support/helpers";

const REGISTRY = "http://registry.test/";

const counts = async (): Promise<Record<string, number>> => (await fetch(`${REGISTRY}-/counts`)).json();
const setOffline = async (offline: boolean) =>
  void (await fetch(`${REGISTRY}-/control?offline=${offline ? 1 : 0}`)).text();

const honoApp = (dependencies: Record<string, string>) => ({
  "package.json": JSON.stringify({ name: "shortener", dependencies }),
  "app.ts": `import { DurableObject } from "cloudflare:workers";
import { Hono } from "hono";
import { nanoid } from "nanoid";

export class App extends DurableObject {
  #app = new Hono().get("/", (c) => c.json({ id: nanoid(8), hono: true }));
  fetch(request: Request) {
    return this.#app.fetch(request);
  }
}
`,
});

async function refused(project: Awaited<ReturnType<typeof createProject>>, files: Record<string, string>) {
  const response = await putCode(project, files);
  const body = (await response.json()) as ErrorBody;
  expect(response.status, JSON.stringify(body)).toBe(422);
  return body.error;
}

describe("npm packages", () => {
  it("installs hono and nanoid, and the app answers with them", async () => {
    const project = await createProject();
    const saved = await deploy(project, honoApp({ hono: "^4.0.0", nanoid: "^5.0.0" }));
    expect(saved.packages).toEqual([
      { name: "hono", version: "4.0.0" },
      { name: "nanoid", version: "5.0.0" },
    ]);
    expect(saved.installed?.map((r) => [r.name, r.fromCache])).toEqual([
      ["hono", false],
      ["nanoid", false],
    ]);
    const response = await app(project);
    const body = (await response.json()) as { id: string; hono: boolean };
    expect(body.hono).toBe(true);
    expect(body.id).toMatch(/^[\w-]{8}$/);
  });
});
