import { describe, expect, it } from "vitest";
import { diagnosticText, failureText } from "../../../../server/mcp/format";
import { type Invoke, tools } from "../../../../server/mcp/tools";
import { failure, success } from "../../../../server/outcome";

const tool = (name: string) => {
  const found = tools.find((t) => t.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
};

describe("MCP tools", () => {
  it("write_code's refusal lists each diagnostic with the line it points at", async () => {
    const files = { "app.ts": "export class App {\n\tfetch() { return (; }\n}\n" };
    const invoke: Invoke = async () =>
      failure("compile_error", "The code was not deployed: app.ts:2:20 Unexpected token", {
        diagnostics: [{ file: "app.ts", line: 2, column: 20, message: "Unexpected token" }],
      });
    const result = await tool("write_code").run({ project: "p", files }, invoke);
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toBe(
      [
        "The code was not deployed: app.ts:2:20 Unexpected token",
        "",
        "app.ts:2:20 Unexpected token",
        "    2 |  fetch() { return (; }",
        `    ${" ".repeat(4 + 19)}^`,
        "",
        "(compile_error, HTTP 422)",
      ].join("\n"),
    );
  });

  it("splits arguments into the route's path parameters, query and body", async () => {
    const calls: unknown[] = [];
    const invoke: Invoke = async (route, args) => {
      calls.push({ route, ...args });
      return success({});
    };
    await tool("set_env").run({ project: "p", name: "A", value: "1", secret: true }, invoke);
    await tool("read_logs").run({ project: "p", since: 4 }, invoke);
    await tool("create_project").run({ template: "blank" }, invoke);
    await tool("read_code").run({ project: "p", version: 2 }, invoke);
    expect(calls).toEqual([
      { route: "setEnv", params: { name: "A", id: "p" }, query: {}, body: { value: "1", secret: true } },
      { route: "readLogs", params: { id: "p" }, query: { since: 4 }, body: undefined },
      { route: "createProject", params: {}, query: {}, body: { template: "blank" } },
      { route: "getVersion", params: { id: "p", version: 2 } },
    ]);
  });

  it("words details: validation issues and the live version of a conflict", () => {
    expect(
      failureText(
        failure("bad_request", "Invalid request: sql: Too small", {
          issues: [{ path: "sql", message: "Too small" }],
        }),
      ),
    ).toBe("Invalid request: sql: Too small\n- sql: Too small\n\n(bad_request, HTTP 400)");
    expect(failureText(failure("conflict", "v3 was saved elsewhere", { liveVersion: 3 }))).toMatch(
      /The live version is v3\./,
    );
    expect(diagnosticText({ file: "lib.ts", line: 9, column: 1, message: "x" }, { "app.ts": "" })).toBe("lib.ts:9:1 x");
  });
});
