/**
 * What an app logs reaches its terminal: console output riding on responses, and everything else
 * (module start, constructor, handlers, work after the response, uncaught rejections) through the
 * log bridge.
 */
import { describe, expect, it } from "vitest";
import type { LogEntry } from "../../../shared/logs";
import throwingSocketHandler from "../fixtures/apps/throwing-socket-handler.ts?raw";
import loggingConstructor from "../fixtures/unchecked/logging-constructor.ts?raw";
import { app, appWith, createProject, deploy } from "../support/helpers";
import { linesOf, openTerminal, waitForLine } from "../support/socket";

const consoleLine = (text: string) => (e: LogEntry) => e.kind === "console" && e.message.includes(text);

describe("app logs", () => {
  it("a request's line comes with its console output, in order, and no internal header leaks", async () => {
    const project = await createProject();
    await deploy(
      project,
      appWith(`    console.log("first", { n: 1 });
    console.warn("second");
    return new Response("ok");`),
    );
    const terminal = await openTerminal(project);
    const response = await app(project, "/hello?x=1");
    expect(await response.text()).toBe("ok");
    expect([...response.headers.keys()].filter((k) => k.startsWith("x-facet-ide"))).toEqual([]);
    await waitForLine(terminal, consoleLine("second"));
    const lines = linesOf(terminal).filter((e) => e.kind === "request" || e.kind === "console");
    expect(lines.map((e) => (e.kind === "request" ? `${e.method} ${e.path} ${e.status}` : e.message))).toEqual([
      "GET /hello?x=1 200",
      'first {"n":1}',
      "second",
    ]);
    expect(lines.map((e) => e.version)).toEqual([1, 1, 1]);
    expect(lines.map((e) => (e.kind === "console" ? e.level : "request"))).toEqual(["request", "log", "warn"]);
  });

  it("output from module start, the constructor and work after the response reaches the terminal", async () => {
    const project = await createProject();
    const terminal = await openTerminal(project);
    await deploy(project, withConstructor(`console.info("constructed");`));
    await waitForLine(terminal, consoleLine("module started"));
    await app(project);
    const constructed = await waitForLine(terminal, consoleLine("constructed"));
    expect(constructed.kind === "console" && constructed.level).toBe("info");
    await waitForLine(terminal, consoleLine("after the response"));
  });

  it("an exception in fetch logs the request, what it printed first, and the stack", async () => {
    const project = await createProject();
    await deploy(project, appWith(`    console.log("about to fail");\n    throw new Error("fetch exploded");`));
    const terminal = await openTerminal(project);
    expect((await app(project, "/boom")).status).toBe(500);
    const exception = await waitForLine(terminal, (e) => e.kind === "exception");
    expect(exception.kind === "exception" && exception.message).toBe("fetch exploded");
    const stack = exception.kind === "exception" ? exception.stack : "";
    expect(stack).toContain("at App.fetch (app.ts:6:");
    expect(stack).not.toContain("__facet_ide"); // the wrapper's own frames are left out
    const kinds = linesOf(terminal)
      // The save's own lines (its deploy, and TypeScript's note on a fetch that never returns) aside.
      .filter((e) => e.kind !== "deploy" && e.kind !== "type-check")
      .map((e) => (e.kind === "request" ? `request ${e.status} ${e.outcome}` : e.kind));
    expect(kinds).toEqual(["request 500 exception", "console", "exception"]);
  });

  it("uncaught rejections and exceptions in WebSocket handlers are reported", async () => {
    const project = await createProject();
    await deploy(project, {
      "app.ts": throwingSocketHandler,
    });
    const terminal = await openTerminal(project);
    expect(await (await app(project, "/reject")).text()).toBe("still here");
    const rejection = await waitForLine(terminal, (e) => e.kind === "exception");
    expect(rejection.kind === "exception" && rejection.message).toBe("background failure");

    const upgraded = await app(project, "/ws", { headers: { upgrade: "websocket" } });
    upgraded.webSocket?.accept();
    upgraded.webSocket?.send("ping");
    await waitForLine(terminal, consoleLine("got ping"));
    const thrown = await waitForLine(terminal, (e) => e.kind === "exception" && e.message === "handler exploded");
    expect(thrown.version).toBe(1);
  });

  it("an app that sets the internal header itself injects nothing, and never sees the log bridge", async () => {
    const project = await createProject();
    await deploy(
      project,
      appWith(
        `    return new Response(JSON.stringify(Object.keys(this.env)), { headers: { "x-facet-ide-logs": "%7Bnot json" } });`,
      ),
    );
    const terminal = await openTerminal(project);
    const response = await app(project, "/forged");
    expect(await response.text()).toBe("[]");
    expect(response.headers.has("x-facet-ide-logs")).toBe(false);
    await waitForLine(terminal, (e) => e.kind === "request" && e.path === "/forged");
    expect(linesOf(terminal).filter((e) => e.kind === "console")).toEqual([]);
  });
});

/** An app with a constructor that runs `statement`, a top-level log line, and a fetch that logs later. */
function withConstructor(statement: string): Record<string, string> {
  return {
    "app.ts": loggingConstructor.replaceAll("/* statement */", () => statement),
  };
}
