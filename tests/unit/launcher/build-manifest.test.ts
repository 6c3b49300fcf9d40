// Unit tests of how `npm start` decides to build (scripts/build-manifest.mjs).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hashSources, whyRebuild } from "../../../scripts/build-manifest.mjs";

function checkout(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "facet-ide-sources-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("hashSources", () => {
  it("hashes what the build reads and nothing else", () => {
    const dir = checkout({
      "client/main.tsx": "a",
      "server/supervisor/app-host/compile/compile.ts": "b",
      "shared/api.ts": "c",
      "index.html": "d",
      "wrangler.jsonc": "e",
      "tsconfig.client.json": "f",
      "package-lock.json": "g",
      "README.md": "not read by the build",
      "tests/worker/x.test.ts": "not read by the build",
      "node_modules/x/index.js": "covered by the lock file",
      "dist/client/index.html": "the output",
    });
    expect(Object.keys(hashSources(dir)).sort()).toEqual([
      "client/main.tsx",
      "index.html",
      "package-lock.json",
      "server/supervisor/app-host/compile/compile.ts",
      "shared/api.ts",
      "tsconfig.client.json",
      "wrangler.jsonc",
    ]);
  });

  it("covers the app's runtime and the Vite plugin that builds it into the loader's module text", () => {
    const sources = Object.keys(hashSources());
    for (const path of [
      "server/app-runtime/guard.ts",
      "server/app-runtime/protocol.ts",
      "server/app-runtime/build/app-modules.mjs",
      "tsconfig.app-runtime.json",
      "vite.config.ts",
    ]) {
      expect(sources).toContain(path);
    }
  });

  it("changes a file's hash with its content only", () => {
    const first = hashSources(checkout({ "server/a.ts": "one" }));
    const same = hashSources(checkout({ "server/a.ts": "one" }));
    const edited = hashSources(checkout({ "server/a.ts": "two" }));
    expect(same).toEqual(first);
    expect(edited["server/a.ts"]).not.toBe(first["server/a.ts"]);
  });
});

describe("whyRebuild", () => {
  const sources = { "server/a.ts": "1", "client/b.tsx": "2" };
  const built = { root: "/repo", sources };

  it("builds when there is no complete build", () => {
    expect(whyRebuild(null, sources, "/repo")).toBe("there is no complete build in dist/ yet");
  });

  it("does not build when every source is as it was", () => {
    expect(whyRebuild(built, { ...sources }, "/repo")).toBeNull();
  });

  it("names what changed, was added or was deleted", () => {
    expect(whyRebuild(built, { "server/a.ts": "9", "client/b.tsx": "2" }, "/repo")).toBe(
      "a source changed since the last build: server/a.ts",
    );
    expect(whyRebuild(built, { ...sources, "shared/c.ts": "3" }, "/repo")).toBe(
      "a source changed since the last build: shared/c.ts (new)",
    );
    expect(whyRebuild(built, { "server/a.ts": "1" }, "/repo")).toBe(
      "a source changed since the last build: client/b.tsx (deleted)",
    );
  });

  it("shortens a long list", () => {
    const many = Object.fromEntries(["a", "b", "c", "d", "e"].map((n) => [`server/${n}.ts`, n]));
    expect(whyRebuild({ root: "/repo", sources: {} }, many, "/repo")).toBe(
      "5 sources changed since the last build: server/a.ts (new), server/b.ts (new), server/c.ts (new) and 2 more",
    );
  });

  it("builds again when the checkout moved (the build holds absolute paths)", () => {
    expect(whyRebuild(built, sources, "/elsewhere")).toBe("the build in dist/ was made in /repo");
  });
});
