/** How an app's errors read: stacks with the project's own files only, diagnostics at its lines. */
import { describe, expect, it } from "vitest";
import { diagnosticsFromError, projectStack } from "../../../../server/supervisor/app-host/errors";

const files = ["app.ts", "lib/util.ts", "legacy.js"];

describe("projectStack", () => {
  it("keeps the message and the project's frames, named as its files, and drops the IDE's", () => {
    const stack = [
      'Error: near "SELEC": syntax error: SQLITE_ERROR',
      "    at new App (app.js:5:26)",
      "    at Object.run (__facet_ide_app_class.js:201:7)",
      "    at helper (lib/util.js:2:9)",
      "    at legacy (legacy.js:1:1)",
      "    at AppFacets.get (file:///work/facet-ide/dist/facet_ide/index.js:61666:16)",
      "    at async Promise.all (index 0)",
    ].join("\n");
    expect(projectStack(stack, files)).toBe(
      [
        'Error: near "SELEC": syntax error: SQLITE_ERROR',
        "    at new App (app.ts:5:26)",
        "    at helper (lib/util.ts:2:9)",
        "    at legacy (legacy.js:1:1)",
      ].join("\n"),
    );
  });

  it("leaves the message alone when only the IDE's frames were there, and a stack without frames as it is", () => {
    const supervisor = "Error: constructor exploded\n    at serve (file:///srv/dist/facet_ide/index.js:1:2)";
    expect(projectStack(supervisor, files)).toBe("Error: constructor exploded");
    expect(projectStack("Error: two\nlines", files)).toBe("Error: two\nlines");
    expect(projectStack(undefined, files)).toBeUndefined();
  });

  it("never takes a server path for a project file of the same name", () => {
    const stack = "Error: x\n    at f (file:///srv/dist/index.js:3:4)\n    at g (/srv/app.ts:1:1)";
    expect(projectStack(stack, ["index.js", "app.ts"])).toBe("Error: x");
  });
});

describe("diagnosticsFromError", () => {
  it("names a module as its source file in the message too", () => {
    const error = new Error("Failed to start Worker: Uncaught SyntaxError: Unexpected token at app.js:3:7");
    expect(diagnosticsFromError(error, "app.ts", files)).toEqual([
      { file: "app.ts", line: 3, column: 7, message: "SyntaxError: Unexpected token at app.ts:3:7" },
    ]);
    expect(projectStack("Error: thrown at lib/util.js:1:2", files)).toBe("Error: thrown at lib/util.ts:1:2");
  });

  it("points at the first frame in a project file, named as the source file", () => {
    const error = new Error("Failed to start Worker: Uncaught ReferenceError: x is not defined\n  at lib/util.js:3:7");
    expect(diagnosticsFromError(error, "app.ts", files)).toEqual([
      { file: "lib/util.ts", line: 3, column: 7, message: "ReferenceError: x is not defined" },
    ]);
  });
});
