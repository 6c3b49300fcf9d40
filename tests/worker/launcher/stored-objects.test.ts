/**
 * Requests for a project (or a credential) that does not exist reach no Durable Object: locally,
 * reaching one makes its SQLite file even if it writes nothing, so each would grow the data folder
 * (server/data-folder.ts). The launcher's desk, which says what the data folder holds
 * (scripts/data-folder.mjs), is played by a stand-in for fetch that knows the objects with storage;
 * the worker tests' runtime has no launcher, so these run the worker's entry with its address set.
 * Against `npm start`: tests/process/hostile-inputs.test.ts.
 */
import { createExecutionContext, env, listDurableObjectIds, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../../server/index";
import { createProject, ORIGIN } from "../support/helpers";

const DESK = "http://127.0.0.1:9/0123abcd";
const withDesk = { ...env, FACET_IDE_LAUNCHER: DESK } as unknown as Env;

afterEach(() => {
  vi.restoreAllMocks();
});

/** A stand-in for the desk: an object has storage when the test's runtime lists it; `down` answers 500. */
function desk({ down = false } = {}) {
  const asked: string[] = [];
  const passThrough = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (!url.href.startsWith(DESK)) return passThrough(input, init);
    if (url.pathname.endsWith("/verdicts")) return Response.json({ verdicts: [] });
    const object = url.pathname.match(/\/objects\/(\w+)\/([0-9a-f]{64})$/);
    if (!object) throw new Error(`unexpected fetch ${url.href}`);
    asked.push(object[2] ?? "");
    if (down) return new Response("down", { status: 500 });
    const ids = await (object[1] === "KeyRegistry"
      ? listDurableObjectIds(env.KEYS)
      : listDurableObjectIds(env.SUPERVISOR));
    return Response.json({ stored: ids.some((id) => id.toString() === object[2]) });
  });
  return asked;
}

async function request(path: string, init: RequestInit & { host?: string } = {}): Promise<Response> {
  const url = new URL(path, init.host ? `http://${init.host}` : ORIGIN);
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(url, init) as never, withDesk, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const stored = async (namespace: DurableObjectNamespace) =>
  (await listDurableObjectIds(namespace)).map((id) => id.toString()).sort();

describe("a project that does not exist", () => {
  it("is answered without reaching its supervisor or any key's registry", async () => {
    const asked = desk();
    const before = { supervisors: await stored(env.SUPERVISOR), keys: await stored(env.KEYS) };
    const token = "A".repeat(43);
    for (const id of ["nobody-one", "nobody-two"]) {
      const preview = await request("/", { host: `${id}.localhost:5173` });
      expect(preview.status).toBe(404);
      expect(await preview.text()).toBe(`No project is called '${id}'.\n`);
      const code = await request(`/api/projects/${id}/code`, { headers: { authorization: `Bearer ${token}` } });
      expect(code.status).toBe(404);
      const key = await request("/api/projects", { headers: { authorization: `Bearer fk_${"B".repeat(43)}` } });
      expect(key.status).toBe(401);
    }
    expect(asked.length).toBeGreaterThanOrEqual(6);
    expect({ supervisors: await stored(env.SUPERVISOR), keys: await stored(env.KEYS) }).toEqual(before);
  });

  it("a project that exists is reached, and asked about once", async () => {
    const project = await createProject();
    const asked = desk();
    const code = await request(`/api/projects/${project.id}/code`, {
      headers: { authorization: `Bearer ${project.token}` },
    });
    expect(code.status).toBe(200);
    const again = await request(`/api/projects/${project.id}/code`, {
      headers: { authorization: `Bearer ${project.token}` },
    });
    expect(again.status).toBe(200);
    const supervisorId = env.SUPERVISOR.idFromName(project.id).toString();
    expect(asked.filter((id) => id === supervisorId)).toHaveLength(1);
  });

  it("when the desk does not answer, counts as stored (a file, rather than a project refused)", async () => {
    const project = await createProject();
    desk({ down: true });
    const code = await request(`/api/projects/${project.id}/code`, {
      headers: { authorization: `Bearer ${project.token}` },
    });
    expect(code.status).toBe(200);
  });
});
