/**
 * A package's tarball made into files (server/packages/tarball.ts): real tarballs from the fixture
 * registry unpack with their package.json, a path leaving the package is refused, and integrity is
 * checked both ways.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { packTar } from "modern-tar";
import { describe, expect, it } from "vitest";
import { PackageJson } from "../../../../server/packages/modules";
import {
  integrityMatches,
  PackageError,
  packagePath,
  sha1Integrity,
  unpackPackage,
} from "../../../../server/packages/tarball";

const fixture = (file: string) =>
  Uint8Array.from(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../../fixtures/registry", file)));

async function tarball(files: Record<string, string>): Promise<Uint8Array<ArrayBuffer>> {
  const entries = Object.entries(files).map(([name, text]) => {
    const body = new TextEncoder().encode(text);
    return { header: { name, size: body.byteLength, type: "file" as const }, body };
  });
  return Uint8Array.from(gzipSync(await packTar(entries)));
}

describe("package tarballs", () => {
  it("unpacks a real package with its package.json, which reads as a manifest", async () => {
    const { files, bytes } = await unpackPackage(fixture("hono-4.0.0.tgz"), "hono@4.0.0");
    expect(files.has("package.json")).toBe(true);
    expect(files.has("dist/index.js")).toBe(true);
    expect(bytes).toBeGreaterThan(100_000);
    const manifest = PackageJson.parse(JSON.parse(new TextDecoder().decode(files.get("package.json"))));
    expect(manifest.name).toBe("hono");
    expect(manifest.exports).toBeTypeOf("object");
  });

  it("refuses an entry that leaves the package, naming it", async () => {
    const evil = await tarball({ "package/package.json": "{}", "package/../../escape.js": "x" });
    await expect(unpackPackage(evil, "evil@1.0.0")).rejects.toThrow(
      /evil@1\.0\.0's tarball has an entry outside the package/,
    );
    expect(() => packagePath("/etc/passwd", "x")).toThrow(PackageError);
    expect(() => packagePath("package/a/../../b", "x")).toThrow(PackageError);
    expect(() => packagePath("C:/windows", "x")).toThrow(PackageError);
    expect(packagePath("package/lib/a.js", "x")).toBe("lib/a.js");
    expect(packagePath("anything/./lib//a.js", "x")).toBe("lib/a.js");
  });

  it("checks integrity: sha512 as the registry gives it, sha1 from an old shasum, and refuses another tarball's", async () => {
    const bytes = fixture("nanoid-5.0.0.tgz");
    const sha512 = `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
    expect(await integrityMatches(bytes, sha512)).toBe(true);
    expect(await integrityMatches(bytes, sha1Integrity(createHash("sha1").update(bytes).digest("hex")))).toBe(true);
    expect(await integrityMatches(fixture("zod-3.22.0.tgz"), sha512)).toBe(false);
    expect(await integrityMatches(bytes, "md5-abc")).toBe(false);
  });
});
