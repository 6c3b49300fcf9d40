/**
 * What the launcher says about the data folder, as the worker uses it (server/data-folder.ts).
 *
 * Requests for a project (or a credential) that does not exist reach no Durable Object: locally,
 * reaching one makes its SQLite file even if it writes nothing, so each would grow the data folder
 * (server/data-folder.ts). The launcher's desk, which says what the data folder holds
 * (scripts/data-folder.mjs), is played by a stand-in for fetch that knows the objects with storage;
 * the worker tests' runtime has no launcher, so these run the worker's entry with its address set.
 * And a change that would take the folder past the operator's ceiling is refused before it writes.
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

/**
 * A stand-in for the desk: an object has storage when the test's runtime lists it; the folder holds
 * `bytes` of `ceiling`; `down` answers 500.
 */
function desk({ down = false, bytes = 0, ceiling = 1024 ** 3, measured = [] as number[] } = {}) {
  const asked: string[] = [];
  const passThrough = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (!url.href.startsWith(DESK)) return passThrough(input, init);
    if (url.pathname.endsWith("/verdicts")) return Response.json({ verdicts: [] });
    if (url.pathname.endsWith("/data-folder")) {
      measured.push(bytes);
      return Response.json({ bytes, ceiling });
    }
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

describe("the data folder's ceiling", () => {
  const app = (label: string) =>
    `import { DurableObject } from "cloudflare:workers";\nexport class App extends DurableObject { fetch() { return new Response(${JSON.stringify(label)}); } }\n`;
  const saver = (project: { id: string; token: string }) => {
    const auth = { authorization: `Bearer ${project.token}`, "content-type": "application/json" };
    const save = (source: string) =>
      request(`/api/projects/${project.id}/code`, {
        method: "PUT",
        headers: auth,
        body: JSON.stringify({ files: { "app.ts": source } }),
      });
    return { auth, save };
  };
  /** Runs the rest of the test as if `ms` had passed, so the last measure of the folder is not recent. */
  const later = (ms: number) => {
    const then = Date.now() + ms;
    vi.spyOn(Date, "now").mockImplementation(() => then);
  };

  it("refuses a save that would pass it with a 507 naming the variable, and writes nothing", async () => {
    const project = await createProject();
    const { auth, save } = saver(project);
    later(60_000);
    desk({ bytes: 1000, ceiling: 1024 ** 2 });
    expect((await save(app("first"))).status).toBe(200);
    vi.restoreAllMocks();
    later(120_000);
    desk({ bytes: 1024 ** 2 - 100, ceiling: 1024 ** 2 });
    const refused = await save(app("second"));
    expect(refused.status).toBe(507);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("insufficient_storage");
    expect(body.error.message).toMatch(/FACET_IDE_MAX_DATA_FOLDER_MB/);
    const versions = await request(`/api/projects/${project.id}/versions`, { headers: auth });
    expect(((await versions.json()) as { versions: unknown[] }).versions).toHaveLength(1);
  });

  it("measures the folder once for quick saves well under it, and afresh near it or a second on", async () => {
    const project = await createProject();
    const { save } = saver(project);
    later(180_000);
    const measured: number[] = [];
    desk({ bytes: 1000, ceiling: 256 * 1024, measured });
    expect((await save(app("one"))).status).toBe(200);
    expect((await save(app("two"))).status).toBe(200);
    expect((await save(app("three"))).status).toBe(200);
    expect(measured).toEqual([1000]);
    // What a save adds is counted: one that takes the folder past half the ceiling is measured again.
    const big = `${app("big")}// ${"x".repeat(200 * 1024)}\n`;
    expect((await save(big)).status).toBe(200);
    expect(measured).toEqual([1000, 1000]);
    // With what was let through since counted, the folder is near the ceiling: every save is measured.
    expect((await save(app("after"))).status).toBe(200);
    expect(measured).toEqual([1000, 1000, 1000]);
    // A second on, the measure is taken afresh even far under the ceiling.
    vi.restoreAllMocks();
    later(240_000);
    desk({ bytes: 1000, ceiling: 256 * 1024, measured });
    expect((await save(app("four"))).status).toBe(200);
    expect(measured).toEqual([1000, 1000, 1000, 1000]);
  });
});
