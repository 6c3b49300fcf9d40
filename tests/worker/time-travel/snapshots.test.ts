/**
 * Data snapshots and restores: every swap to a new version snapshots the data the old one leaves,
 * restoring a version with its data brings that data back (undoably), retention drops the oldest by
 * count and by size, and where the platform refuses to copy a database, snapshots turn off with a 501.
 */

import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CreateProjectResponse, ErrorBody, VersionSummary } from "../../../shared/api";
import type { RestoreResponse, SnapshotsResponse } from "../../../shared/time-travel";
import { api, app, appWith, call, createProject, deploy, on, openAppSocket } from "../support/helpers";

/** A notes app: GET /add?t=x adds a note, every request answers the notes; `wipe` deletes them all first. */
function notesApp(label: string, { wipe = false } = {}): Record<string, string> {
  return appWith(
    `    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS notes (text TEXT)");
    const url = new URL(request.url);
    ${wipe ? 'this.ctx.storage.sql.exec("DELETE FROM notes");' : ""}
    if (url.pathname === "/add") this.ctx.storage.sql.exec("INSERT INTO notes VALUES (?)", url.searchParams.get("t"));
    if (url.pathname === "/ws") {
      const pair = new WebSocketPair();
      this.ctx.acceptWebSocket(pair[1]);
      return new Response(null, { status: 101, webSocket: pair[0] });
    }
    const notes = this.ctx.storage.sql.exec("SELECT text FROM notes").toArray().map((r) => r.text);
    return Response.json({ label: ${JSON.stringify(label)}, notes });`,
  );
}

async function notes(project: CreateProjectResponse): Promise<string[]> {
  const response = await app(project, "/");
  return ((await response.json()) as { notes: string[] }).notes;
}

async function versions(project: CreateProjectResponse): Promise<VersionSummary[]> {
  const response = await api.send("listVersions", on(project));
  return ((await response.json()) as { versions: VersionSummary[] }).versions;
}

const dataOf = async (project: CreateProjectResponse, version: number) =>
  (await versions(project)).find((v) => v.version === version)?.data;

function restore(project: CreateProjectResponse, version: number, data: boolean): Promise<Response> {
  return api.send("restoreVersion", { params: { id: project.id, version }, credential: project.token, body: { data } });
}

async function settings(project: CreateProjectResponse, body: object): Promise<SnapshotsResponse> {
  const response = await api.send("setSnapshotSettings", { ...on(project), body });
  expect(response.status).toBe(200);
  return response.json();
}

describe("a snapshot at every swap", () => {
  it("snapshots the data each version leaves, and none for a save that changes nothing", async () => {
    const project = await createProject();
    await deploy(project, notesApp("v1"));
    await app(project, "/add?t=one");
    await app(project, "/add?t=two");
    await deploy(project, notesApp("v2"));
    const [v2, v1] = await versions(project);
    expect(v1?.data).toMatchObject({ snapshot: true });
    expect(v1?.data.bytes).toBeGreaterThan(0);
    expect(v1?.data.takenAt).toBeGreaterThan(0);
    expect(v2?.data).toMatchObject({ snapshot: false });
    expect(v2?.data.note).toMatch(/live version/);

    const again = await deploy(project, notesApp("v2"));
    expect(again.created).toBe(false);
    expect(await versions(project)).toHaveLength(2);
    expect((await dataOf(project, 2))?.snapshot).toBe(false);
    // The snapshot is a copy: the live app kept writing without touching it.
    await app(project, "/add?t=three");
    expect(await notes(project)).toEqual(["one", "two", "three"]);
  });
});

describe("restore", () => {
  it("with data brings back rows a later version deleted, and restoring again undoes it", async () => {
    const project = await createProject();
    await deploy(project, notesApp("v1"));
    for (const t of ["a", "b", "c"]) await app(project, `/add?t=${t}`);
    await deploy(project, notesApp("v2", { wipe: true }));
    expect(await notes(project)).toEqual([]);

    const restored = await restore(project, 1, true);
    expect(restored.status).toBe(200);
    const body = (await restored.json()) as RestoreResponse;
    expect(body).toMatchObject({ version: 3, created: true, restoredData: true, undoWith: 2 });
    const page = await app(project, "/");
    expect(page.headers.get("x-app-version")).toBe("3");
    expect(await page.json()).toEqual({ label: "v1", notes: ["a", "b", "c"] });

    // v2's snapshot holds the data as v2 left it (empty): restoring it brings the deletion back.
    const undo = (await (await restore(project, 2, true)).json()) as RestoreResponse;
    expect(undo).toMatchObject({ version: 4, restoredData: true, undoWith: 3 });
    expect(await notes(project)).toEqual([]);
    // ... and v3's snapshot (the restored rows) takes them back again.
    await restore(project, 3, true);
    expect(await notes(project)).toEqual(["a", "b", "c"]);
  });

  it("without data keeps today's rows, and answers unchanged for the live code", async () => {
    const project = await createProject();
    await deploy(project, notesApp("v1"));
    await app(project, "/add?t=kept");
    await deploy(project, notesApp("v2"));
    await app(project, "/add?t=also kept");
    const body = (await (await restore(project, 1, false)).json()) as RestoreResponse;
    expect(body).toMatchObject({ version: 3, created: true, restoredData: false, undoWith: null });
    expect(await (await app(project, "/")).json()).toEqual({ label: "v1", notes: ["kept", "also kept"] });
    const same = (await (await restore(project, 3, false)).json()) as RestoreResponse;
    expect(same).toMatchObject({ version: 3, created: false });
  });

  it("restores the live version's own snapshot (taken with snapshot now) after the data changed", async () => {
    const project = await createProject();
    await deploy(project, notesApp("v1"));
    await app(project, "/add?t=before");
    const taken = await api.send("takeSnapshot", on(project));
    expect(taken.status).toBe(200);
    expect(await taken.json()).toMatchObject({ version: 1, data: { snapshot: true } });
    await app(project, "/add?t=after");
    const body = (await (await restore(project, 1, true)).json()) as RestoreResponse;
    expect(body).toMatchObject({ version: 2, restoredData: true, undoWith: 1 });
    expect(await notes(project)).toEqual(["before"]);
    // v1's snapshot now holds what the restore replaced.
    await restore(project, 1, true);
    expect(await notes(project)).toEqual(["before", "after"]);
  });

  it("refuses a version without a snapshot, and a version that does not exist", async () => {
    const project = await createProject();
    await deploy(project, notesApp("v1"));
    const live = await restore(project, 1, true);
    expect(live.status).toBe(404);
    expect(((await live.json()) as ErrorBody).error.message).toMatch(/v1 has no data snapshot.*live version/);
    expect((await restore(project, 9, false)).status).toBe(404);
    const restorePath = api.path("restoreVersion", { params: { id: project.id, version: 1 } });
    const malformed = await call(restorePath, { method: "POST", token: project.token, json: { data: "yes" } });
    expect(malformed.status).toBe(400);
  });

  it("closes the app's WebSockets with 1012 and a reason naming the restore", async () => {
    const project = await createProject();
    await deploy(project, notesApp("v1"));
    await deploy(project, notesApp("v2"));
    const { socket } = await openAppSocket(project);
    const closed = new Promise<CloseEvent>((resolve) => socket.addEventListener("close", resolve));
    expect((await restore(project, 1, true)).status).toBe(200);
    const event = await closed;
    expect(event.code).toBe(1012);
    expect(event.reason).toBe("The app was restored to v1's code and data as v3");
  });
});

describe("retention", () => {
  it("keeps the newest snapshots by count, dropping the oldest first, and says so", async () => {
    const project = await createProject();
    await settings(project, { maxVersions: 2 });
    for (let i = 1; i <= 5; i++) {
      await deploy(project, notesApp(`v${i}`));
      await app(project, `/add?t=${i}`);
    }
    const data = Object.fromEntries((await versions(project)).map((v) => [v.version, v.data]));
    expect(data[4]?.snapshot && data[3]?.snapshot).toBe(true);
    expect(data[2]).toMatchObject({ snapshot: false, note: "Dropped: only the newest 2 snapshots are kept." });
    expect(data[1]).toMatchObject({ snapshot: false, note: "Dropped: only the newest 2 snapshots are kept." });
    const status = await api.call("getSnapshots", on(project));
    expect(status).toMatchObject({ enabled: true, count: 2, settings: { maxVersions: 2 } });
    // Lowering the count drops at once.
    expect(await settings(project, { maxVersions: 1 })).toMatchObject({ count: 1 });
    expect((await dataOf(project, 3))?.note).toMatch(/only the newest 1 snapshot is kept/);
    expect((await restore(project, 3, true)).status).toBe(404);
    expect((await restore(project, 4, true)).status).toBe(200);
  });

  it("keeps the snapshots within the byte budget, and takes none of a database past it", async () => {
    const project = await createProject();
    const big = appWith(`    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS blobs (b BLOB)");
    const n = Number(new URL(request.url).searchParams.get("kib") ?? 0);
    if (n > 0) this.ctx.storage.sql.exec("INSERT INTO blobs VALUES (?)", new Uint8Array(n * 1024).buffer);
    return new Response(String(this.ctx.storage.sql.databaseSize));`);
    await deploy(project, big);
    const size = Number(await (await app(project, "/?kib=100")).text());
    // Room for about two snapshots of this size.
    const budget = Math.floor(size * 2.5);
    await settings(project, { maxBytes: budget });
    await deploy(project, { "app.ts": `${big["app.ts"]}// v2` });
    await deploy(project, { "app.ts": `${big["app.ts"]}// v3` });
    await deploy(project, { "app.ts": `${big["app.ts"]}// v4` });
    const data = Object.fromEntries((await versions(project)).map((v) => [v.version, v.data]));
    expect(data[3]?.snapshot && data[2]?.snapshot).toBe(true);
    expect(data[1]?.note).toMatch(/^Dropped: the snapshots had reached their .* budget\.$/);

    // The database grows past the budget: the IDE can tell before the save, and the save takes none.
    await app(project, `/?kib=${Math.ceil((budget * 1.2) / 1024)}`);
    const status = await api.call("getSnapshots", on(project));
    expect(status.liveBytes).toBeGreaterThan(budget);
    expect(status.liveFits).toBe(false);
    await deploy(project, { "app.ts": `${big["app.ts"]}// v5` });
    expect((await dataOf(project, 4))?.note).toMatch(
      /^Not taken: the database \(.*\) is larger than the .* snapshot budget\.$/,
    );
    expect((await dataOf(project, 3))?.snapshot).toBe(true);
  });
});

describe("a Worker project's live size", () => {
  /** A Worker whose `Blobs` object named by the path's first segment stores `?kib=` KiB and answers its database's size. */
  const blobsWorker = (label: string) => ({
    "wrangler.jsonc": `{ "main": "src/index.ts", "durable_objects": { "bindings": [{ "name": "BLOBS", "class_name": "Blobs" }] } }`,
    "src/index.ts": `import { DurableObject } from "cloudflare:workers";
export class Blobs extends DurableObject {
  store(kib: number) {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS blobs (b BLOB)");
    if (kib > 0) this.ctx.storage.sql.exec("INSERT INTO blobs VALUES (?)", new Uint8Array(kib * 1024).buffer);
    return this.ctx.storage.sql.databaseSize;
  }
}
export default {
  async fetch(request: Request, env: { BLOBS: DurableObjectNamespace<Blobs> }) {
    const url = new URL(request.url);
    const size = await env.BLOBS.getByName(url.pathname.slice(1)).store(Number(url.searchParams.get("kib") ?? 0));
    return new Response(${JSON.stringify(label)} + " " + size);
  },
};
`,
  });

  it("counts every object's database, running or stopped by a save, as the snapshot copies them", async () => {
    const project = await createProject();
    await deploy(project, blobsWorker("v1"));
    const sizes = await Promise.all(
      ["a", "b"].map(async (name) => Number((await (await app(project, `/${name}?kib=100`)).text()).split(" ")[1])),
    );
    const objects = sizes.reduce((sum, n) => sum + n, 0);
    expect(objects).toBeGreaterThan(200 * 1024);
    // Both objects run: each is asked.
    const running = await api.call("getSnapshots", on(project));
    expect(running.liveBytes).toBe(objects);
    // A save stops them (and measures them for its snapshot): the sizes it measured stand.
    await deploy(project, blobsWorker("v2"));
    const stopped = await api.call("getSnapshots", on(project));
    expect(stopped.liveBytes).toBe(objects);
    // One runs again and grows: it is asked again, the other's measure stands.
    const grown = Number((await (await app(project, "/a?kib=50")).text()).split(" ")[1]);
    const after = await api.call("getSnapshots", on(project));
    expect(after.liveBytes).toBe(objects - (sizes[0] ?? 0) + grown);
  });
});

describe("where the platform refuses to copy a database", () => {
  it("turns snapshots and drafts off with a 501 naming the reason; saves and restores of code go on", async () => {
    const project = await createProject();
    await deploy(project, notesApp("v1"));
    const stub = env.SUPERVISOR.get(env.SUPERVISOR.idFromName(project.id));
    await runInDurableObject(stub, (_instance, state) => {
      state.facets.clone = () => {
        throw new Error("clone is not supported here");
      };
    });
    await app(project, "/add?t=x");
    const v2 = await deploy(project, notesApp("v2"));
    expect(v2.version).toBe(2);
    expect((await dataOf(project, 1))?.note).toMatch(/Snapshots and drafts are off: .*clone is not supported here/);
    const status = await api.call("getSnapshots", on(project));
    expect(status).toMatchObject({ enabled: false, liveFits: false });
    expect(status.reason).toMatch(/refused to copy/);

    for (const refused of [
      await restore(project, 1, true),
      await api.send("putDraftCode", { ...on(project), body: { files: notesApp("d") } }),
      await api.send("takeSnapshot", on(project)),
    ]) {
      expect(refused.status).toBe(501);
      expect(((await refused.json()) as ErrorBody).error).toMatchObject({ code: "not_implemented" });
    }
    expect((await restore(project, 1, false)).status).toBe(200);
    expect(await (await app(project, "/")).json()).toEqual({ label: "v1", notes: ["x"] });
    const exported = await api.send("exportProject", on(project));
    expect(exported.status).toBe(200);
  });
});
