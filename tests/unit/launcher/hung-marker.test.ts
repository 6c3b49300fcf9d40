/**
 * The launcher marks a hung version in the supervisor's own tables while the runtime is down: both
 * sides take the schema and the statements from server/supervisor/tables.mjs, and this checks that
 * they fit, on a real SQLite file.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { markHungRequests } from "../../../scripts/hung-marker.mjs";
import { RECORD_REQUEST_START_SQL, SUPERVISOR_SCHEMA } from "../../../server/supervisor/tables.mjs";
import { LogEntry } from "../../../shared/logs";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A data directory with one supervisor database per project, as the runtime leaves it. */
function dataDirWith(projects: { id: string; file: string; request?: [string, string, number, number] }[]) {
  const dataDir = mkdtempSync(join(tmpdir(), "facet-ide-unit-"));
  dirs.push(dataDir);
  const dir = join(dataDir, "v3", "do", "facet-ide-ProjectSupervisor");
  mkdirSync(dir, { recursive: true });
  for (const { id, file, request } of projects) {
    const db = new DatabaseSync(join(dir, file));
    db.exec(SUPERVISOR_SCHEMA);
    db.prepare("INSERT INTO project (singleton, id, token_hash, created_at, updated_at) VALUES (1, ?, 'h', 0, 0)").run(
      id,
    );
    if (request) db.prepare(RECORD_REQUEST_START_SQL).run(...request);
    db.close();
  }
  const open = (file: string) => new DatabaseSync(join(dir, file));
  return { dataDir, open };
}

describe("marking the version that froze the runtime", () => {
  it("blames the latest request across projects, logs it, and clears every last request", () => {
    const now = Date.now();
    const { dataDir, open } = dataDirWith([
      { id: "innocent", file: "aa.sqlite", request: ["GET", "/", 1, now - 5_000] },
      { id: "culprit", file: "bb.sqlite", request: ["POST", "/spin", 4, now - 1_000] },
    ]);
    const lines = markHungRequests(dataDir, { detectedAt: now });
    expect(lines).toEqual([expect.stringContaining("project culprit: v4 froze the runtime on POST /spin")]);

    const culprit = open("bb.sqlite");
    expect(culprit.prepare("SELECT hung_version, hung_detail FROM project").get()).toMatchObject({
      hung_version: 4,
      hung_detail: expect.stringMatching(/^POST \/spin started /),
    });
    const logged = culprit.prepare("SELECT seq, entry FROM logs").all() as { seq: number; entry: string }[];
    expect(logged).toHaveLength(1);
    const entry = LogEntry.parse({ ...JSON.parse(logged[0]!.entry), seq: logged[0]!.seq });
    expect(entry).toMatchObject({ kind: "system", level: "error", version: 4 });
    expect(culprit.prepare("SELECT count(*) AS n FROM last_request").get()).toEqual({ n: 0 });
    culprit.close();

    const innocent = open("aa.sqlite");
    expect(innocent.prepare("SELECT hung_version FROM project").get()).toEqual({ hung_version: null });
    expect(innocent.prepare("SELECT count(*) AS n FROM last_request").get()).toEqual({ n: 0 });
    innocent.close();
  });

  it("blames nobody when the latest request is older than the window", () => {
    const now = Date.now();
    const { dataDir, open } = dataDirWith([{ id: "old", file: "cc.sqlite", request: ["GET", "/", 2, now - 60_000] }]);
    const lines = markHungRequests(dataDir, { detectedAt: now, windowMs: 20_000 });
    expect(lines).toEqual([expect.stringContaining("could not tell which app froze the runtime")]);
    const db = open("cc.sqlite");
    expect(db.prepare("SELECT hung_version FROM project").get()).toEqual({ hung_version: null });
    db.close();
  });

  it("marks nothing when no request was recorded, or when there is no data yet", () => {
    const { dataDir } = dataDirWith([{ id: "p", file: "dd.sqlite" }]);
    expect(markHungRequests(dataDir)).toEqual([]);
    expect(markHungRequests(join(dataDir, "nothing-here"))).toEqual([]);
  });
});
