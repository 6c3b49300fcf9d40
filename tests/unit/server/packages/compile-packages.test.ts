/**
 * The compile step's side of packages (server/supervisor/app-host/compile/packages.ts): bare imports
 * become entry modules, the bundler's modules join the app's, and its refusals and the bundle size
 * limit become diagnostics at the import or package.json.
 */
import { describe, expect, it } from "vitest";
import type { BundleAnswer } from "../../../../server/packages/PackageCache";
import { compileProject } from "../../../../server/supervisor/app-host/compile/compile";
import type { Bundler } from "../../../../server/supervisor/app-host/compile/packages";
import { PACKAGE_LIMITS } from "../../../../shared/packages";

const app = (imports: string) => ({
  "package.json": JSON.stringify({ dependencies: { tiny: "^1.0.0" } }),
  "app.ts": `import { DurableObject } from "cloudflare:workers";\n${imports}\nexport class App extends DurableObject {}\n`,
});

const answering =
  (answer: BundleAnswer, seen: Parameters<Bundler>[0][] = []): Bundler =>
  async (request) => {
    seen.push(request);
    return answer;
  };

const ok = (modules: Record<string, { js: string }>): BundleAnswer => ({
  ok: true,
  lock: [{ name: "tiny", version: "1.0.0", integrity: "sha512-x", resolved: "https://registry.test/tiny.tgz" }],
  modules,
  entries: {},
  usesNode: false,
  warnings: [],
  packages: [{ name: "tiny", version: "1.0.0" }],
  installed: [],
});

describe("packages in the compile step", () => {
  it("points a bare import at its entry module and adds the bundler's modules", async () => {
    const seen: Parameters<Bundler>[0][] = [];
    const entry = { "node_modules/.entry/tiny.js": { js: "export const x = 1;" } };
    const compiled = await compileProject(
      app('import { x } from "tiny";\nvoid x;'),
      "app.ts",
      answering(ok(entry), seen),
    );
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
    expect(seen[0]).toMatchObject({
      imports: ["tiny"],
      nodeCompat: false,
      manifest: { dependencies: { tiny: "^1.0.0" } },
    });
    expect((compiled.modules["app.js"] as { js: string }).js).toContain('from "./node_modules/.entry/tiny.js"');
    expect(compiled.modules["node_modules/.entry/tiny.js"]).toEqual(entry["node_modules/.entry/tiny.js"]);
    expect(compiled.packages.lock.map((e) => e.name)).toEqual(["tiny"]);
  });

  it("puts a refusal at the import that names the package, as a package error", async () => {
    const refusal: BundleAnswer = {
      ok: false,
      message: "Package 'tiny' was not found in the registry https://registry.test/",
    };
    const compiled = await compileProject(app('import { x } from "tiny";\nvoid x;'), "app.ts", answering(refusal));
    expect(compiled).toMatchObject({
      ok: false,
      packageError: true,
      diagnostics: [{ file: "app.ts", line: 2, column: 20, message: refusal.message }],
    });
  });

  it("refuses an app whose modules pass the bundle size limit, saying how much and which limit", async () => {
    const big = { "node_modules/tiny@1.0.0/big.js": { js: "x".repeat(PACKAGE_LIMITS.maxBundleBytes + 1) } };
    const compiled = await compileProject(app('import "tiny";'), "app.ts", answering(ok(big)));
    expect(compiled.ok).toBe(false);
    const message = compiled.ok ? "" : (compiled.diagnostics[0]?.message ?? "");
    expect(message).toMatch(
      /The app's modules come to 10\.0 MiB .* over the 10\.0 MiB limit \(Cloudflare's Worker size limit\)/,
    );
  });

  it("refuses a bare import where nothing installs packages, and a package.json that is not JSON", async () => {
    const without = await compileProject(app('import "tiny";'), "app.ts");
    expect(without.ok ? "" : without.diagnostics[0]?.message).toMatch(
      /Cannot import 'tiny': packages are not installed here/,
    );
    const broken = await compileProject({ ...app(""), "package.json": "{" }, "app.ts", answering(ok({})));
    expect(broken.ok ? null : broken.diagnostics[0]).toMatchObject({ file: "package.json", line: 1 });
  });
});
