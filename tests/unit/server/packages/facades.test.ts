import { describe, expect, it } from "vitest";
import { cjsFacade, reexportModule } from "../../../../server/packages/facades";

describe("package facades", () => {
  it("re-exports an entry's target, with its default only when it has one", () => {
    const entry = "node_modules/.entry/hono/cors.js";
    const target = "node_modules/hono@4.0.0/dist/cors.js";
    expect(reexportModule(entry, target, false)).toBe('export * from "../../hono@4.0.0/dist/cors.js";');
    expect(reexportModule(entry, target, true)).toBe(
      'export * from "../../hono@4.0.0/dist/cors.js";\nexport { default } from "../../hono@4.0.0/dist/cors.js";',
    );
  });

  it("names a CommonJS module's exports that are identifiers, and gives module.exports as default", () => {
    const text = cjsFacade("node_modules/.facade/x@1.0.0/index.js", "node_modules/x@1.0.0/index.js", [
      "greet",
      "$answer",
      "default",
      "class",
      "not-an-identifier",
      "a;b",
    ]);
    expect(text).toBe(
      'import m from "../../x@1.0.0/index.js";\nexport default m;\nexport const { greet, $answer } = m;',
    );
  });

  it("writes only the default when no name can be exported", () => {
    const text = cjsFacade("node_modules/.facade/x@1.0.0/a.js", "node_modules/x@1.0.0/a.js", ["default", "if"]);
    expect(text).toBe('import m from "../../x@1.0.0/a.js";\nexport default m;');
  });

  it("keeps a hostile module name inside a JSON string", () => {
    const text = reexportModule("node_modules/.entry/x.js", 'node_modules/x@1.0.0/a";alert(1);".js', false);
    expect(text).toBe('export * from "../x@1.0.0/a\\";alert(1);\\".js";');
  });
});
