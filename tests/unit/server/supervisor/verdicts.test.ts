/**
 * How a supervisor judges the launcher's verdict on code that froze or crashed the runtime
 * (server/supervisor/verdicts.ts): what it marks hung, what it tells the owner's terminal, and what
 * the launcher prints. The process tests (tests/process/hostile-*.test.ts, runtime.test.ts) run the
 * whole path: the launcher's desk, the restarted runtime asking, the mark keeping the code from
 * running again.
 */
import { describe, expect, it } from "vitest";
import { judgeVerdict, type VerdictFacts } from "../../../../server/supervisor/versions/verdicts";
import type { Verdict } from "../../../../shared/launcher-contract.mjs";

const AT = Date.UTC(2026, 0, 2, 3, 4, 5);

const verdict = (fields: Partial<Verdict> & Pick<Verdict, "projectId" | "codeId" | "what">): Verdict => ({
  id: "v",
  at: AT,
  how: "froze",
  detail: "",
  ...fields,
});

/** A project whose versions run `versions` ([version, code ID]), `current` live. */
function facts(id: string, versions: [number, string][], current: number | null, draft?: VerdictFacts["draft"]) {
  const live = versions.find(([v]) => v === current);
  return {
    project: { id, currentVersion: current },
    current: live ? { version: live[0], codeId: live[1] } : null,
    draft: draft ?? null,
    newestVersionOf: (codeId: string) =>
      versions.filter(([, c]) => c === codeId).reduce<number | null>((m, [v]) => Math.max(m ?? 0, v), null),
  } satisfies VerdictFacts;
}

describe("judging the launcher's verdict", () => {
  it("marks the live version whose code was running, and tells the owner what started it", () => {
    const judged = judgeVerdict(
      verdict({ projectId: "culprit", codeId: "culprit:4", what: "timer" }),
      facts("culprit", [[4, "culprit:4"]], 4),
    );
    expect(judged.lines).toEqual([
      expect.stringContaining("project culprit: v4 froze the runtime in a setTimeout callback"),
    ]);
    expect(judged.mark).toEqual({ version: 4, detail: "in a setTimeout callback, 2026-01-02T03:04:05.000Z" });
    expect(judged.message).toBe(
      "v4 froze the runtime in a setTimeout callback; the runtime was restarted and v4 will not run again. Save any code (the same code too) to run it again.",
    );
  });

  it("says a request's method and path, and a crash as a crash", () => {
    const judged = judgeVerdict(
      verdict({ projectId: "p", codeId: "p:2", what: "request", detail: "POST /spin", how: "crashed" }),
      facts("p", [[2, "p:2"]], 2),
    );
    expect(judged.lines[0]).toContain("v2 crashed the runtime (out of memory?) on POST /spin");
    expect(judged.mark?.detail).toMatch(/^POST \/spin, /);
  });

  it("names a Worker project's object's RPC method or constructor", () => {
    const froze = (what: string, detail: string) =>
      judgeVerdict(verdict({ projectId: "w", codeId: "w:1", what, detail }), facts("w", [[1, "w:1"]], 1)).lines[0];
    expect(froze("rpc", "assignSeat")).toContain("v1 froze the runtime in the RPC method assignSeat()");
    expect(froze("construct", "Flight")).toContain("in the constructor of Flight");
  });

  it("marks no version for a console statement, for code being saved, or for an older version; each cools down", () => {
    const project = facts(
      "p",
      [
        [1, "p:1"],
        [2, "p:2"],
      ],
      2,
    );
    const console = judgeVerdict(
      verdict({ projectId: "p", codeId: "p:2", what: "console", detail: "SELECT 1" }),
      project,
    );
    expect(console.lines[0]).toMatch(
      /running the SQL console's statement "SELECT 1"; its SQL console is blamed, no version was marked/,
    );
    // The console's freeze is blamed on the project whose console ran it: its console waits, its app runs.
    expect(console.cooldown).toBe("sql");
    expect(console.message).toContain("The SQL console's statement froze the runtime");
    const saving = judgeVerdict(verdict({ projectId: "p", codeId: "p:new", what: "startup" }), project);
    expect(saving.lines[0]).toMatch(
      /code being saved froze the runtime while its modules started; no version was marked/,
    );
    expect(saving.message).toContain("was not deployed");
    const older = judgeVerdict(
      verdict({ projectId: "p", codeId: "p:1", what: "code", detail: "loop at app.ts:3" }),
      project,
    );
    expect(older.lines[0]).toMatch(/v1, which is not the live version, froze the runtime in the loop at app\.ts:3/);
    for (const judged of [console, saving, older]) {
      expect(judged.mark).toBeNull();
      expect(judged.message).not.toBeNull();
    }
    expect([saving.cooldown, older.cooldown]).toEqual(["code", "code"]);
  });

  it("marks the draft when the draft's code was running, not the live version", () => {
    const judged = judgeVerdict(
      verdict({ projectId: "p", codeId: "p:same:draft", what: "request", detail: "GET /" }),
      facts("p", [[3, "p:same"]], 3, { revision: 2, codeId: "p:same" }),
    );
    expect(judged.lines[0]).toContain("the draft r2 froze the runtime on GET /");
    // Version 0 is the draft's mark (server/supervisor/drafts.ts); the live v3 runs on.
    expect(judged.mark?.version).toBe(0);
    const old = judgeVerdict(
      verdict({ projectId: "p", codeId: "p:older:draft", what: "request", detail: "GET /" }),
      facts("p", [[3, "p:same"]], 3, { revision: 2, codeId: "p:same" }),
    );
    expect(old.lines[0]).toContain("an old draft froze the runtime on GET /; nothing was marked");
    expect(old.mark).toBeNull();
  });

  it("says so when the project cannot be found, and tells nobody's terminal", () => {
    const judged = judgeVerdict(verdict({ projectId: "gone", codeId: "gone:1", what: "request", detail: "GET /" }), {
      ...facts("x", [], null),
      project: null,
    });
    expect(judged).toEqual({
      mark: null,
      message: null,
      lines: [expect.stringContaining("could not find project gone")],
      cooldown: null,
    });
  });

  it("keeps control characters out of what the terminal that runs the server prints", () => {
    const judged = judgeVerdict(
      verdict({ projectId: "p", codeId: "p:1", what: "request", detail: "GET /\u001b]52;c;x\u0007" }),
      facts("p", [[1, "p:1"]], 1),
    );
    expect(judged.lines[0]).toContain("on GET /?]52;c;x?");
    expect(hasControls(judged.lines[0] ?? "")).toBe(false);
  });
});

const hasControls = (text: string) => [...text].some((c) => c.charCodeAt(0) < 0x20);
