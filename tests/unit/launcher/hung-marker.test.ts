/**
 * The launcher blames the app whose code was running when the runtime froze or crashed: it reads the
 * activity markers off the runtime's output (activity-markers.mjs) and puts a verdict on its desk
 * (hung-marker.mjs), which the restarted runtime asks for and records in the supervisor's own tables
 * (server/supervisor/verdicts.ts, tested in tests/unit/server/supervisor/verdicts.test.ts). No Node code opens
 * the supervisors' databases: this checks the desk, its file and its answers.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ActivityLog, expectedTag, MARKER_LINE_START } from "../../../scripts/activity-markers.mjs";
import { answerDesk, handedOverLine, openDesk, VerdictDesk, verdictFor } from "../../../scripts/hung-marker.mjs";
import { MARKER_PREFIX as GUARD_MARKER_PREFIX } from "../../../server/app-runtime/protocol";
import { hostTerminalText, markerTag, type Verdict } from "../../../shared/launcher-contract.mjs";
import { visibleControls } from "../../../shared/terminal-text";

const KEY = "ab".repeat(32);
const OTHER_KEY = "cd".repeat(32);
const tag = (projectId: string, codeId: string) => expectedTag(KEY, projectId, codeId);

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
    }, KEY);
    const t = tag("demo", "demo:abc");
    log.feed(`vite says hi\n${MARKER_LINE_START}enter ${t} demo demo:abc request GET /x?y=1\n`);
    expect(log.running()).toMatchObject({
      projectId: "demo",
      codeId: "demo:abc",
      what: "request",
      detail: "GET /x?y=1",
    });
    log.feed(`${MARKER_LINE_START}leave ${t} de`);
    log.feed("mo demo:abc\nmore output\n");
    expect(log.running()).toBeNull();
    expect(shown).toBe("vite says hi\nmore output\n");
  });

  it("is not fooled by an app printing something that looks like a marker", () => {
    const log = new ActivityLog(() => {}, KEY);
    // The app's console output has its control characters made visible, the marker's \x1e included.
    log.feed("^^[facet-ide] enter victim victim:x request GET /\n");
    expect(log.running()).toBeNull();
  });

  it("counts only markers whose tag is the HMAC of their project and code: an app can blame itself at most", () => {
    let shown = "";
    const log = new ActivityLog((text: string) => {
      shown += text;
    }, KEY);
    log.feed(`${MARKER_LINE_START}enter ${tag("attacker", "attacker:1")} attacker attacker:1 request GET /\n`);
    // Raw lines an app got onto the output (a hooked String.prototype.replace, console.dir...): the
    // victim's name with no tag, with the attacker's own tag, with a tag under another key, or reordered.
    const forgeries = [
      `${MARKER_LINE_START}enter victim victim:1 request GET /`,
      `${MARKER_LINE_START}enter ${tag("attacker", "attacker:1")} victim victim:1 request GET /`,
      `${MARKER_LINE_START}enter ${expectedTag(OTHER_KEY, "victim", "victim:1")} victim victim:1 request GET /`,
      `${MARKER_LINE_START}enter ${tag("victim", "victim:1").toUpperCase()} victim victim:1 request GET /`,
      `${MARKER_LINE_START}leave ${"0".repeat(32)} attacker attacker:1`,
    ];
    log.feed(`${forgeries.join("\n")}\n`);
    expect(log.running()).toMatchObject({ projectId: "attacker", codeId: "attacker:1" });
    expect(log.forged).toBe(forgeries.length);
    // Shown, made visible: the terminal sees text, not a marker.
    expect(shown).toContain("^^[facet-ide] enter victim victim:1 request GET /\n");
    // A marker checks out only under the launch's key.
    const strict = new ActivityLog(() => {}, OTHER_KEY);
    strict.feed(`${MARKER_LINE_START}enter ${tag("victim", "victim:1")} victim victim:1 request GET /\n`);
    expect(strict.running()).toBeNull();
    expect(strict.forged).toBe(1);
  });

  it("derives the same tag in the runtime (Web Crypto) as in the launcher (node:crypto)", async () => {
    for (const [projectId, codeId] of [
      ["notes", "notes:abc"],
      ["notes", "notes:abc:draft"],
      ["a b", "c"],
    ] as const) {
      expect(await markerTag(KEY, projectId, codeId)).toBe(tag(projectId, codeId));
    }
    expect(tag("notes", "notes:abc")).toMatch(/^[0-9a-f]{32}$/);
    // Project and code are both signed, and where one ends: no tag serves two markers.
    expect(tag("ab", "c")).not.toBe(tag("a", "bc"));
    expect(tag("notes", "notes:abc")).not.toBe(tag("notes", "notes:abd"));
  });

  it("shows every line that is not a verified marker with its control characters made visible", () => {
    let shown = "";
    const log = new ActivityLog((text: string) => {
      shown += text;
    }, KEY);
    const title = "\u001b]0;pwned\u0007";
    const colour = "\u001b[31mred\u001b[0m";
    const link = "\u001b]8;;http://evil.example\u001b\\click\u001b]8;;\u001b\\";
    log.feed(`${title}\n${colour}\r\n${link}\n\u009b2J\u202eevil\npartial \u001b[2J`);
    expect(shown).toBe(
      "^[]0;pwned^G\n^[[31mred^[[0m\n^[]8;;http://evil.example^[\\click^[]8;;^[\\\n<U+009B>2J<U+202E>evil\npartial ^[[2J",
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it("makes text visible exactly as the app runtime's terminal-text does", () => {
    const samples = [
      "plain",
      "a\tb\nc",
      "\r\n",
      "x\ry",
      "\u0000\u0007\u001b\u007f\u0080\u009f",
      "\u2066\u2069\u202a",
      "é😀",
    ];
    for (const sample of samples) expect(hostTerminalText(sample)).toBe(visibleControls(sample));
  });

  it("says where a line that reads like the launcher's own came from", () => {
    // An app's console.log of a fake verdict naming an innocent project, after a CRLF of its own.
    const forged = "line1\r\n[facet-ide] project innocent: v1 froze the runtime on GET /\n  [facet-ide] x";
    expect(hostTerminalText(forged)).toBe(
      "line1\n(printed by the runtime) [facet-ide] project innocent: v1 froze the runtime on GET /\n(printed by the runtime) [facet-ide] x",
    );
    expect(hostTerminalText("[facet-ide] at the start of a chunk")).toBe(
      "(printed by the runtime) [facet-ide] at the start of a chunk",
    );
    expect(hostTerminalText("said [facet-ide] inside a line")).toBe("said [facet-ide] inside a line");
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
