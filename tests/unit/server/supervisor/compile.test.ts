import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  compileProject,
  lineColumnAt,
  loadable,
  resolveRelative,
} from "../../../../server/supervisor/app-host/compile/compile";
import { CompiledFiles, compiledFiles } from "../../../../server/supervisor/app-host/compile/compile-file";

describe("resolving relative imports as TypeScript does", () => {
  const files = {
    "app.ts": "",
    "util.ts": "",
    "data.json": "{}",
    "lib/index.ts": "",
    "lib/a.ts": "",
    "plain.mjs": "",
  };
  it.each([
    ["app.ts", "./util", "util.ts"],
    ["app.ts", "./util.js", "util.ts"],
    ["app.ts", "./util.ts", "util.ts"],
    ["app.ts", "./lib", "lib/index.ts"],
    ["app.ts", "./lib/index.js", "lib/index.ts"],
    ["app.ts", "./data.json", "data.json"],
    ["app.ts", "./plain.mjs", "plain.mjs"],
    ["lib/a.ts", "../util", "util.ts"],
    ["lib/a.ts", "./index", "lib/index.ts"],
    ["lib/a.ts", "../../util", null],
    ["app.ts", "./missing", null],
  ])("from %s, %s is %s", (importer, specifier, expected) => {
    expect(resolveRelative(importer, specifier, files)).toBe(expected);
  });
});

describe("compiling a project", () => {
  const app = (body: string) =>
    `import { DurableObject } from "cloudflare:workers";\n${body}\nexport class App extends DurableObject {}\n`;

  it("rewrites imports to the module names the loader sees, and adds the generated modules", async () => {
    const compiled = await compileProject(
      {
        "app.ts": app('import { twice } from "./lib/math";\nconst n: number = twice(2);'),
        "lib/math.ts": "export const twice = (n: number) => n * 2;",
      },
      "app.ts",
    );
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
    expect(Object.keys(compiled.modules).sort()).toEqual(["app.js", "lib/math.js"]);
    // Each load adds the IDE's own modules, with that load's channel secret in the wrapper.
    const code = loadable(compiled, { channel: "s3cret", markers: null });
    expect(Object.keys(code.modules).sort()).toEqual(
      [
        // The app's runtime (server/app-runtime/), each file a module; the wrapper is the main module.
        "__facet_ide_app-class.js",
        "__facet_ide_beacon.js",
        "__facet_ide_dump.js",
        "__facet_ide_guard.js",
        "__facet_ide_hibernation.js",
        "__facet_ide_kv.js",
        "__facet_ide_listeners.js",
        "__facet_ide_log-lines.js",
        "__facet_ide_logs.js",
        "__facet_ide_main.js",
        "__facet_ide_meter-counts.js",
        "__facet_ide_meter-storage.js",
        "__facet_ide_meter.js",
        "__facet_ide_native-callbacks.js",
        "__facet_ide_originals.js",
        "__facet_ide_protocol.js",
        "__facet_ide_responses.js",
        "__facet_ide_shapes.js",
        "__facet_ide_socket-bounds.js",
        "__facet_ide_sql-console.js",
        "__facet_ide_sql-statements.js",
        "__facet_ide_storage-alarms.js",
        "__facet_ide_terminal-text.js",
        "__facet_ide_whole-bodies.js",
        "app.js",
        "lib/math.js",
      ].sort(),
    );
    expect(code.mainModule).toBe("__facet_ide_main.js");
    expect((code.modules["__facet_ide_main.js"] as { js: string }).js).toContain('const CHANNEL = "s3cret";');
    const appJs = compiled.modules["app.js"] as { js: string };
    expect(appJs.js).toContain('from "./lib/math.js"');
    expect(appJs.js).not.toContain(": number");
    expect(compiled.compatibilityFlags).toContain("no_nodejs_compat");
  });

  it("turns nodejs_compat on only for apps that import node:*", async () => {
    const compiled = await compileProject(
      { "app.ts": app('import { Buffer } from "node:buffer";\nBuffer.from("x");') },
      "app.ts",
    );
    expect(compiled.ok && compiled.compatibilityFlags).toEqual(["nodejs_compat"]);
  });

  it("points every problem at its file, line and column", async () => {
    const compiled = await compileProject(
      {
        "app.ts": app('import "./nowhere";\nimport lodash from "lodash!";\nlodash();'),
        "broken.ts": "export const x = ;",
        "bad.json": "{",
        "same.ts": "",
        "same.js": "",
      },
      "app.ts",
    );
    expect(compiled.ok).toBe(false);
    const diagnostics = compiled.ok ? [] : compiled.diagnostics;
    const where = diagnostics.map((d) => `${d.file}:${d.line}`).sort();
    expect(where).toEqual(["app.ts:2", "app.ts:3", "bad.json:1", "broken.ts:1", "same.js:1"].sort());
    expect(diagnostics.find((d) => d.line === 2)?.message).toBe("Cannot find module './nowhere'");
    expect(diagnostics.find((d) => d.line === 3)?.message).toMatch(
      /Cannot import 'lodash!': neither a project file, a package/,
    );
    expect(diagnostics.find((d) => d.file === "same.js")?.message).toBe(
      "same.js and same.ts would both load as same.js",
    );
  });

  it("keeps the user's line numbers through type stripping and loop guards", async () => {
    const source = app(
      "type T = { a: number };\ninterface U { b: string }\nfor (;;) { break; }\nthrow new Error('line 5');",
    );
    const compiled = await compileProject({ "app.ts": source }, "app.ts");
    if (!compiled.ok) throw new Error("did not compile");
    const js = (compiled.modules["app.js"] as { js: string }).js.split("\n");
    // The source's lines, then the directive that names app.ts in stack traces.
    expect(js).toHaveLength(source.split("\n").length + 1);
    expect(js.at(-1)).toBe("//# sourceURL=app.ts");
    expect(js[4]).toContain("line 5");
  });

  it("puts a syntax error's column where TypeScript puts it, counted from 1", async () => {
    const cases = [
      "export class App {\n  fetch() { return new Response(; }\n}\n",
      "const a = 1;\nconst n: number = ;\n",
      "let x = 1 +* 2;",
      "const ok = 1;\n\t\tlet tabbed = 2 +* 3;",
    ];
    for (const source of cases) {
      const compiled = await compileProject({ "app.ts": source }, "app.ts");
      const diagnostic = compiled.ok ? undefined : compiled.diagnostics[0];
      const parsed = ts.createSourceFile("app.ts", source, ts.ScriptTarget.Latest);
      const first = (parsed as unknown as { parseDiagnostics: { start: number }[] }).parseDiagnostics[0];
      const expected = parsed.getLineAndCharacterOfPosition(first?.start ?? 0);
      expect(diagnostic, source).toMatchObject({ line: expected.line + 1, column: expected.character + 1 });
    }
  });

  it("lineColumnAt counts from 1", () => {
    expect(lineColumnAt("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });
});

describe("compiling again", () => {
  const js = (result: Awaited<ReturnType<typeof compileProject>>, name: string) => {
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    const module = result.modules[name];
    return typeof module === "object" && "js" in module ? module.js : module;
  };
  const lib = (n: number) =>
    `export const n = ${n};\nexport function sum(xs: number[]) { let s = 0; for (const x of xs) s += x; return s; }\n`;
  const app = (tag: string) =>
    `import { DurableObject } from "cloudflare:workers";\nimport { n } from "./lib";\nexport class App extends DurableObject { tag = ${JSON.stringify(tag)}; fetch() { return new Response(String(n)); } }\n`;

  it("reuses the files that did not change, and gives what a first compile gives", async () => {
    const before = compiledFiles.hits;
    await compileProject({ "app.ts": app("one"), "lib.ts": lib(1) }, "app.ts");
    const second = await compileProject({ "app.ts": app("two"), "lib.ts": lib(1) }, "app.ts");
    expect(compiledFiles.hits - before).toBe(1); // lib.ts
    const fresh = await compileProject({ "app.ts": app("two"), "lib.ts": lib(1), "other.ts": "" }, "app.ts");
    expect(js(second, "lib.js")).toBe(js(fresh, "lib.js"));
    expect(js(second, "app.js")).toContain('"two"');
  });

  it("compiles a file again when another file appears that its imports could now resolve to", async () => {
    const files = { "app.ts": 'import data from "./data";\nexport default data;\n', "data.json": "{}" };
    const first = await compileProject(files, "app.ts");
    const withTs = await compileProject({ ...files, "data.ts": "export default 1;" }, "app.ts");
    expect(js(first, "app.js")).toContain("./data.json");
    expect(js(withTs, "app.js")).toContain("./data.js");
  });

  it("keeps no more than its byte budget, dropping the least recently used first", () => {
    const cache = new CompiledFiles();
    const big = "x".repeat(CompiledFiles.MAX_BYTES / 10); // an entry holds it twice (key and code): 4 fit
    let compiled = 0;
    const get = (file: string) =>
      cache.get(file, big, "", () => {
        compiled++;
        return { code: big, diagnostics: [], usesNode: false, ruled: new Map(), bare: [], imports: [] };
      });
    for (const file of ["f0", "f1", "f2", "f3", "f4"]) get(file);
    expect(compiled).toBe(5);
    get("f4");
    expect(compiled).toBe(5);
    get("f0");
    expect(compiled).toBe(6);
  });
});
