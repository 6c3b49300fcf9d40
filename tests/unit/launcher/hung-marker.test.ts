/**
 * The launcher blames the app whose code was running when the runtime froze or crashed: it reads the
 * activity markers off the runtime's output (activity-markers.mjs) and marks the version in the
 * supervisor's own tables while the runtime is down (hung-marker.mjs). Both sides of the tables take
 * the schema and statements from server/supervisor/versions/tables.mjs; this checks they fit, on real SQLite
 * files.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { ActivityLog, MARKER_PREFIX } from "../../../scripts/activity-markers.mjs";
import { blameActivity } from "../../../scripts/hung-marker.mjs";
import { MARKER_PREFIX as GUARD_MARKER_PREFIX } from "../../../server/app-runtime/protocol";
import { SUPERVISOR_SCHEMA } from "../../../server/supervisor/versions/tables.mjs";
import { LogEntry } from "../../../shared/logs";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A data directory with one supervisor database per project, as the runtime leaves it. */
function dataDirWith(projects: { id: string; file: string; versions?: [number, string][]; current?: number }[]) {
  const dataDir = mkdtempSync(join(tmpdir(), "facet-ide-unit-"));
  dirs.push(dataDir);
  const dir = join(dataDir, "v3", "do", "facet-ide-ProjectSupervisor");
  mkdirSync(dir, { recursive: true });
  for (const { id, file, versions = [], current } of projects) {
    const db = new DatabaseSync(join(dir, file));
    db.exec(SUPERVISOR_SCHEMA);
    db.prepare(
      "INSERT INTO project (singleton, id, token_hash, created_at, updated_at, current_version) VALUES (1, ?, 'h', 0, 0, ?)",
    ).run(id, current ?? null);
    for (const [version, codeId] of versions) {
      db.prepare(
        "INSERT INTO versions (version, code_id, content_hash, main, files, created_at) VALUES (?, ?, 'x', 'app.ts', '{}', 0)",
      ).run(version, codeId);
    }
    db.close();
  }
  const open = (file: string) => new DatabaseSync(join(dir, file));
  return { dataDir, open };
}

function loggedEntries(db: DatabaseSync) {
  return (db.prepare("SELECT seq, entry FROM logs").all() as { seq: number; entry: string }[]).map((row) =>
    LogEntry.parse({ ...JSON.parse(row.entry), seq: row.seq }),
  );
}

describe("reading activity markers", () => {
  it("reads the lines the app's guard prints (server/app-runtime/guard.ts)", () => {
    expect(MARKER_PREFIX).toBe(`${GUARD_MARKER_PREFIX} `);
  });

  it("keeps them off the terminal, across chunks, and knows whose code runs", () => {
    let shown = "";
    const log = new ActivityLog((text: string) => {
      shown += text;
    });
    log.feed(`vite says hi\n${MARKER_PREFIX}enter demo demo:abc request GET /x?y=1\n`);
    expect(log.running()).toMatchObject({
      projectId: "demo",
      codeId: "demo:abc",
      what: "request",
      detail: "GET /x?y=1",
    });
    log.feed(`${MARKER_PREFIX}leave de`);
    log.feed("mo demo:abc\nmore output\n");
    expect(log.running()).toBeNull();
    expect(shown).toBe("vite says hi\nmore output\n");
  });

  it("is not fooled by an app printing something that looks like a marker", () => {
    const log = new ActivityLog(() => {});
    // The app's console output has its control characters made visible, the marker's \x1e included.
    log.feed("^^[facet-ide] enter victim victim:x request GET /\n");
    expect(log.running()).toBeNull();
  });
});

describe("blaming the code that was running", () => {
  it("marks the live version whose code was running, and tells the owner what started it", () => {
    const { dataDir, open } = dataDirWith([
      { id: "innocent", file: "aa.sqlite", versions: [[1, "innocent:1"]], current: 1 },
      { id: "culprit", file: "bb.sqlite", versions: [[4, "culprit:4"]], current: 4 },
    ]);
    const lines = blameActivity(dataDir, { projectId: "culprit", codeId: "culprit:4", what: "timer", detail: "" });
    expect(lines).toEqual([expect.stringContaining("project culprit: v4 froze the runtime in a setTimeout callback")]);
    const culprit = open("bb.sqlite");
    expect(culprit.prepare("SELECT hung_version, hung_detail FROM project").get()).toMatchObject({
      hung_version: 4,
      hung_detail: expect.stringMatching(/^in a setTimeout callback, /),
    });
    expect(loggedEntries(culprit)).toEqual([expect.objectContaining({ kind: "system", level: "error", version: 4 })]);
    culprit.close();
    const innocent = open("aa.sqlite");
    expect(innocent.prepare("SELECT hung_version FROM project").get()).toEqual({ hung_version: null });
    expect(loggedEntries(innocent)).toEqual([]);
    innocent.close();
  });

  it("says a request's method and path, and a crash as a crash", () => {
    const { dataDir, open } = dataDirWith([{ id: "p", file: "cc.sqlite", versions: [[2, "p:2"]], current: 2 }]);
    const lines = blameActivity(
      dataDir,
      { projectId: "p", codeId: "p:2", what: "request", detail: "POST /spin" },
      { how: "crashed" },
    );
    expect(lines[0]).toContain("v2 crashed the runtime (out of memory?) on POST /spin");
    const db = open("cc.sqlite");
    expect(db.prepare("SELECT hung_detail FROM project").get()).toMatchObject({
      hung_detail: expect.stringMatching(/^POST \/spin, /),
    });
    db.close();
  });

  it("names a Worker project's object's RPC method or constructor", () => {
    const { dataDir } = dataDirWith([{ id: "w", file: "dd.sqlite", versions: [[1, "w:1"]], current: 1 }]);
    const froze = (what: string, detail: string) =>
      blameActivity(dataDir, { projectId: "w", codeId: "w:1", what, detail }, { how: "froze" })[0];
    expect(froze("rpc", "assignSeat")).toContain("v1 froze the runtime in the RPC method assignSeat()");
    expect(froze("construct", "Flight")).toContain("in the constructor of Flight");
  });

  it("marks nothing for a console statement, for code being saved, or for an older version", () => {
    const { dataDir, open } = dataDirWith([
      {
        id: "p",
        file: "dd.sqlite",
        versions: [
          [1, "p:1"],
          [2, "p:2"],
        ],
        current: 2,
      },
    ]);
    const console = blameActivity(dataDir, { projectId: "p", codeId: "p:2", what: "console", detail: "SELECT 1" });
    expect(console[0]).toMatch(/running the SQL console's statement "SELECT 1"; nothing was marked/);
    const saving = blameActivity(dataDir, { projectId: "p", codeId: "p:new", what: "startup", detail: "" });
    expect(saving[0]).toMatch(/code being saved froze the runtime while its modules started; no version was marked/);
    const older = blameActivity(dataDir, { projectId: "p", codeId: "p:1", what: "code", detail: "loop at app.ts:3" });
    expect(older[0]).toMatch(/v1, which is not the live version, froze the runtime in the loop at app\.ts:3/);
    const db = open("dd.sqlite");
    expect(db.prepare("SELECT hung_version FROM project").get()).toEqual({ hung_version: null });
    expect(loggedEntries(db)).toHaveLength(3);
    db.close();
  });

  it("marks the draft when the draft's code was running, not the live version", () => {
    const { dataDir, open } = dataDirWith([{ id: "p", file: "ff.sqlite", versions: [[3, "p:same"]], current: 3 }]);
    const db = open("ff.sqlite");
    db.prepare(
      "INSERT INTO draft (singleton, revision, code_id, content_hash, main, files, created_at, updated_at) VALUES (1, 2, 'p:same', 'x', 'app.ts', '{}', 0, 0)",
    ).run();
    db.close();
    const lines = blameActivity(dataDir, { projectId: "p", codeId: "p:same:draft", what: "request", detail: "GET /" });
    expect(lines[0]).toContain("the draft r2 froze the runtime on GET /");
    const after = open("ff.sqlite");
    // Version 0 is the draft's mark (server/supervisor/time-travel/drafts.ts); the live v3 runs on.
    expect(after.prepare("SELECT hung_version FROM project").get()).toEqual({ hung_version: 0 });
    after.close();
  });

  it("says so when the project cannot be found, and when there is no data yet", () => {
    const { dataDir } = dataDirWith([{ id: "p", file: "ee.sqlite" }]);
    const marker = { projectId: "gone", codeId: "gone:1", what: "request", detail: "GET /" };
    expect(blameActivity(dataDir, marker)).toEqual([expect.stringContaining("could not find project gone")]);
    expect(blameActivity(join(dataDir, "nothing-here"), marker)).toEqual([
      expect.stringContaining("could not find project gone"),
    ]);
  });
});
