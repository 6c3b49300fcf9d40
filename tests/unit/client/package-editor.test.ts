import { Validator } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import { PACKAGE_JSON_SCHEMA } from "../../../client/editor/package-json-schema";
import { newestTypeCheck } from "../../../client/editor/useTypeCheckMarkers";
import { installLines } from "../../../client/terminal/install-lines";
import type { LogEntry } from "../../../shared/logs";
import { envDeclaration, typeErrorCode } from "../../../shared/type-check";

describe("the package.json schema", () => {
  const validator = new Validator(PACKAGE_JSON_SCHEMA as never, "7", false);
  const valid = (json: unknown) => validator.validate(json).valid;

  it("accepts registry dependencies by name and range", () => {
    expect(valid({ name: "app", dependencies: { hono: "^4.6.3", "@hono/zod-validator": "latest", zod: "*" } })).toBe(
      true,
    );
    expect(valid({ devDependencies: { typescript: "~5.6 || >=6" } })).toBe(true);
  });

  it("flags git, file and URL dependencies, names npm would refuse, and a version that is not text", () => {
    expect(valid({ dependencies: { hono: "github:honojs/hono" } })).toBe(false);
    expect(valid({ dependencies: { hono: "file:../hono" } })).toBe(false);
    expect(valid({ dependencies: { hono: "https://example.com/hono.tgz" } })).toBe(false);
    expect(valid({ dependencies: { "../evil": "1.0.0" } })).toBe(false);
    expect(valid({ dependencies: { Hono: "1.0.0" } })).toBe(false);
    expect(valid({ dependencies: { hono: 4 } })).toBe(false);
  });
});

describe("installLines", () => {
  it("says what was fetched, with its size and time, and what came from the cache", () => {
    expect(
      installLines([
        { name: "hono", version: "4.6.3", bytes: 120 * 1024, ms: 340.4, fromCache: false },
        { name: "nanoid", version: "5.0.9", bytes: 9000, ms: 2, fromCache: true },
      ]),
    ).toEqual(["installed hono 4.6.3 (120 KiB) in 340 ms", "nanoid 5.0.9 from cache"]);
  });
});

describe("type errors in the editor", () => {
  const line = (version: number, draft?: number): LogEntry => ({
    seq: version,
    at: 0,
    version,
    kind: "type-check",
    level: "warn",
    message: "",
    diagnostics: [{ file: "app.ts", line: version, column: 1, message: "x (TS2322)" }],
    ...(draft !== undefined ? { draft } : {}),
  });

  it("takes the newest version's type-check line of the live app, never the draft's", () => {
    expect(newestTypeCheck([line(3), line(5), line(4)])?.version).toBe(5);
    expect(newestTypeCheck([line(3), line(9, 1)])?.version).toBe(3);
    expect(newestTypeCheck([{ seq: 1, at: 0, version: 1, kind: "deploy", codeId: "x" }])).toBeNull();
  });

  it("tells TypeScript's diagnostics from the save's other warnings by their code", () => {
    expect(typeErrorCode({ message: "Type 'string' is not assignable to type 'number'. (TS2322)" })).toBe("2322");
    expect(typeErrorCode({ message: "env.ROOMS is not a binding of this project" })).toBeNull();
  });

  it("types env after the variables and a Worker project's bindings, as wrangler types would", () => {
    const text = envDeclaration(["GREETING"], {
      main: "src/index.ts",
      vars: { LEVEL: 3 },
      bindings: [{ name: "ROOMS", className: "Room" }],
      assets: { binding: "ASSETS" },
    });
    expect(text).toContain("GREETING: string;");
    expect(text).toContain("LEVEL: number;");
    expect(text).toContain('ROOMS: DurableObjectNamespace<import("../../src/index").Room>;');
    expect(text).toContain("ASSETS: Fetcher;");
  });
});
