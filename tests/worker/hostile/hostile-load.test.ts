/**
 * Issue 13, item 3, as an attacker would try it inside workerd: code built to get past the loop
 * guard, console queries built to hold the runtime, and a terminal socket flooded with messages.
 * What only the launcher can recover from (a catastrophic regex, a heap bomb) is in
 * tests/process/hostile-freezes.test.ts and hostile-resources.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { ErrorBody } from "../../../shared/api";
import type { SqlResult } from "../../../shared/sql";
import { api, app, appWith, counterApp, createProject, deploy, on, putCode } from "../support/helpers";
import { openTerminal } from "../support/socket";

/** Deploys `body` as the fetch of an app, asks it once, and expects the guard's 500. */
async function expectStopped(body: string, extra = ""): Promise<string> {
  const project = await createProject();
  await deploy(
    project,
    appWith(`    if (new URL(request.url).pathname === "/") return new Response("fine");\n${body}`, extra),
  );
  const response = await app(project, "/attack");
  const text = await response.text();
  expect(response.status, text).toBe(500);
  expect(text).toMatch(/ran for over 3 s without yielding/);
  // Nothing restarted: the app answers its next request.
  expect(await (await app(project, "/")).text()).toBe("fine");
  return text;
}

describe("the loop guard cannot be switched off by the app's own code", () => {
  it("stops `for (;;) { await 0 }` (microtasks never let the runtime run)", async () => {
    await expectStopped(`    for (;;) { await 0; }`);
  });

  it("stops a loop after the app replaced queueMicrotask and Date.now", async () => {
    await expectStopped(
      `    (globalThis as any).queueMicrotask = () => {};
    Date.now = () => 1;
    (globalThis as any).setTimeout = () => 0;
    while (true) {}`,
    );
  });

  it("stops a loop that catches the guard's error and carries on", async () => {
    await expectStopped(`    for (;;) {
      try { while (true) {} } catch {}
    }`);
  });

  it("stops exponential recursion, which has no loop at all", async () => {
    const text = await expectStopped(
      `    return new Response(String(fib(60)));`,
      `function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }`,
    );
    expect(text).toMatch(/The function at app\.ts:2/);
  });

  it("stops a promise chain that never lets the runtime run", async () => {
    await expectStopped(`    const loop = (): Promise<void> => Promise.resolve().then(loop);
    await loop();`);
  });

  it("refuses code that shadows the guard or loads modules by a computed name", async () => {
    const project = await createProject();
    const cases: [Record<string, string>, RegExp][] = [
      [appWith(`    const __facetIdeLoop = () => {}; while (true) {}`), /reserved for the IDE's guards/],
      [
        appWith(`    const m = await import("./" + "__facet_ide_guard.js"); return new Response(String(m));`),
        /import\(\) needs a string literal/,
      ],
      [
        appWith(`    return new Response("x");`, `import "./__facet_ide_guard.js";`),
        /Cannot find module|IDE's own modules/,
      ],
      [
        appWith(
          `    return new Response(String(createRequire(import.meta.url)));`,
          `import { createRequire } from "node:module";`,
        ),
        /cannot load modules by name/,
      ],
    ];
    for (const [files, message] of cases) {
      const response = await putCode(project, files);
      const body = (await response.json()) as ErrorBody;
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(body.error.message).toMatch(message);
    }
  });
});

describe("the SQL console cannot hold the runtime by counting", () => {
  const sql = async (project: { id: string; token: string }, query: string): Promise<SqlResult> => {
    const response = await api.send("runSql", { ...on(project), body: { sql: query } });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return JSON.parse(text);
  };

  it("a 10-million-row SELECT returns its first 500 rows and stops counting", async () => {
    const project = await createProject();
    const started = Date.now();
    const result = await sql(
      project,
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000) SELECT i FROM n",
    );
    expect(result.rows).toHaveLength(500);
    expect(result.truncated).toBe(true);
    expect(result.totalRowsExact).toBe(false);
    expect(result.totalRows).toBeLessThan(10_000_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("an endless recursive CTE stops after its row cap", async () => {
    const project = await createProject();
    const result = await sql(
      project,
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n",
    );
    expect(result.rows).toHaveLength(500);
    expect(result.totalRowsExact).toBe(false);
  });

  it("small results are still counted exactly", async () => {
    const project = await createProject();
    const result = await sql(
      project,
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200) SELECT i FROM n",
    );
    expect(result).toMatchObject({ truncated: true, totalRows: 1200, totalRowsExact: true });
  });
});

describe("a terminal socket flooded with messages", () => {
  it("reads 15,000 pings or statements at a bounded rate, then closes the socket; other projects keep answering", async () => {
    const victim = await createProject();
    await deploy(victim, counterApp("victim"));
    const attacker = await createProject();
    for (const message of [{ type: "ping" }, { type: "sql", id: "x", sql: "SELECT 1" }]) {
      const terminal = await openTerminal(attacker);
      await terminal.nextWhere((m) => m.type === "hello");
      const closed = new Promise<number>((resolve) =>
        terminal.socket.addEventListener("close", (e) => resolve(e.code)),
      );
      for (let i = 0; i < 15_000; i++) {
        try {
          terminal.send(message);
        } catch {
          break;
        }
      }
      expect(await closed).toBe(1008);
      const answered = terminal.messages.filter((m) => m.type === "sql-result" || m.type === "pong").length;
      expect(answered).toBeLessThanOrEqual(100);
      expect(terminal.messages.some((m) => m.type === "error" && /too many messages/.test(m.message))).toBe(true);
      expect(await (await app(victim)).text()).toMatch(/^victim rows=\d$/);
    }
  });
});
