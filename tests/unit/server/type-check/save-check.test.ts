import { describe, expect, it } from "vitest";
import { type SaveTypeCheckParts, SaveTypeChecks } from "../../../../server/type-check/save-check";
import type { NewLogEntry } from "../../../../shared/logs";
import { TYPE_CHECK_MAX_SOURCE_BYTES } from "../../../../shared/type-check";

/** Parts whose checker answers `diagnostics` at once and counts its calls. */
function parts(diagnostics: { file: string; line: number; column: number; message: string }[] = []) {
  const recorded: NewLogEntry[] = [];
  let checks = 0;
  const given: SaveTypeCheckParts = {
    checker: {
      check: async () => {
        checks++;
        return diagnostics;
      },
    },
    projectId: () => "p",
    envNames: () => [],
    typeFiles: async () => ({}),
    record: (entries) => recorded.push(...entries),
    now: () => 0,
    sleep: () => new Promise(() => {}),
  };
  return { given, recorded, checks: () => checks };
}

describe("a save's type check", () => {
  it("answers the diagnostics when on time, and writes a terminal line only when there are some", async () => {
    const clean = parts();
    expect(await new SaveTypeChecks(clean.given).start({ "app.ts": "export {}" }, []).settle(1)).toEqual({
      state: "done",
      diagnostics: [],
    });
    expect(clean.recorded).toEqual([]);

    const error = { file: "app.ts", line: 1, column: 7, message: "Type 'string' is not assignable (TS2322)" };
    const failing = parts([error]);
    const answer = await new SaveTypeChecks(failing.given).start({ "app.ts": "const x: number = ''" }, []).settle(2);
    expect(answer).toEqual({ state: "done", diagnostics: [error] });
    expect(failing.recorded).toEqual([
      expect.objectContaining({ kind: "type-check", version: 2, diagnostics: [error] }),
    ]);
  });

  it("skips sources past the bound without asking the checker, and says so in the terminal", async () => {
    const big = parts();
    const files = { "app.ts": "x=>x,".repeat(TYPE_CHECK_MAX_SOURCE_BYTES / 5 + 1), "public/data.txt": "not code" };
    expect(await new SaveTypeChecks(big.given).start(files, []).settle(3)).toEqual({
      state: "skipped",
      diagnostics: [],
    });
    expect(big.checks()).toBe(0);
    expect(big.recorded).toEqual([
      expect.objectContaining({ kind: "type-check", version: 3, message: expect.stringContaining("not type-checked") }),
    ]);
    // Data and assets do not count: the same text as a .txt file is checked-size zero.
    const assets = parts();
    await new SaveTypeChecks(assets.given).start({ "app.ts": "export {}", "big.txt": files["app.ts"] }, []).settle(4);
    expect(assets.checks()).toBe(1);
  });
});
