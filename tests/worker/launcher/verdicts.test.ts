/**
 * A launcher's verdict recorded in the supervisor's own tables (server/supervisor/verdicts.ts): the
 * version is marked hung and refused, the owner's terminal is told, and a verdict handed over twice
 * (the runtime restarted before the launcher heard back) is recorded once. The launcher's desk is
 * played by a stand-in for fetch; the worker tests' runtime has no launcher (FACET_IDE_LAUNCHER is
 * empty), so this drives the supervisor's part directly. The whole path, desk and restarts included,
 * runs in tests/process (hostile.test.ts, runtime.test.ts).
 */
import { env, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SupervisorStore } from "../../../server/supervisor/versions/store";
import { LauncherVerdicts } from "../../../server/supervisor/versions/verdicts";
import type { Verdict } from "../../../shared/launcher-contract.mjs";
import type { NewLogEntry } from "../../../shared/logs";
import { api, app, appWith, createProject, on, putCode } from "../support/helpers";

const DESK = "http://127.0.0.1:9/0123abcd";

afterEach(() => {
  vi.restoreAllMocks();
});

/** A stand-in for the launcher's desk: hands out `verdicts`, records the reports. */
function desk(verdicts: Verdict[]) {
  const reports: { id: string; lines: string[] }[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (!url.href.startsWith(DESK)) throw new Error(`unexpected fetch ${url.href}`);
    const applied = url.pathname.match(/\/verdicts\/([^/]+)\/applied$/);
    if (applied) {
      reports.push({ id: decodeURIComponent(applied[1] ?? ""), lines: JSON.parse(String(init?.body)).lines });
      return new Response(null, { status: 204 });
    }
    const project = url.searchParams.get("project");
    return Response.json({ verdicts: verdicts.filter((v) => project === null || v.projectId === project) });
  });
  return reports;
}

/** Settles the verdicts on `projectId` in its supervisor's storage, as a freshly started supervisor does. */
function settle(projectId: string) {
  return runInDurableObject(env.SUPERVISOR.getByName(projectId), async (_instance, state) => {
    const store = new SupervisorStore(state.storage.sql);
    const told: NewLogEntry[] = [];
    const verdicts = new LauncherVerdicts(state.storage.sql, { ...env, FACET_IDE_LAUNCHER: DESK } as unknown as Env, {
      store,
      draft: () => null,
      record: (entries) => {
        told.push(...entries);
        return [];
      },
      flushLogs: () => {},
    });
    await verdicts.settle(projectId);
    return { told, hung: store.project?.hung ?? null };
  });
}

/** Restarts the supervisor, so that its next request reads the project row afresh. */
async function restart(projectId: string) {
  await runInDurableObject(env.SUPERVISOR.getByName(projectId), async (_instance, state) => {
    state.abort("restarted by the test");
  }).catch(() => {});
}

describe("the launcher's verdicts, recorded by the supervisor", () => {
  it("marks the live version hung and tells the owner, once, however often it is handed over", async () => {
    const project = await createProject("notes");
    const codeId = await runInDurableObject(
      env.SUPERVISOR.getByName(project.id),
      async (_instance, state) => new SupervisorStore(state.storage.sql).currentVersion()?.codeId,
    );
    const verdict: Verdict = {
      id: "verdict-1",
      at: Date.UTC(2026, 0, 1),
      how: "froze",
      projectId: project.id,
      codeId: codeId ?? "",
      what: "request",
      detail: "GET /spin",
    };
    const reports = desk([verdict]);

    const first = await settle(project.id);
    expect(first.hung).toEqual({ version: 1, detail: "GET /spin, 2026-01-01T00:00:00.000Z" });
    expect(first.told).toEqual([
      expect.objectContaining({
        kind: "system",
        level: "error",
        version: 1,
        message: expect.stringContaining("v1 froze the runtime on GET /spin"),
      }),
    ]);
    // Handed over again (the launcher did not hear back): reported again, recorded once.
    const again = await settle(project.id);
    expect(again.told).toEqual([]);
    const lines = [
      `project ${project.id}: v1 froze the runtime on GET /spin; it will not run again until code is saved`,
      `project ${project.id}: Saving code (a save, the draft, a restore or a promotion) is refused for this project until 2026-01-01T00:01:00.000Z (in 60 s): its code froze the runtime, and the other projects run meanwhile.`,
    ];
    expect(reports).toEqual([
      { id: "verdict-1", lines },
      { id: "verdict-1", lines },
    ]);

    vi.restoreAllMocks();
    await restart(project.id);
    const refused = await app(project, "/");
    expect(refused.status).toBe(503);
    expect(await refused.text()).toContain("v1 of this app froze the runtime (GET /spin, 2026-01-01");
  });

  it("reports a project that is not there, and records nothing", async () => {
    const reports = desk([
      { id: "v-gone", at: 0, how: "crashed", projectId: "no-such-project", codeId: "x", what: "timer", detail: "" },
    ]);
    const settled = await settle("no-such-project");
    expect(settled).toEqual({ told: [], hung: null });
    expect(reports).toEqual([
      { id: "v-gone", lines: ["could not find project no-such-project, whose code crashed the runtime"] },
    ]);
  });

  it("refuses the blamed project's saves for a cooldown, and its SQL console after a console freeze; others save", async () => {
    const attacker = await createProject("notes");
    const other = await createProject("notes");
    const codeId = await runInDurableObject(
      env.SUPERVISOR.getByName(attacker.id),
      async (_instance, state) => new SupervisorStore(state.storage.sql).currentVersion()?.codeId,
    );
    const at = Date.now();
    desk([
      {
        id: "cool-1",
        at,
        how: "froze",
        projectId: attacker.id,
        codeId: codeId ?? "",
        what: "listener",
        detail: "message",
      },
      {
        id: "cool-2",
        at,
        how: "froze",
        projectId: attacker.id,
        codeId: codeId ?? "",
        what: "console",
        detail: "WITH RECURSIVE",
      },
    ]);
    const settled = await settle(attacker.id);
    expect(settled.told.map((t) => ("message" in t ? t.message : null))).toEqual([
      expect.stringContaining(
        "Saving code (a save, the draft, a restore or a promotion) is refused for this project until",
      ),
      expect.stringMatching(
        /The SQL console's statement froze the runtime.*The SQL console and the Data view are refused for this project until .*\(in 60 s\)/,
      ),
    ]);
    vi.restoreAllMocks();
    await restart(attacker.id);

    const files = appWith("return new Response('new code');");
    const saved = await putCode(attacker, files);
    expect(saved.status).toBe(429);
    const body = (await saved.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("cooling_down");
    expect(body.error.message).toMatch(
      /refused for this project until \d{4}-\d\d-\d\dT[\d:.]+Z \(in (5\d|60) s\): its code froze the runtime/,
    );
    // The draft is code too, and so is saving the hung version again.
    expect((await api.send("putDraftCode", { ...on(attacker), body: { files } })).status).toBe(429);
    // The console and the Data view wait as well.
    expect((await api.send("runSql", { ...on(attacker), body: { sql: "SELECT 1" } })).status).toBe(429);
    expect((await api.send("listTables", { ...on(attacker) })).status).toBe(429);
    // Nobody else is held back.
    expect((await putCode(other, files)).status).toBe(200);
    expect((await api.send("runSql", { ...on(other), body: { sql: "SELECT 1" } })).status).toBe(200);
  });
});
