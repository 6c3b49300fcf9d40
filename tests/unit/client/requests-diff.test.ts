import { describe, expect, it } from "vitest";
import { sideBySide } from "../../../client/requests/side-by-side";
import type { ReplayAnswer } from "../../../shared/requests";

const text = (body: string): ReplayAnswer => ({ status: 200, headers: {}, body, encoding: "text", exception: null });

describe("the side-by-side diff of two answers", () => {
  it("pairs a changed line with its replacement and keeps the others on both sides", () => {
    expect(sideBySide(text("a\nb\nc\n"), text("a\nB\nc\n"))).toEqual([
      { left: "a", right: "a", kind: "same" },
      { left: "b", right: "B", kind: "changed" },
      { left: "c", right: "c", kind: "same" },
    ]);
  });

  it("leaves the other side empty where lines were only added or removed", () => {
    expect(sideBySide(text("a\n"), text("a\nnew 1\nnew 2\n"))).toEqual([
      { left: "a", right: "a", kind: "same" },
      { left: null, right: "new 1", kind: "changed" },
      { left: null, right: "new 2", kind: "changed" },
    ]);
    expect(sideBySide(text("gone\n"), text(""))).toEqual([{ left: "gone", right: null, kind: "changed" }]);
  });

  it("says whether two binary bodies are the same, without diffing bytes", () => {
    const binary = { ...text("AAEC"), encoding: "base64" as const };
    expect(sideBySide(binary, binary)[0]?.kind).toBe("same");
    expect(sideBySide(binary, { ...binary, body: "AAED" })[0]?.kind).toBe("changed");
  });
});
