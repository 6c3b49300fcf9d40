import { afterEach, describe, expect, it, vi } from "vitest";
import { GUARD_CALL, MARKER_PREFIX, PLACEHOLDERS, RESUME_CALL } from "../../../../server/app-runtime/protocol";
import { guardLoops } from "../../../../server/supervisor/app-host/compile/loop-guard";
import { keepGuardedGlobals } from "./guard-globals";

/** The guard module, evaluated afresh (its placeholder, filled in by the loader, is a global here). */
async function guardModule() {
  vi.resetModules();
  vi.stubGlobal(PLACEHOLDERS.markers, null);
  return await import("../../../../server/app-runtime/guard");
}
const { LOOP_LIMIT_MS } = await guardModule();
vi.unstubAllGlobals();

const module = (source: string) => `data:text/javascript,${encodeURIComponent(source)}`;
/** A guard that records where it was called (in `globalThis.guardCalls`). */
const RECORDER = module(
  `export const ${GUARD_CALL} = (site) => globalThis.guardCalls.push(site); export const ${RESUME_CALL} = (value) => value;`,
);

/** Runs guarded code as a module, with a guard that records where it was called; the code sets `out.result`. */
async function runGuarded(code: string): Promise<{ calls: string[]; result: unknown }> {
  const guarded = guardLoops(code, "app.ts", RECORDER);
  expect(guarded.startsWith(`import { ${GUARD_CALL}, ${RESUME_CALL} } from ${JSON.stringify(RECORDER)};`)).toBe(true);
  const calls: string[] = [];
  const out: { result?: unknown } = {};
  Object.assign(globalThis, { guardCalls: calls, out });
  await import(/* @vite-ignore */ module(guarded));
  return { calls, result: out.result };
}

describe("guard insertion", () => {
  it("puts a call naming the loop's line at the top of every kind of loop body", async () => {
    const code = [
      "let n = 0;",
      "for (let i = 0; i < 3; i++) { n++; }",
      "while (n < 5) n++;",
      "do { n++; } while (n < 7);",
      "for (const k in { a: 1 }) n++;",
      "for (const v of [1, 2]) { n += v; }",
      "out.result = n;",
    ].join("\n");
    const { calls, result } = await runGuarded(code);
    expect(result).toBe(11);
    expect(calls).toEqual([
      ...Array(3).fill("loop at app.ts:2"),
      ...Array(2).fill("loop at app.ts:3"),
      ...Array(2).fill("loop at app.ts:4"),
      "loop at app.ts:5",
      ...Array(2).fill("loop at app.ts:6"),
    ]);
  });

  it("guards every function, so recursion without a loop is seen too", async () => {
    const code = [
      "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }",
      "const twice = (x) => x * 2;",
      "class A { m() { return 1; } }",
      "out.result = fib(4) + twice(1) + new A().m();",
    ].join("\n");
    const { calls, result } = await runGuarded(code);
    expect(result).toBe(6);
    expect(calls.filter((c) => c === "function at app.ts:1")).toHaveLength(9);
    expect(calls).toContain("function at app.ts:2");
    expect(calls).toContain("function at app.ts:3");
  });

  it("wraps resumptions after await and yield, and keeps what they evaluate to", () => {
    const guarded = guardLoops("async function f() { const x = await g(); return x; }", "app.ts", "./guard.js");
    expect(guarded).toContain(`${RESUME_CALL}((await g()), "await at app.ts:1")`);
    const generator = guardLoops("function* g() { const y = yield 1; }", "app.ts", "./guard.js");
    expect(generator).toContain(`${RESUME_CALL}((yield 1), "yield at app.ts:1")`);
  });

  it("keeps every line where it was, so stack traces and diagnostics point at the user's lines", () => {
    const code = "const a = 1;\nwhile (false)\n  a;\nfor (;;) {\n  break;\n}\nexport const b = () =>\n  ({ c: 2 });\n";
    const guarded = guardLoops(code, "app.ts", "./guard.js");
    expect(guarded.split("\n")).toHaveLength(code.split("\n").length);
    expect(guarded.split("\n")[6]).toBe(`export const b = () =>`);
  });

  it("refuses names that would shadow the guard, and throws the parser's error on bad syntax", () => {
    expect(() => guardLoops(`const ${GUARD_CALL} = () => {};`, "app.ts", "./guard.js")).toThrow(/reserved/);
    expect(() => guardLoops("function f(__facetIdeResume) {}", "app.ts", "./guard.js")).toThrow(/reserved/);
    expect(guardLoops("export const x = 1;", "app.ts", "./guard.js")).toBe("export const x = 1;");
    expect(() => guardLoops("while (", "app.ts", "./guard.js")).toThrow(SyntaxError);
  });
});

describe("the guard", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  /**
   * The guard's call, from the guard module evaluated afresh as the app's isolate would (it keeps
   * Date.now as it finds it), without markers (the loader's placeholder, as a global here).
   */
  async function loadGuard(): Promise<(site: string) => void> {
    return (await guardModule())[GUARD_CALL];
  }
  /** Checks the clock every 16384 calls: one batch is one check. */
  const batch = (guard: (site: string) => void) => {
    for (let i = 0; i < 0x4000; i++) guard("loop at app.ts:3");
  };

  it("stops code that has run past the limit without yielding, naming its line", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_000_000);
    const guard = await loadGuard();
    batch(guard);
    vi.setSystemTime(1_000_000 + LOOP_LIMIT_MS + 1);
    expect(() => batch(guard)).toThrow(`The loop at app.ts:3 ran for over ${LOOP_LIMIT_MS / 1000} s without yielding`);
    // Caught, the error comes back at the very next call until the isolate yields.
    expect(() => guard("loop at app.ts:9")).toThrow(/app\.ts:3/);
  });

  it("is not cleared by a microtask (`for (;;) await 0` never lets the runtime run), only by a macrotask", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_000_000);
    const guard = await loadGuard();
    batch(guard);
    await Promise.resolve();
    vi.setSystemTime(1_000_000 + LOOP_LIMIT_MS + 1);
    expect(() => batch(guard)).toThrow(/without yielding/);
    await new Promise((r) => setTimeout(r, 0));
    vi.setSystemTime(1_000_000 + 2 * LOOP_LIMIT_MS);
    expect(() => batch(guard)).not.toThrow();
  });

  it("keeps the clock it found: replacing Date.now afterwards changes nothing", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_000_000);
    const guard = await loadGuard();
    const real = Date.now;
    Date.now = () => 1_000_000;
    try {
      batch(guard);
      vi.setSystemTime(1_000_000 + LOOP_LIMIT_MS + 1);
      expect(() => batch(guard)).toThrow(/without yielding/);
    } finally {
      Date.now = real;
    }
  });

  it("prints an activity marker as one line of plain text, whatever the app did to String.prototype", async () => {
    const restoreGlobals = keepGuardedGlobals();
    const print = vi.spyOn(console, "log").mockImplementation(() => {});
    const replace = String.prototype.replace;
    try {
      vi.resetModules();
      vi.stubGlobal(PLACEHOLDERS.markers, { projectId: "p1", codeId: "c1", tag: "t1", beacon: null });
      const guard = await import("../../../../server/app-runtime/guard");
      const listeners = await import("../../../../server/app-runtime/listeners");
      String.prototype.replace = function (this: string) {
        return String(this);
      } as typeof replace;
      // A native listener runs no instrumented line: it is marked as it is called, and removable as given.
      const target = new EventTarget();
      const seen: string[] = [];
      const native = Function.prototype.call.bind(Array.prototype.push, seen, "native ran");
      target.addEventListener("message", native as () => void);
      target.dispatchEvent(new Event("message"));
      expect(print).toHaveBeenLastCalledWith(`${MARKER_PREFIX} enter t1 p1 c1 listener message`);
      // (push also pushes the event it is called with)
      expect(seen).toHaveLength(2);
      target.removeEventListener("message", native as () => void);
      target.dispatchEvent(new Event("message"));
      expect(seen).toHaveLength(2);
      // A socket's on<event> handler, set before or after it is accepted, is marked the same way.
      const socket = new EventTarget() as EventTarget & { onmessage: unknown };
      socket.onmessage = native;
      listeners.markHandlers(socket);
      expect(typeof socket.onmessage).toBe("function");
      (socket.onmessage as (event: unknown) => void)({});
      expect(print).toHaveBeenLastCalledWith(`${MARKER_PREFIX} enter t1 p1 c1 listener message`);
      expect(seen).toHaveLength(4);
      guard.enter("request", `GET /a\n${MARKER_PREFIX} enter t2 p2 c2 request`);
      expect(print).toHaveBeenCalledWith(
        `${MARKER_PREFIX} enter t1 p1 c1 request GET /a??[facet-ide] enter t2 p2 c2 request`,
      );
    } finally {
      String.prototype.replace = replace;
      restoreGlobals();
      print.mockRestore();
    }
  });
});
