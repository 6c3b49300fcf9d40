import { afterEach, describe, expect, it, vi } from "vitest";
import { guardLoops, guardModuleSource, LOOP_LIMIT_MS } from "../../../server/supervisor/loop-guard";

const GUARD_IMPORT = /^import \{ (\w+) \} from "\.\/guard\.js";/;

/** Runs guarded code with a guard that counts its calls. */
function runGuarded(code: string): { calls: string[]; result: unknown } {
  const guarded = guardLoops(code, "app.ts", "./guard.js");
  const name = guarded.match(GUARD_IMPORT)?.[1];
  if (!name) throw new Error(`no guard import in ${guarded}`);
  const calls: string[] = [];
  const body = guarded.replace(GUARD_IMPORT, "");
  const out: { result?: unknown } = {};
  new Function(name, "out", body)((site: string) => calls.push(site), out);
  return { calls, result: out.result };
}

describe("loop guard insertion", () => {
  it("puts a call naming the loop's line at the top of every kind of loop body", () => {
    const code = [
      "let n = 0;",
      "for (let i = 0; i < 3; i++) { n++; }",
      "while (n < 5) n++;",
      "do { n++; } while (n < 7);",
      "for (const k in { a: 1 }) n++;",
      "for (const v of [1, 2]) { n += v; }",
      "out.result = n;",
    ].join("\n");
    const { calls, result } = runGuarded(code);
    expect(result).toBe(11);
    expect(calls).toEqual([
      ...Array(3).fill("app.ts:2"),
      ...Array(2).fill("app.ts:3"),
      ...Array(2).fill("app.ts:4"),
      "app.ts:5",
      ...Array(2).fill("app.ts:6"),
    ]);
  });

  it("keeps every line where it was, so stack traces and diagnostics point at the user's lines", () => {
    const code = "const a = 1;\nwhile (false)\n  a;\nfor (;;) {\n  break;\n}\nexport const b = 2;\n";
    const guarded = guardLoops(code, "app.ts", "./guard.js");
    expect(guarded.split("\n")).toHaveLength(code.split("\n").length);
    expect(guarded.split("\n")[6]).toBe("export const b = 2;");
  });

  it("leaves code without loops alone, and throws the parser's error on bad syntax", () => {
    expect(guardLoops("export const x = 1;", "app.ts", "./guard.js")).toBe("export const x = 1;");
    expect(() => guardLoops("while (", "app.ts", "./guard.js")).toThrow(SyntaxError);
  });
});

describe("the guard", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function loadGuard(): (site: string) => void {
    const name = guardModuleSource.match(/export function (\w+)/)?.[1];
    return new Function(`${guardModuleSource.replace("export function", "function")}\nreturn ${name};`)();
  }
  /** Checks the clock every 16384 calls: one batch is one check. */
  const batch = (guard: (site: string) => void) => {
    for (let i = 0; i < 0x4000; i++) guard("app.ts:3");
  };

  it("stops a loop that has run past the limit without yielding, naming its line", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_000_000);
    const guard = loadGuard();
    batch(guard);
    vi.setSystemTime(1_000_000 + LOOP_LIMIT_MS + 1);
    expect(() => batch(guard)).toThrow(`The loop at app.ts:3 ran for over ${LOOP_LIMIT_MS / 1000} s without yielding`);
  });

  it("lets a loop run on when the code yields in between", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_000_000);
    const guard = loadGuard();
    batch(guard);
    await Promise.resolve(); // a microtask runs: the clock restarts
    vi.setSystemTime(1_000_000 + LOOP_LIMIT_MS + 1);
    expect(() => batch(guard)).not.toThrow();
  });
});
