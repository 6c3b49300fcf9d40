/**
 * The launcher blames the app whose code was running when the runtime froze or crashed: it reads the
 * activity markers off the runtime's output (activity-markers.mjs) and puts a verdict on its desk
 * (hung-marker.mjs), which the restarted runtime asks for and records in the supervisor's own tables
 * (server/supervisor/verdicts.ts, tested in tests/unit/server/verdicts.test.ts). No Node code opens
 * the supervisors' databases: this checks the desk, its file and its answers.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ActivityLog, MARKER_LINE_START } from "../../../scripts/activity-markers.mjs";
import { answerDesk, handedOverLine, openDesk, VerdictDesk, verdictFor } from "../../../scripts/hung-marker.mjs";
import { MARKER_PREFIX as GUARD_MARKER_PREFIX } from "../../../server/app-runtime/protocol";
import type { Verdict } from "../../../shared/launcher-contract.mjs";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir() {
  const dir = mkdtempSync(join(tmpdir(), "facet-ide-unit-"));
  dirs.push(dir);
  return dir;
}

describe("reading activity markers", () => {
  it("reads the lines the app's guard prints (server/app-runtime/guard.ts)", () => {
    expect(MARKER_LINE_START).toBe(`${GUARD_MARKER_PREFIX} `);
  });

  it("keeps them off the terminal, across chunks, and knows whose code runs", () => {
    let shown = "";
    const log = new ActivityLog((text: string) => {
      shown += text;
    });
    log.feed(`vite says hi\n${MARKER_LINE_START}enter demo demo:abc request GET /x?y=1\n`);
    expect(log.running()).toMatchObject({
      projectId: "demo",
      codeId: "demo:abc",
      what: "request",
      detail: "GET /x?y=1",
    });
    log.feed(`${MARKER_LINE_START}leave de`);
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

describe("the verdict on the code that was running", () => {
  it("names the project, the code, what started it and how the runtime stopped", () => {
    const marker = { projectId: "culprit", codeId: "culprit:4", what: "timer", detail: "" };
    expect(verdictFor(marker, { how: "crashed", now: 1_000, id: "v-1" })).toEqual({
      id: "v-1",
      at: 1_000,
      how: "crashed",
      projectId: "culprit",
      codeId: "culprit:4",
      what: "timer",
      detail: "",
    });
    const made = verdictFor(marker);
    expect(made.how).toBe("froze");
    expect(made.id).not.toBe(verdictFor(marker).id);
  });

  it("is announced in words that do not pass for the runtime's report, without control characters", () => {
    const line = handedOverLine(
      verdictFor({ projectId: "p\u001b[2J", codeId: "p:1", what: "request", detail: "GET /x\u0007" }),
    );
    expect(line).toContain("froze the runtime on GET /x?");
    expect(line).toContain("project p?[2J");
    // The runtime's report is "project <id>: ..." (the process tests wait for it).
    expect(line).not.toMatch(/project \S+: /);
    expect(hasControls(line)).toBe(false);
  });
});

describe("the verdict desk", () => {
  const verdict = (id: string, projectId: string): Verdict =>
    verdictFor({ projectId, codeId: `${projectId}:1`, what: "request", detail: "GET /" }, { id, now: 5 });

  it("keeps pending verdicts in its file, so a new launcher hands them over too", () => {
    const dir = dataDir();
    const desk = VerdictDesk.in(dir);
    desk.add(verdict("a", "one"));
    desk.add(verdict("b", "two"));
    expect(desk.pending("two").map((v) => v.id)).toEqual(["b"]);
    expect(JSON.parse(readFileSync(join(dir, "launcher", "verdicts.json"), "utf8")).verdicts).toHaveLength(2);

    expect(desk.settle("a")?.projectId).toBe("one");
    expect(desk.settle("a")).toBeNull();
    const again = VerdictDesk.in(dir);
    expect(again.pending().map((v) => v.id)).toEqual(["b"]);
  });

  it("starts empty without a file, or with one that is not its own", () => {
    const dir = dataDir();
    expect(VerdictDesk.in(dir).pending()).toEqual([]);
    expect(new VerdictDesk(join(dir, "nothing", "here.json")).pending()).toEqual([]);
  });

  it("answers only under its secret, lists a project's verdicts, and takes a reported one off once", () => {
    const desk = VerdictDesk.in(dataDir());
    desk.add(verdict("a", "one"));
    desk.add(verdict("b", "two"));
    const reports: [string, string[]][] = [];
    const ask = (method: string, path: string, body?: string) =>
      answerDesk(desk, "s3cret", { method, path, body }, (v, lines) => reports.push([v.id, lines]));

    expect(ask("GET", "/wrong/verdicts").status).toBe(404);
    expect(ask("GET", "/verdicts").status).toBe(404);
    expect(ask("GET", "/s3cret/verdicts")).toEqual({ status: 200, json: { verdicts: desk.pending() } });
    expect(ask("GET", "/s3cret/verdicts?project=two")).toEqual({
      status: 200,
      json: { verdicts: [desk.pending()[1]] },
    });
    expect(ask("POST", "/s3cret/verdicts").status).toBe(405);
    expect(ask("POST", "/s3cret/verdicts/a/applied", "not json").status).toBe(400);
    expect(ask("POST", "/s3cret/verdicts/a/applied", JSON.stringify({ lines: [1] })).status).toBe(400);

    const report = JSON.stringify({ lines: ["project one: v1 froze the runtime on GET /"] });
    expect(ask("POST", "/s3cret/verdicts/a/applied", report).status).toBe(204);
    expect(ask("POST", "/s3cret/verdicts/a/applied", report).status).toBe(204);
    expect(reports).toEqual([["a", ["project one: v1 froze the runtime on GET /"]]]);
    expect(desk.pending().map((v) => v.id)).toEqual(["b"]);
  });

  it("serves on a loopback port, under a secret made for the launch", async () => {
    const desk = VerdictDesk.in(dataDir());
    desk.add(verdict("a", "one"));
    const reported: string[] = [];
    const served = await openDesk(desk, (_v, lines) => reported.push(...lines));
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{48}$/);
      const listed = await fetch(`${served.url}/verdicts?project=one`);
      expect(((await listed.json()) as { verdicts: Verdict[] }).verdicts.map((v) => v.id)).toEqual(["a"]);
      const applied = await fetch(`${served.url}/verdicts/a/applied`, {
        method: "POST",
        body: JSON.stringify({ lines: ["done"] }),
      });
      expect(applied.status).toBe(204);
      expect(reported).toEqual(["done"]);
      const other = await openDesk(desk, () => {});
      expect((await fetch(`${other.url.replace(/\/[0-9a-f]+$/, "")}${served.url.slice(-49)}/verdicts`)).status).toBe(
        404,
      );
      other.close();
    } finally {
      served.close();
    }
  });
});

const hasControls = (text: string) => [...text].some((c) => c.charCodeAt(0) < 0x20);
