/**
 * What the packages tests share (packages.test.ts): the fixture registry's address, request counts and
 * offline switch, the apps they save (hono, a single import, a Worker project using zod), and a save
 * expected to be refused.
 */
import { expect } from "vitest";
import type { ErrorBody } from "../../../shared/api";
import { type createProject, putCode } from "../support/helpers";

export const REGISTRY = "http://registry.test/";

export const counts = async (): Promise<Record<string, number>> => (await fetch(`${REGISTRY}-/counts`)).json();
export const setOffline = async (offline: boolean) =>
  void (await fetch(`${REGISTRY}-/control?offline=${offline ? 1 : 0}`)).text();

export const honoApp = (dependencies: Record<string, string>) => ({
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

export async function refused(project: Awaited<ReturnType<typeof createProject>>, files: Record<string, string>) {
  const response = await putCode(project, files);
  const body = (await response.json()) as ErrorBody;
  expect(response.status, JSON.stringify(body)).toBe(422);
  return body.error;
}

export const single = (imports: string, body: string, dependencies: Record<string, string> = {}) => ({
  "package.json": JSON.stringify({ dependencies }),
  "app.ts": `import { DurableObject } from "cloudflare:workers";
${imports}

export class App extends DurableObject {
  fetch(request: Request) {
${body}
  }
}
`,
});

export const zodWorker = {
  "package.json": JSON.stringify({ dependencies: { zod: "^3.22.0" } }),
  "wrangler.jsonc": `{
  "name": "zod-worker",
  "main": "src/index.ts",
  "compatibility_date": "2026-01-01",
  "durable_objects": { "bindings": [{ "name": "NOTES", "class_name": "Notes" }] },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["Notes"] }]
}
`,
  "src/index.ts": `import { DurableObject } from "cloudflare:workers";
import { z } from "zod";

const Note = z.object({ title: z.string().min(1) });

export class Notes extends DurableObject {
  async fetch(request: Request) {
    const parsed = Note.safeParse(await request.json());
    return Response.json(parsed.success ? { ok: true, title: parsed.data.title } : { ok: false });
  }
}

export default {
  fetch(request: Request, env: { NOTES: DurableObjectNamespace<Notes> }) {
    return env.NOTES.getByName("main").fetch(request);
  },
};
`,
};
