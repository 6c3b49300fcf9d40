import { describe, expect, it } from "vitest";
import {
  MAX_DIAGNOSTICS,
  MAX_MESSAGE_CHARS,
  mapDiagnostics,
  packageOf,
  type RawDiagnostic,
} from "../../../../server/type-check/checker/diagnostic-mapping";

const raw = (over: Partial<RawDiagnostic> = {}): RawDiagnostic => ({
  file: "app.ts",
  line: 3,
  column: 7,
  code: 2322,
  text: "Type 'string' is not assignable to type 'number'.",
  category: "error",
  ...over,
});

describe("mapDiagnostics", () => {
  it("keeps file, line and column, and names TypeScript's code in the message", () => {
    expect(mapDiagnostics([raw()])).toEqual([
      { file: "app.ts", line: 3, column: 7, message: "Type 'string' is not assignable to type 'number'. (TS2322)" },
    ]);
  });

  it("orders by file, then line, then column, and drops repeats", () => {
    const found = mapDiagnostics([
      raw({ file: "b.ts", line: 1 }),
      raw({ line: 9, column: 2 }),
      raw({ line: 9, column: 1 }),
      raw({ line: 9, column: 1 }),
    ]);
    expect(found.map((d) => `${d.file}:${d.line}:${d.column}`)).toEqual(["app.ts:9:1", "app.ts:9:2", "b.ts:1:7"]);
  });

  it("leaves out suggestions, and 'cannot find module' for packages and runtime modules, not for the project's files", () => {
    const found = mapDiagnostics([
      raw({ category: "suggestion", code: 80001 }),
      raw({ code: 2307, text: "Cannot find module 'hono'", specifier: "hono" }),
      raw({ code: 2307, text: "Cannot find module '@scope/x/sub'", specifier: "@scope/x/sub" }),
      raw({ code: 7016, text: "Could not find a declaration file for module 'left-pad'", specifier: "left-pad" }),
      raw({ code: 2307, text: "Cannot find module 'node:buffer'", specifier: "node:buffer" }),
      raw({ code: 2307, text: "Cannot find module './missing'", specifier: "./missing", line: 1 }),
    ]);
    expect(found).toEqual([{ file: "app.ts", line: 1, column: 7, message: "Cannot find module './missing' (TS2307)" }]);
  });

  it("cuts a long message and counts what is past the limit in a last line", () => {
    const long = raw({ text: "x".repeat(MAX_MESSAGE_CHARS * 3) });
    expect(mapDiagnostics([long])[0]?.message.length).toBeLessThan(MAX_MESSAGE_CHARS + 20);
    const many = Array.from({ length: MAX_DIAGNOSTICS + 10 }, (_, i) => raw({ line: i + 1 }));
    const found = mapDiagnostics(many);
    expect(found).toHaveLength(MAX_DIAGNOSTICS);
    expect(found.at(-1)?.message).toBe("and 11 more type errors");
  });
});

describe("packageOf", () => {
  it("names the package of a bare specifier and nothing for a path", () => {
    expect(packageOf("hono/cors")).toBe("hono");
    expect(packageOf("@hono/zod-validator")).toBe("@hono/zod-validator");
    expect(packageOf("@scope/x/deep/path")).toBe("@scope/x");
    expect(packageOf("./app")).toBeNull();
    expect(packageOf("/abs")).toBeNull();
  });
});
