import { createTwoFilesPatch } from "diff";
import { describe, expect, it } from "vitest";
import { argumentsText, keyArgument, oneLine, resultText } from "../../../client/assistant/step-text";
import { rowsOfPatch } from "../../../client/assistant/unified-diff";

describe("a unified diff as side-by-side rows", () => {
  it("pairs removed lines with the added ones after a hunk heading", () => {
    const before = "a\nb\nc\nd\n";
    const after = "a\nB\nc\nd\ne\n";
    const rows = rowsOfPatch(createTwoFilesPatch("app.ts", "app.ts", before, after, "", "", { context: 1 }));
    expect(rows).toEqual([
      { kind: "hunk", text: "Lines 1–5 (were 1–4)" },
      { left: "a", right: "a", kind: "same" },
      { left: "b", right: "B", kind: "changed" },
      { left: "c", right: "c", kind: "same" },
      { left: "d", right: "d", kind: "same" },
      { left: null, right: "e", kind: "changed" },
    ]);
  });

  it("shows a new file as lines added", () => {
    const rows = rowsOfPatch(createTwoFilesPatch("/dev/null", "new.ts", "", "x\ny\n"));
    expect(rows?.filter((r) => r.kind !== "hunk")).toEqual([
      { left: null, right: "x", kind: "changed" },
      { left: null, right: "y", kind: "changed" },
    ]);
  });

  it("names the file at each hunk of a patch of several files", () => {
    const patch = [
      createTwoFilesPatch("a/app.ts", "b/app.ts", "x\n", "y\n"),
      createTwoFilesPatch("/dev/null", "b/lib/util.ts", "", "z\n"),
    ].join("\n");
    expect(rowsOfPatch(patch)?.filter((r) => r.kind === "hunk")).toEqual([
      { kind: "hunk", text: "app.ts: Line 1" },
      { kind: "hunk", text: "lib/util.ts: Line 1 (were none)" },
    ]);
  });

  it("answers null for text that is not a unified diff, and no rows for an empty one", () => {
    expect(rowsOfPatch("this is not a diff")).toBeNull();
    expect(rowsOfPatch("@@ -1,2 +1,2 @@\n?weird line\n")).toBeNull();
    expect(rowsOfPatch("")).toEqual([]);
  });
});

describe("a tool call in the step list", () => {
  it("shows the argument that says most about it", () => {
    expect(keyArgument({ path: "app.ts", content: "..." })).toBe("app.ts");
    expect(keyArgument({ method: "POST", path: "/api/list" })).toBe("POST /api/list");
    expect(keyArgument({ path: "/" })).toBe("GET /");
    expect(keyArgument({ sql: "SELECT *\n  FROM t" })).toBe("SELECT * FROM t");
    expect(keyArgument({ limit: 5 })).toBe('{"limit":5}');
    expect(keyArgument({})).toBe("");
    expect(keyArgument(undefined)).toBe("");
  });

  it("cuts a long line with an ellipsis, and prints the full arguments as JSON", () => {
    expect(oneLine("x".repeat(500), 10)).toBe(`${"x".repeat(9)}…`);
    expect(argumentsText({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(argumentsText(undefined)).toBe("(none)");
    expect(resultText('{"status":200}')).toBe('{\n  "status": 200\n}');
    expect(resultText("Error: boom")).toBe("Error: boom");
  });
});
