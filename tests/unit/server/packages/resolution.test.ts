/**
 * Deciding versions and building the package module graph (server/packages/install.ts, modules.ts,
 * cjs-exports.ts) on packages made in memory: ranges, dist-tags, a kept lock, peer conflicts,
 * `exports` conditions, import rewriting, CommonJS facades, built-ins and what is refused.
 */
import { describe, expect, it } from "vitest";
import { cjsExports } from "../../../../server/packages/cjs-exports";
import { type PackumentSource, pickVersion, resolveLock } from "../../../../server/packages/install";
import { buildGraph, type PackageContents, PackageJson } from "../../../../server/packages/modules";
import type { Packument, VersionInfo } from "../../../../server/packages/registry";
import type { LockEntry } from "../../../../shared/packages";

const info = (deps: Record<string, string> = {}, peers?: Record<string, string>): VersionInfo => ({
  dependencies: deps,
  peerDependencies: peers,
  optionalDependencies: undefined,
  tarball: "https://registry.test/x.tgz",
  integrity: "sha512-x",
});

function source(packuments: Record<string, Packument>) {
  const asked: string[] = [];
  const src: PackumentSource = {
    async packument(name) {
      asked.push(name);
      const found = packuments[name];
      if (!found) throw new Error(`no ${name}`);
      return found;
    },
    async version(name, version) {
      const found = packuments[name]?.versions[version];
      if (!found) throw new Error(`no ${name}@${version}`);
      return found;
    },
  };
  return { src, asked };
}

const registry: Record<string, Packument> = {
  a: {
    name: "a",
    distTags: { latest: "1.2.0" },
    versions: { "1.0.0": info(), "1.2.0": info({ b: "^2.0.0" }), "2.0.0-beta.1": info() },
  },
  b: { name: "b", distTags: { latest: "2.1.0" }, versions: { "1.0.0": info(), "2.0.0": info(), "2.1.0": info() } },
  c: { name: "c", distTags: { latest: "1.0.0" }, versions: { "1.0.0": info({ b: "^1.0.0" }, { a: "^2.0.0" }) } },
};

describe("choosing versions", () => {
  it("picks the highest match, prefers `latest` when it matches, and reads dist-tags", () => {
    const a = registry.a as Packument;
    expect(pickVersion(a, "^1.0.0")).toBe("1.2.0");
    expect(pickVersion(a, "~1.0.0")).toBe("1.0.0");
    expect(pickVersion(a, "latest")).toBe("1.2.0");
    expect(pickVersion(a, "*")).toBe("1.2.0");
    expect(pickVersion(a, "^3.0.0")).toBeNull();
  });

  it("resolves dependencies of dependencies, several versions of one name when ranges disagree", async () => {
    const { src } = source(registry);
    const { lock, warnings } = await resolveLock({ dependencies: { a: "^1.0.0", c: "1.0.0" } }, [], null, src);
    expect(lock.map((e) => `${e.name}@${e.version}`)).toEqual(["a@1.2.0", "b@1.0.0", "b@2.1.0", "c@1.0.0"]);
    expect(warnings.join("\n")).toMatch(/c@1\.0\.0 wants peer a@\^2\.0\.0 but a@1\.2\.0 is installed: kept/);
  });

  it("keeps a previous lock wherever it fits, asking the registry for nothing", async () => {
    const { src, asked } = source(registry);
    const previous: LockEntry[] = [
      { name: "a", version: "1.0.0", integrity: "sha512-old", resolved: "https://registry.test/a-1.0.0.tgz" },
    ];
    const { lock } = await resolveLock({ dependencies: { a: "^1.0.0" } }, ["a"], previous, src);
    expect(lock).toEqual(previous);
    expect(asked).toEqual([]);
  });

  it("warns about an unlisted import and a devDependency, and refuses git or file ranges", async () => {
    const { src } = source(registry);
    const { lock, warnings } = await resolveLock({ devDependencies: { b: "^2.0.0" } }, ["a", "b"], null, src);
    expect(lock.map((e) => `${e.name}@${e.version}`)).toEqual(["a@1.2.0", "b@2.1.0"]);
    expect(warnings.join("\n")).toMatch(/'b' is listed only under devDependencies/);
    expect(warnings.join("\n")).toMatch(/'a' is imported but not listed in package\.json: used a@1\.2\.0/);
    await expect(resolveLock({ dependencies: { a: "github:x/a" } }, [], null, src)).rejects.toThrow(/registry only/);
    await expect(resolveLock({ dependencies: { a: "file:../a" } }, [], null, src)).rejects.toThrow(/registry only/);
    await expect(resolveLock({ dependencies: { "../../admin": "1.0.0" } }, [], null, src)).rejects.toThrow(
      /"..\/..\/admin" is not an npm package name/,
    );
  });
});

/** A package in memory, its files as text. */
function pkg(name: string, version: string, files: Record<string, string>): PackageContents {
  const encoded = new Map(Object.entries(files).map(([path, text]) => [path, new TextEncoder().encode(text)]));
  const manifest = PackageJson.parse(JSON.parse(files["package.json"] ?? "{}"));
  return {
    entry: { name, version, integrity: "sha512-x", resolved: "https://registry.test/x.tgz" },
    files: encoded,
    manifest,
  };
}

async function graphOf(packages: PackageContents[], imports: string[], nodeCompat = false) {
  return buildGraph({
    lock: packages.map((p) => p.entry),
    rootRanges: {},
    imports,
    nodeCompat,
    contents: async (entry) =>
      packages.find((p) => p.entry.name === entry.name && p.entry.version === entry.version) as PackageContents,
  });
}

describe("the package module graph", () => {
  const esm = pkg("esm", "1.0.0", {
    "package.json": JSON.stringify({
      name: "esm",
      type: "module",
      exports: { ".": { workerd: "./worker.js", node: "./node.js", default: "./index.js" }, "./sub": "./sub/index.js" },
      dependencies: { cjs: "^1.0.0" },
    }),
    "worker.js":
      'import { helper } from "./lib/helper.js";\nimport cjs, { named } from "cjs";\nexport default helper;\nexport const lazy = () => import("./lib/lazy.js");\nexport const computed = (n) => import(n);',
    "node.js": "export default 'node';",
    "index.js": "export default 'default';",
    "lib/helper.js": "export const helper = 1;",
    "lib/lazy.js": "export const lazy = 1;",
    "lib/unused.js": "export const unused = 1;",
    "sub/index.js": "export const sub = 1;",
  });
  const cjs = pkg("cjs", "1.0.0", {
    "package.json": JSON.stringify({ name: "cjs", main: "main.js" }),
    "main.js":
      'const b = require("./b");\nexports.named = b.value;\nmodule.exports.other = 2;\nconst dynamic = (n) => require(n);',
    "b.js": "module.exports = { value: 1 };",
  });

  it("resolves the workerd condition, rewrites imports to module names, and leaves out what is not reached", async () => {
    const graph = await graphOf([esm, cjs], ["esm", "esm/sub"]);
    expect(graph.entries).toEqual({ esm: "node_modules/.entry/esm.js", "esm/sub": "node_modules/.entry/esm/sub.js" });
    expect(Object.keys(graph.modules).sort()).toEqual([
      "__facet_ide_refused-names.js",
      "node_modules/.entry/esm.js",
      "node_modules/.entry/esm/sub.js",
      "node_modules/.facade/cjs@1.0.0/main.js",
      "node_modules/cjs@1.0.0/b.js",
      "node_modules/cjs@1.0.0/main.js",
      "node_modules/esm@1.0.0/lib/helper.js",
      "node_modules/esm@1.0.0/lib/lazy.js",
      "node_modules/esm@1.0.0/sub/index.js",
      "node_modules/esm@1.0.0/worker.js",
    ]);
    const worker = graph.modules["node_modules/esm@1.0.0/worker.js"] as { js: string };
    expect(worker.js).toContain('from "./lib/helper.js"');
    expect(worker.js).toContain('from "../.facade/cjs@1.0.0/main.js"');
    expect(worker.js).toContain('import("./lib/lazy.js")');
    expect(worker.js).toContain(
      'export const computed = (n) => __facetComputedImport("node_modules/esm@1.0.0/worker.js");',
    );
    expect(worker.js).toContain(
      'import { refusedImport as __facetComputedImport } from "../../__facet_ide_refused-names.js";',
    );
    expect(graph.modules["__facet_ide_refused-names.js"]).toEqual({ js: expect.stringContaining("refusedImport") });
    expect(graph.modules["node_modules/.entry/esm.js"]).toEqual({
      js: 'export * from "../esm@1.0.0/worker.js";\nexport { default } from "../esm@1.0.0/worker.js";',
    });
    expect(graph.modules["node_modules/.entry/esm/sub.js"]).toEqual({
      js: 'export * from "../../esm@1.0.0/sub/index.js";',
    });
  });

  it("loads CommonJS as cjs with literal requires rewritten, computed ones refused, and a facade naming its exports", async () => {
    const graph = await graphOf([esm, cjs], ["esm"]);
    const main = graph.modules["node_modules/cjs@1.0.0/main.js"] as { cjs: string };
    expect(main.cjs.split("\n")[0]).toBe('const b = require("./b.js");');
    expect(main.cjs).toContain("const dynamic = (n) => __facetComputedRequire(n);");
    expect(main.cjs).toContain(
      'function __facetComputedRequire(name) { return require("../../__facet_ide_refused-names.js").refusedRequire("node_modules/cjs@1.0.0/main.js")(name); }',
    );
    const facade = graph.modules["node_modules/.facade/cjs@1.0.0/main.js"] as { js: string };
    expect(facade.js).toContain('import m from "../../cjs@1.0.0/main.js";');
    expect(facade.js).toContain("export const { named, other } = m;");
  });

  it("refuses a bare Node built-in without nodejs_compat, naming package, module and flag; rewrites it to node: with", async () => {
    const node = pkg("uses-node", "1.0.0", {
      "package.json": JSON.stringify({ name: "uses-node", type: "module", main: "index.js" }),
      "index.js": 'import { Buffer } from "buffer";\nexport const b = Buffer;',
    });
    await expect(graphOf([node], ["uses-node"])).rejects.toThrow(
      /uses-node@1\.0\.0 \(index\.js\) needs the Node built-in 'buffer': add the nodejs_compat compatibility flag/,
    );
    const graph = await graphOf([node], ["uses-node"], true);
    expect((graph.modules["node_modules/uses-node@1.0.0/index.js"] as { js: string }).js).toContain(
      'from "node:buffer"',
    );
    expect(graph.usesNode).toBe(true);
    const lacking = pkg("lacking", "1.0.0", {
      "package.json": JSON.stringify({ name: "lacking", type: "module", main: "index.js" }),
      "index.js": 'import "node:sqlite";',
    });
    await expect(graphOf([lacking], ["lacking"], true)).rejects.toThrow(
      /needs the Node built-in 'node:sqlite', which workerd does not provide/,
    );
  });

  it("refuses a subpath the package does not export, a path leaving the package, and an uninstalled import", async () => {
    await expect(graphOf([esm, cjs], ["esm/private"])).rejects.toThrow(/'esm' does not export '.\/private'/);
    await expect(graphOf([esm, cjs], ["esm/../../etc"])).rejects.toThrow(/not a package name/);
    await expect(graphOf([esm, cjs], ["absent"])).rejects.toThrow(/imports 'absent', which is not installed/);
  });
});

describe("CommonJS exports", () => {
  it("finds the common shapes and re-exports", () => {
    const found = cjsExports(`"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
Object.defineProperty(exports, "defined", { enumerable: true, get: function () { return x; } });
exports.assigned = 1;
exports["indexed"] = 2;
module.exports = { short, long: 1, "quoted": 2 };
__exportStar(require("./star"), exports);
if (a == exports.compared) {}
`);
    expect(found.exports.sort()).toEqual(["assigned", "defined", "indexed", "long", "quoted", "short"]);
    expect(found.reexports).toEqual(["./star"]);
    expect(cjsExports('module.exports = require("./other");').reexports).toEqual(["./other"]);
  });
});
