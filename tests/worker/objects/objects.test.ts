/**
 * Worker projects (issue 19): a Worker and two Durable Object classes bound in the project's own
 * wrangler.jsonc; named, string and unique IDs; RPC and fetch on stubs; a WebSocket to an object;
 * alarms on two objects; swaps under load across ten objects; the object limit.
 */
import { describe, expect, it } from "vitest";
import { objectsProject } from "../fixtures/objects-app";
import { api, app, createProject, deploy, on, openAppSocket, putCode } from "../support/helpers";
import { openTerminal } from "../support/socket";

type Project = Awaited<ReturnType<typeof createProject>>;

async function json<T>(project: Project, path: string): Promise<T> {
  const response = await app(project, path);
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return JSON.parse(text) as T;
}

describe("a Worker project", () => {
  it("routes by name to objects of two classes, each with its own database, through RPC and fetch", async () => {
    const project = await createProject();
    await deploy(project, objectsProject());
    expect(await json(project, "/count/a")).toEqual({ n: 1 });
    expect(await json(project, "/count/a")).toEqual({ n: 2 });
    expect(await json(project, "/count/b")).toEqual({ n: 1 });
    // vars from wrangler.jsonc are in env.
    expect(await (await app(project, "/greeting")).text()).toBe("v hello");
    // ctx.id behaves as on Cloudflare: 64 hex digits, and the name for a named ID.
    const who = await json<{ id: string; name: string; greeting: string }>(project, "/who/a");
    expect(who).toMatchObject({ name: "a", greeting: "hello" });
    expect(who.id).toMatch(/^[0-9a-f]{64}$/);
    // fetch on a stub: the object sees the URL the Worker passed.
    expect(await (await app(project, "/fetch/a")).text()).toBe("v a /fetch/a n=3");
    // idFromString reaches the same object; its name stays known.
    expect(await json(project, `/string/${who.id}`)).toEqual({ n: 4 });
    const unique = await json<{ id: string; n: number; name: string | null }>(project, "/unique");
    expect(unique).toMatchObject({ n: 5, name: null });
    expect(await json(project, `/string/${unique.id}`)).toEqual({ n: 6 });
    // An error thrown by an RPC method reaches the caller with its type and message.
    expect(await (await app(project, "/fail/a")).text()).toBe("true out of range in a");
  });

  it("refuses an ID of another namespace or a malformed one, as Cloudflare does", async () => {
    const project = await createProject();
    await deploy(project, objectsProject());
    const bad = await app(project, `/string/${"0".repeat(64)}`);
    expect(bad.status).toBe(500);
    expect(await bad.text()).toContain("Invalid Durable Object ID");
    const short = await app(project, "/string/abc");
    expect(await short.text()).toContain("IDs are 64 hex digits");
  });

  it("names the object on each request line, with what it logged", async () => {
    const project = await createProject();
    await deploy(project, objectsProject());
    const terminal = await openTerminal(project);
    await app(project, "/fetch/lobby");
    await app(project, "/count/lobby");
    const line = await terminal.nextWhere(
      (m) =>
        m.type === "logs" &&
        m.entries.some((e) => e.kind === "request" && e.object === "Counter:lobby" && e.method === "GET"),
    );
    expect(line.type === "logs" && line.entries.find((e) => e.object === "Counter:lobby")).toMatchObject({
      path: "/fetch/lobby",
      status: 200,
    });
    await terminal.nextWhere(
      (m) =>
        m.type === "logs" &&
        m.entries.some(
          (e) => e.kind === "console" && e.object === "Counter:lobby" && e.message === "counter fetch lobby 1",
        ),
    );
    await terminal.nextWhere(
      (m) =>
        m.type === "logs" &&
        m.entries.some((e) => e.kind === "request" && e.object === "Counter:lobby" && e.path === "increment()"),
    );
  });

  it("passes a WebSocket to an object through the Worker, and a save closes it with 1012", async () => {
    const project = await createProject();
    await deploy(project, objectsProject());
    const red = await openAppSocket(project, "/room/red");
    const blue = await openAppSocket(project, "/room/blue");
    red.socket.send("hi");
    blue.socket.send("yo");
    expect(await red.nextMessage()).toBe("red: hi");
    expect(await blue.nextMessage()).toBe("blue: yo");
    const closed = new Promise<number>((resolve) => red.socket.addEventListener("close", (e) => resolve(e.code)));
    await deploy(project, objectsProject("v2"));
    expect(await closed).toBe(1012);
  });

  it("keeps an alarm per object: two objects' alarms each ring once", async () => {
    const project = await createProject();
    await deploy(project, objectsProject());
    const first = await json<{ at: number }>(project, "/alarm/one?ms=150");
    await json(project, "/alarm/two?ms=300");
    expect(first.at).toBeGreaterThan(Date.now() - 1000);
    const rang = async (name: string) => (await json<{ n: number }>(project, `/rang/${name}`)).n;
    for (let i = 0; i < 100 && ((await rang("one")) < 1 || (await rang("two")) < 1); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await rang("one")).toBe(1);
    expect(await rang("two")).toBe(1);
    expect(await rang("three")).toBe(0);
    const logs = await api.call("readLogs", { ...on(project), query: { limit: 200 } });
    const alarmLines = logs.entries.filter((e) => e.kind === "console" && e.message?.startsWith("alarm rang in"));
    expect(alarmLines.map((e) => e.object).sort()).toEqual(["Counter:one", "Counter:two"]);
    // Each object's meter counts its own alarm run.
    const metricsOf = async (object: string) => await api.call("getMetrics", { ...on(project), query: { object } });
    expect((await metricsOf("Counter:one")).totals.alarms).toBe(1);
    expect((await metricsOf("Counter:two")).totals.alarms).toBe(1);
  });

  it("serves every request across ten objects on exactly one version through 20 saves, losing and repeating nothing", async () => {
    const project = await createProject();
    await deploy(project, objectsProject("v0"));
    let liveFrom = 1;
    let stop = false;
    const results: { object: number; status: number; version: number; body: string; minVersion: number }[] = [];
    const client = async (object: number) => {
      while (!stop) {
        const minVersion = liveFrom;
        const response = await app(project, `/fetch/o${object}`);
        results.push({
          object,
          status: response.status,
          version: Number(response.headers.get("x-app-version")),
          body: await response.text(),
          minVersion,
        });
      }
    };
    const clients = Array.from({ length: 10 }, (_, i) => client(i));
    for (let i = 1; i <= 20; i++) {
      const { version } = await deploy(project, objectsProject(`v${i}`));
      liveFrom = version;
    }
    stop = true;
    await Promise.all(clients);

    expect(results.length).toBeGreaterThan(40);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.filter((r) => r.version < r.minVersion)).toEqual([]);
    // The object ran the same version as the Worker that called it.
    expect(results.filter((r) => !r.body.startsWith(`v${r.version - 1} o${r.object} `))).toEqual([]);
    // Each object counted exactly its responses: n runs 1..k without a gap or a repeat.
    for (let object = 0; object < 10; object++) {
      const counts = results.filter((r) => r.object === object).map((r) => Number(r.body.split("n=")[1]));
      expect(counts).toEqual(counts.map((_, i) => i + 1));
    }
  });

  it("holds the project to its objects limit, with the reason in the error", async () => {
    const project = await createProject();
    await deploy(project, objectsProject());
    const limits = await api.send("putLimits", { ...on(project), body: { objects: 2 } });
    expect(limits.status).toBe(200);
    expect(await json(project, "/count/a")).toEqual({ n: 1 });
    expect(await json(project, "/count/b")).toEqual({ n: 1 });
    const refused = await app(project, "/count/c");
    expect(refused.status).toBe(500);
    expect(await refused.text()).toContain("its limit (objects: 2)");
    // Objects that exist still answer.
    expect(await json(project, "/count/a")).toEqual({ n: 2 });
  });

  it("refuses a configuration whose class main does not export, pointing at the binding", async () => {
    const project = await createProject();
    const files = objectsProject();
    files["src/index.ts"] = files["src/index.ts"]!.replace("export class Room", "class Room");
    const response = await putCode(project, files);
    expect(response.status).toBe(422);
    const body = (await response.json()) as {
      error: { details: { diagnostics: { file: string; line: number; message: string }[] } };
    };
    expect(body.error.details.diagnostics[0]).toMatchObject({
      file: "wrangler.jsonc",
      line: 10,
      message: expect.stringContaining("ROOMS is bound to the class Room, which src/index.ts does not export"),
    });
  });
});
