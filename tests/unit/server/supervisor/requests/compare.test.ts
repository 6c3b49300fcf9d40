import { describe, expect, it } from "vitest";
import { answerChanges, bodyDiff, reportItem, reportTotals } from "../../../../../server/supervisor/requests/compare";
import type { ReplayAnswer } from "../../../../../shared/requests";

const answer = (status: number, body: string, exception: string | null = null): ReplayAnswer => ({
  status,
  headers: {},
  body,
  encoding: "text",
  exception,
});
const base = { id: 1, method: "GET", path: "/" };

describe("comparing a recorded answer with a replayed one", () => {
  it("names what changed: status, body, a new exception", () => {
    expect(answerChanges(answer(200, "a"), answer(200, "a"))).toEqual([]);
    expect(answerChanges(answer(500, "err", "Error"), answer(200, "ok"))).toEqual(["status", "body"]);
    expect(answerChanges(answer(200, "a"), answer(500, "a", "TypeError"))).toEqual(["status", "exception"]);
  });

  it("diffs bodies by line, marking only the lines that differ (a timestamp, say)", () => {
    const diff = bodyDiff(answer(200, "name: a\ntime: 1\nend\n"), answer(200, "name: a\ntime: 2\nend\n"));
    expect(diff).toEqual([
      { op: "same", text: "name: a\n" },
      { op: "removed", text: "time: 1\n" },
      { op: "added", text: "time: 2\n" },
      { op: "same", text: "end\n" },
    ]);
    const binary = { ...answer(200, "AAAA"), encoding: "base64" as const };
    expect(bodyDiff(binary, binary)).toEqual([]);
    expect(bodyDiff(binary, answer(200, "x")).map((p) => p.op)).toEqual(["removed", "added"]);
  });

  it("marks a failure that the replay fixed, one it caused, and counts them", () => {
    const fixed = reportItem(base, answer(500, "boom", "Error"), answer(200, "ok"));
    const broken = reportItem(base, answer(200, "ok"), answer(500, "boom", "Error"));
    const same = reportItem(base, answer(404, "no"), answer(404, "no"));
    const changed = reportItem(base, answer(200, "a"), answer(200, "b"));
    expect(fixed).toMatchObject({ outcome: "changed", fixed: true, broken: false });
    expect(broken).toMatchObject({ outcome: "changed", fixed: false, broken: true });
    expect(same).toMatchObject({ outcome: "same", fixed: false, broken: false, status: 404, recordedStatus: 404 });
    expect(changed).toMatchObject({ outcome: "changed", fixed: false, broken: false });
    const skipped = { ...same, outcome: "skipped" as const };
    expect(reportTotals([fixed, broken, same, changed, skipped])).toEqual({
      same: 1,
      changed: 3,
      skipped: 1,
      fixed: 1,
      broken: 1,
    });
  });
});
