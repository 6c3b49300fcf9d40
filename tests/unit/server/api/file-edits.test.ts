import { describe, expect, it } from "vitest";
import { applyEdits, nearestText } from "../../../../server/api/file-edits";

const source = 'const a = 1;\nfunction greet(name) {\n  return "hi " + name;\n}\nconst b = 2;\n';

describe("applyEdits", () => {
  it("replaces each oldText once, in order, each on the result of the one before", () => {
    const result = applyEdits("app.ts", source, [
      { oldText: "const a = 1;", newText: "const a = 10;" },
      { oldText: "const a = 10;\nfunction", newText: "const a = 11;\nfunction" },
    ]);
    expect(result).toEqual({ ok: true, createdFile: false, text: source.replace("const a = 1;", "const a = 11;") });
  });

  it("keeps $ patterns in newText as written", () => {
    const result = applyEdits("app.ts", source, [{ oldText: "const b = 2;", newText: "const b = '$&$1$$';" }]);
    expect(result.ok && result.text).toContain("const b = '$&$1$$';");
  });

  it("creates a missing file from one edit with empty oldText, and refuses anything else for it", () => {
    expect(applyEdits("new.ts", undefined, [{ oldText: "", newText: "x" }])).toEqual({
      ok: true,
      text: "x",
      createdFile: true,
    });
    expect(applyEdits("new.ts", undefined, [{ oldText: "a", newText: "x" }])).toEqual({
      ok: false,
      message: "new.ts does not exist",
    });
    const existing = applyEdits("app.ts", source, [{ oldText: "", newText: "x" }]);
    expect(existing.ok).toBe(false);
    expect(!existing.ok && existing.message).toMatch(/oldText is empty, which creates a file, and app\.ts exists/);
  });

  it("says how many times oldText occurs, and where", () => {
    const result = applyEdits("app.ts", source, [{ oldText: "const", newText: "let" }]);
    expect(!result.ok && result.message).toBe(
      "oldText occurs 2 times in app.ts (at lines 1, 5): include the lines around it so it occurs once",
    );
  });

  it("names the edit that failed among several", () => {
    const result = applyEdits("app.ts", source, [
      { oldText: "const a = 1;", newText: "const a = 2;" },
      { oldText: "const a = 1;", newText: "const a = 3;" },
    ]);
    expect(!result.ok && result.message).toMatch(
      /^edit 2 of 2: oldText is not in app\.ts\. The nearest match is line 1/,
    );
  });
});

describe("nearestText", () => {
  it("finds the most similar line to the first line of what was wanted, quoted visibly", () => {
    expect(nearestText(source, '  return "hello " + name;\n}')).toBe(
      'The nearest match is line 3: "  return \\"hi \\" + name;"',
    );
    expect(nearestText("a\n\u001b[31mfunction greet(x)\n", "function greet(name)")).toBe(
      'The nearest match is line 2: "\\u001b[31mfunction greet(x)"',
    );
  });

  it("says so when nothing is alike or only whitespace was given", () => {
    expect(nearestText("xyz\n", "qq")).toMatch(/No line of it looks like it/);
    expect(nearestText(source, "  \n ")).toMatch(/only whitespace/);
  });
});
