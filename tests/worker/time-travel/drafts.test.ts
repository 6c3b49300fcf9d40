/**
 * Drafts: code tried on a copy of the live data, on its own origin. Its writes never reach the live
 * app; promote makes it live with either data; discard deletes it; its logs, SQL and alarm are its own.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CreateProjectResponse, ErrorBody } from "../../../shared/api";
import type { SqlResult } from "../../../shared/sql";
import type { DraftCodeResponse, DraftResponse, PromoteDraftResponse } from "../../../shared/time-travel";
import { api, app, appWith, createProject, deploy, on } from "../support/helpers";
import { openTerminal, waitForLine } from "../support/socket";

/** Each request adds a row named after the path's last part; answers `<label>: rows`. */
function rowsApp(label: string, migration = ""): Record<string, string> {
  return appWith(
    `    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS items (name TEXT)");
    ${migration}
    const name = new URL(request.url).pathname.slice(1);
    if (name) this.ctx.storage.sql.exec("INSERT INTO items VALUES (?)", name);
    console.log(${JSON.stringify(label)}, "served", name);
    const rows = this.ctx.storage.sql.exec("SELECT name FROM items").toArray().map((r) => r.name);
    return new Response(${JSON.stringify(label)} + ": " + rows.join(","));`,
  );
}

const draftOrigin = (project: { id: string }, path = "/") =>
  exports.default.fetch(new Request(`http://${project.id}--draft.localhost:5173${path}`));

function putDraft(project: CreateProjectResponse, files: Record<string, string>) {
  return api.send("putDraftCode", { ...on(project), body: { files } });
}

async function saveDraft(project: CreateProjectResponse, files: Record<string, string>): Promise<DraftCodeResponse> {
  const response = await putDraft(project, files);
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return JSON.parse(text);
}

function promote(project: CreateProjectResponse, data: "live" | "draft") {
  return api.send("promoteDraft", { ...on(project), body: { data } });
}

async function draftInfo(project: CreateProjectResponse): Promise<DraftResponse> {
  return (await api.send("getDraft", on(project))).json();
}

describe("drafts", () => {
  it("run new code on a copy of the live data; the live app never sees the draft's writes", async () => {
    const project = await createProject();
    await deploy(project, rowsApp("live"));
    await app(project, "/a");
    expect(await (await draftOrigin(project)).text()).toMatch(/has no draft/);

    const saved = await saveDraft(project, rowsApp("draft"));
    expect(saved).toMatchObject({
      revision: 1,
      created: true,
      previewUrl: `http://${project.id}--draft.localhost:5173/`,
    });
    const draftPage = await draftOrigin(project, "/b");
    expect(draftPage.headers.get("x-app-version")).toBe("draft-1");
    expect(await draftPage.text()).toBe("draft: a,b");
    expect(await (await app(project, "/c")).text()).toBe("live: a,c");
    expect(await (await draftOrigin(project)).text()).toBe("draft: a,b");

    // A second draft save swaps the draft's code and keeps the draft's data.
    const second = await saveDraft(project, rowsApp("draft 2"));
    expect(second).toMatchObject({ revision: 2, created: true });
    expect(await (await draftOrigin(project)).text()).toBe("draft 2: a,b");
    expect((await saveDraft(project, rowsApp("draft 2"))).created).toBe(false);
    const { draft } = await draftInfo(project);
    expect(draft).toMatchObject({ revision: 2, basedOnVersion: 1, main: "app.ts" });
    expect(Object.keys(draft?.files ?? {})).toEqual(["app.ts"]);
    // Live is still v1 and its counters are its own.
    const info = await api.call("getProject", on(project));
    expect(info).toMatchObject({ version: 1 });
  });

  it("promote with the live data: the draft's code goes live on the live rows", async () => {
    const project = await createProject();
    await deploy(project, rowsApp("live"));
    await app(project, "/a");
    await saveDraft(project, rowsApp("new", `this.ctx.storage.sql.exec("UPDATE items SET name = upper(name)");`));
    await draftOrigin(project, "/draft-only");
    await app(project, "/b");
    const response = await promote(project, "live");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      version: 2,
      created: true,
      data: "live",
    } satisfies Partial<PromoteDraftResponse>);
    // The migration ran again on the live data; the draft's own row is gone with the draft.
    expect(await (await app(project, "/")).text()).toBe("new: A,B");
    expect(await draftInfo(project)).toEqual({ draft: null });
    expect(await (await draftOrigin(project)).text()).toMatch(/has no draft/);
    // v1's data (before the migration) was snapshotted as usual.
    const versions = await api.call("listVersions", on(project));
    expect(versions.versions.find((v) => v.version === 1)?.data.snapshot).toBe(true);
  });

  it("promote with the draft's data: the live data becomes the draft's (and v1's is snapshotted)", async () => {
    const project = await createProject();
    await deploy(project, rowsApp("live"));
    await app(project, "/a");
    await saveDraft(project, rowsApp("new"));
    await draftOrigin(project, "/from-draft");
    await app(project, "/live-later");
    const promoted = await promote(project, "draft");
    expect(await promoted.json()).toMatchObject({ version: 2, data: "draft" });
    expect(await (await app(project, "/")).text()).toBe("new: a,from-draft");
    // The live rows the draft replaced are v1's snapshot.
    await api.send("restoreVersion", {
      params: { id: project.id, version: 1 },
      credential: project.token,
      body: { data: true },
    });
    expect(await (await app(project, "/")).text()).toBe("live: a,live-later");
  });

  it("discard deletes the draft and its data; the next draft copies the live data afresh", async () => {
    const project = await createProject();
    await deploy(project, rowsApp("live"));
    await saveDraft(project, rowsApp("draft"));
    await draftOrigin(project, "/x");
    const discarded = await api.send("discardDraft", on(project));
    expect(await discarded.json()).toEqual({ discarded: true });
    expect(await api.call("discardDraft", on(project))).toEqual({
      discarded: false,
    });
    expect((await promote(project, "live")).status).toBe(404);
    await app(project, "/y");
    await saveDraft(project, rowsApp("again"));
    expect(await (await draftOrigin(project)).text()).toBe("again: y");
  });

  it("has its own log lines, SQL console target and 422 for code that does not compile", async () => {
    const project = await createProject();
    await deploy(project, rowsApp("live"));
    await app(project, "/");
    const terminal = await openTerminal(project);
    await terminal.next((m) => m.type === "hello");
    await saveDraft(project, rowsApp("draft"));
    await draftOrigin(project, "/d");
    const line = await waitForLine(terminal, (e) => e.kind === "console" && e.message.includes("draft served d"));
    expect(line.draft).toBe(1);
    const request = await waitForLine(terminal, (e) => e.kind === "request" && e.path === "/d");
    expect(request.draft).toBe(1);

    const sql = (target?: "draft") =>
      api.send("runSql", {
        ...on(project),
        body: { sql: "SELECT count(*) AS n FROM items", ...(target ? { target } : {}) },
      });
    expect(((await (await sql("draft")).json()) as SqlResult).rows).toEqual([[1]]);
    expect(((await (await sql()).json()) as SqlResult).rows).toEqual([[0]]);
    terminal.send({ type: "sql", id: "q1", sql: "SELECT name FROM items", target: "draft" });
    const answer = await terminal.nextWhere((m) => m.type === "sql-result" && m.id === "q1");
    expect(answer).toMatchObject({ result: { rows: [["d"]] } });

    const broken = await putDraft(project, { "app.ts": "export class App {" });
    expect(broken.status).toBe(422);
    expect(((await broken.json()) as ErrorBody).error.code).toBe("compile_error");
    await waitForLine(terminal, (e) => e.kind === "save-error" && e.draft === 2);
    expect(await (await draftOrigin(project)).text()).toBe("draft: d");
    terminal.socket.close();
  });

  it("answers 404 for the draft's SQL while there is no draft", async () => {
    const project = await createProject();
    await deploy(project, rowsApp("live"));
    const response = await api.send("runSql", { ...on(project), body: { sql: "SELECT 1", target: "draft" } });
    expect(response.status).toBe(404);
  });

  it("has an alarm of its own, copied from the live app's when the draft starts", async () => {
    const project = await createProject();
    const alarmApp = (label: string) =>
      appWith(
        `    const url = new URL(request.url);
    if (url.pathname === "/arm") await this.ctx.storage.setAlarm(Date.now() + Number(url.searchParams.get("ms")));
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS fired (label TEXT)");
    const fired = this.ctx.storage.sql.exec("SELECT label FROM fired").toArray().map((r) => r.label);
    return new Response(JSON.stringify({ alarm: await this.ctx.storage.getAlarm(), fired }));`,
        "",
      )["app.ts"]!.replace(
        "export class App extends DurableObject {",
        `export class App extends DurableObject {
  async alarm() {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS fired (label TEXT)");
    this.ctx.storage.sql.exec("INSERT INTO fired VALUES (?)", ${JSON.stringify(label)});
  }`,
      );
    await deploy(project, { "app.ts": alarmApp("live") });
    await app(project, "/arm?ms=600000");
    const liveAlarm = JSON.parse(await (await app(project, "/")).text()).alarm;
    await saveDraft(project, { "app.ts": alarmApp("draft") });
    // The draft starts with the live app's alarm, then sets its own without moving the live one.
    expect(JSON.parse(await (await draftOrigin(project)).text()).alarm).toBe(liveAlarm);
    await draftOrigin(project, "/arm?ms=300");
    expect(JSON.parse(await (await app(project, "/")).text()).alarm).toBe(liveAlarm);
    let draftState = { fired: [] as string[] };
    for (let i = 0; i < 100 && draftState.fired.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      draftState = JSON.parse(await (await draftOrigin(project)).text());
    }
    expect(draftState.fired).toEqual(["draft"]);
    expect(JSON.parse(await (await app(project, "/")).text())).toEqual({ alarm: liveAlarm, fired: [] });
  });
});
