/**
 * Editing one file (POST /api/projects/{id}/code/edit), versions' messages, and deleting a project
 * (DELETE /api/projects/{id}) with everything it has, through the HTTP API, attackers included.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { keyRegistryFor } from "../../../server/keys/registry-stub";
import { createDraftTable } from "../../../server/supervisor/time-travel/draft-row";
import { sha256Hex } from "../../../server/supervisor/versions/hashing";
import { createVersionTables, SupervisorStore } from "../../../server/supervisor/versions/store";
import type { CreateProjectResponse } from "../../../shared/api";
import { ApiError } from "../../../shared/http/api-client";
import { api, app, call, counterApp, createProject, deploy, on } from "../support/helpers";

type Project = CreateProjectResponse;

const edit = (project: Project, body: Record<string, unknown>) =>
  call(api.path("editCode", { params: { id: project.id } }), { method: "POST", token: project.token, json: body });

async function refusal(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, ...body.error };
}

async function counterProject(): Promise<Project> {
  const project = await createProject();
  await deploy(project, { ...counterApp("one"), "lib/names.ts": 'export const NAME = "x";\nexport const N = 1;\n' });
  return project;
}

describe("edit one file", () => {
  it("changes one file as a new version, leaves the others, and keeps its message", async () => {
    const project = await counterProject();
    const edited = await api.call("editCode", {
      ...on(project),
      body: {
        file: "app.ts",
        edits: [{ oldText: 'new Response("one"', newText: 'new Response("two"' }],
        message: "rename the label",
      },
    });
    expect(edited).toMatchObject({ target: "live", file: "app.ts", version: 2, created: true, createdFile: false });
    expect(await (await app(project, "/")).text()).toBe("two rows=1");
    const code = await api.call("getCode", on(project));
    expect(code.files["lib/names.ts"]).toBe('export const NAME = "x";\nexport const N = 1;\n');
    const { versions } = await api.call("listVersions", on(project));
    expect(versions.map((v) => [v.version, v.message])).toEqual([
      [2, "rename the label"],
      [1, null],
    ]);
  });

  it("creates a file with one empty oldText, and newText's $ patterns stay as written", async () => {
    const project = await counterProject();
    const created = await api.call("editCode", {
      ...on(project),
      body: { file: "lib/price.ts", edits: [{ oldText: "", newText: "export const P = '$&$1';\n" }] },
    });
    expect(created).toMatchObject({ createdFile: true, version: 2 });
    const code = await api.call("getCode", on(project));
    expect(code.files["lib/price.ts"]).toBe("export const P = '$&$1';\n");
  });

  it("refuses oldText that is missing (naming the nearest line) or not unique (saying how often)", async () => {
    const project = await counterProject();
    const missing = await refusal(
      await edit(project, { file: "lib/names.ts", edits: [{ oldText: "export const NAME = 'y';", newText: "" }] }),
    );
    expect(missing).toMatchObject({ status: 400, code: "bad_request" });
    expect(missing.message).toMatch(
      /oldText is not in lib\/names\.ts\. The nearest match is line 1: "export const NAME = \\"x\\";"/,
    );

    const twice = await refusal(
      await edit(project, { file: "lib/names.ts", edits: [{ oldText: "export const", newText: "const" }] }),
    );
    expect(twice.message).toMatch(/occurs 2 times in lib\/names\.ts \(at lines 1, 2\)/);

    const noFile = await refusal(await edit(project, { file: "nope.ts", edits: [{ oldText: "a", newText: "b" }] }));
    expect(noFile.message).toMatch(/nope\.ts does not exist \(the live version's files: app\.ts, lib\/names\.ts\)/);
    // Nothing was saved by any of them.
    expect((await api.call("getProject", on(project))).version).toBe(1);
  });

  it("saves through the save path: a compile error is a 422, a stale baseVersion a 409", async () => {
    const project = await counterProject();
    const broken = await edit(project, {
      file: "app.ts",
      edits: [{ oldText: "return new Response(", newText: "return new Response((" }],
    });
    expect(broken.status).toBe(422);
    await deploy(project, counterApp("three"));
    const stale = await edit(project, {
      file: "app.ts",
      edits: [{ oldText: 'new Response("three"', newText: 'new Response("four"' }],
      baseVersion: 1,
    });
    expect((await refusal(stale)).status).toBe(409);
  });

  it("edits the draft with target draft, leaving the live version", async () => {
    const project = await counterProject();
    const none = await refusal(
      await edit(project, { file: "app.ts", target: "draft", edits: [{ oldText: "one", newText: "d" }] }),
    );
    expect(none).toMatchObject({ status: 409 });
    await api.call("putDraftCode", { ...on(project), body: { files: counterApp("one"), message: "try it" } });
    const edited = await api.call("editCode", {
      ...on(project),
      body: {
        file: "app.ts",
        target: "draft",
        edits: [{ oldText: 'new Response("one"', newText: 'new Response("d"' }],
        message: "draft label",
      },
    });
    expect(edited).toMatchObject({ target: "draft", revision: 2 });
    expect((await api.call("getProject", on(project))).version).toBe(1);
    const promoted = await api.call("promoteDraft", { ...on(project), body: { data: "live" } });
    const { versions } = await api.call("listVersions", on(project));
    expect(versions[0]).toMatchObject({ version: promoted.version, message: "draft label" });
  });

  it("refuses a message with control characters or past 200 characters", async () => {
    const project = await counterProject();
    for (const message of ["line\nbreak", "\u001b[31mred", "a\u202Eb", "x".repeat(201)]) {
      const response = await call(api.path("putCode", { params: { id: project.id } }), {
        method: "PUT",
        token: project.token,
        json: { files: counterApp("m"), message },
      });
      const refused = await refusal(response);
      expect(refused.status).toBe(400);
      expect(refused.message).toMatch(/message/);
    }
  });
});

describe("a database made before versions had messages", () => {
  it("gets the column, its versions reading as unlabelled", async () => {
    const project = await counterProject();
    const stub = env.SUPERVISOR.get(env.SUPERVISOR.idFromName(project.id));
    await runInDurableObject(stub, async (_instance, state) => {
      const sql = state.storage.sql;
      sql.exec("ALTER TABLE versions DROP COLUMN message");
      sql.exec("ALTER TABLE draft DROP COLUMN message");
      createVersionTables(sql);
      createDraftTable(sql);
      const columns = (table: string) =>
        sql
          .exec<{ name: string }>("SELECT name FROM pragma_table_info(?)", table)
          .toArray()
          .map((c) => c.name);
      expect(columns("versions")).toContain("message");
      expect(columns("draft")).toContain("message");
      expect(new SupervisorStore(sql).listVersions().map((v) => v.message)).toEqual([null]);
    });
  });
});

describe("delete a project", () => {
  it("is refused without the right confirmation, and with another project's token or key", async () => {
    const project = await counterProject();
    const other = await createProject();
    const wrong = await refusal(
      await call(`/api/projects/${project.id}`, {
        method: "DELETE",
        token: project.token,
        json: { confirm: other.id },
      }),
    );
    expect(wrong).toMatchObject({ status: 400 });
    expect(wrong.message).toContain(`{"confirm": "${project.id}"}`);
    const bare = await call(`/api/projects/${project.id}`, { method: "DELETE", token: project.token, json: {} });
    expect(bare.status).toBe(400);
    const foreign = await call(`/api/projects/${project.id}`, {
      method: "DELETE",
      token: other.token,
      json: { confirm: project.id },
    });
    expect(foreign.status).toBe(403);
    const key = await api.call("createKey");
    const byKey = await call(`/api/projects/${project.id}`, {
      method: "DELETE",
      token: key.key,
      json: { confirm: project.id },
    });
    expect(byKey.status).toBe(403);
    expect((await api.call("getProject", on(project))).version).toBe(1);
    expect((await app(project, "/")).status).toBe(200);
  });

  it("removes everything: code, data, the draft, the token's record, the key's list; its URLs answer 404", async () => {
    const { key } = await api.call("createKey");
    const project = await api.call("createProject", { credential: key, body: { template: "blank" } });
    await deploy(project, counterApp("gone"));
    await app(project, "/");
    await api.call("putDraftCode", { ...on(project), body: { files: counterApp("draft") } });
    const tokenHash = await sha256Hex(project.token);
    expect(await keyRegistryFor(env, tokenHash).tokenIssued()).toBe(true);

    const deleted = await api.call("deleteProject", {
      params: { id: project.id },
      credential: key,
      body: { confirm: project.id },
    });
    expect(deleted).toEqual({ deleted: project.id });

    const after = await api.send("getProject", on(project));
    expect(after.status).toBe(404);
    expect((await app(project, "/")).status).toBe(404);
    expect((await call(`/api/projects/${project.id}/code`, { token: project.token })).status).toBe(404);
    expect(await keyRegistryFor(env, tokenHash).tokenIssued()).toBe(false);
    const listed = await api.call("listProjects", { credential: key });
    expect(listed.projects.map((p) => p.id)).not.toContain(project.id);
    // The supervisor's storage is empty: no row, no version, no log line, no alarm.
    const stub = env.SUPERVISOR.get(env.SUPERVISOR.idFromName(project.id));
    await runInDurableObject(stub, async (_instance, state) => {
      const count = (table: string) => state.storage.sql.exec(`SELECT count(*) AS n FROM ${table}`).one().n;
      expect([count("project"), count("versions"), count("logs"), count("draft")]).toEqual([0, 0, 0, 0]);
      expect(await state.storage.getAlarm()).toBeNull();
    });
    // The name can be used again, by a new project that starts empty.
    const again = await api.call("createProject", { body: { name: project.id, template: "blank" } });
    expect((await api.call("getProject", on(again))).version).toBeNull();
    expect((await api.send("getProject", on(project))).status).toBe(403);
  });

  it("a deleted project's id answers 404 to a second deletion", async () => {
    const project = await counterProject();
    await api.call("deleteProject", { ...on(project), body: { confirm: project.id } });
    const again = await api.send("deleteProject", { ...on(project), body: { confirm: project.id } });
    expect(again.status).toBe(404);
    await expect(api.call("getCode", on(project))).rejects.toBeInstanceOf(ApiError);
  });
});
