/**
 * The assistant's tools are the MCP registry's, scoped to one project and to the draft: run with a
 * fake `invoke` that records which operations they call.
 */
import { describe, expect, it } from "vitest";
import { ASSISTANT_TOOL_NAMES, scopedTools } from "../../../../server/assistant/scoped-tools";
import type { Invoke } from "../../../../server/mcp/tools";
import { failure, success } from "../../../../server/outcome";
import type { RouteName } from "../../../../shared/http/routes";

const LIVE = { version: 1, main: "app.ts", files: { "app.ts": "export class App {}\n" } };

function fakeApi() {
  const calls: { route: RouteName; params?: Record<string, unknown>; body?: unknown }[] = [];
  let draft: { files: Record<string, string>; revision: number } | null = null;
  const invoke: Invoke = async (route, args) => {
    calls.push({ route, params: args.params, body: args.body });
    switch (route) {
      case "getCode":
        return success(LIVE);
      case "getDraft":
        return success({
          draft: draft && {
            ...draft,
            codeId: "c",
            main: "app.ts",
            createdAt: 0,
            updatedAt: 0,
            basedOnVersion: 1,
            previewUrl: "http://p.localhost",
          },
        });
      case "putDraftCode": {
        const body = args.body as { files: Record<string, string> };
        draft = { files: body.files, revision: (draft?.revision ?? 0) + 1 };
        return success({ revision: draft.revision, codeId: "c", created: true, warnings: [], previewUrl: "x" });
      }
      case "editCode": {
        if (!draft) return failure("conflict", "There is no draft");
        const body = args.body as { edits: { oldText: string; newText: string }[] };
        const file = (draft.files["app.ts"] ?? "").replace(body.edits[0]?.oldText ?? "", body.edits[0]?.newText ?? "");
        draft = { files: { "app.ts": file }, revision: draft.revision + 1 };
        return success({ target: "draft", file: "app.ts", createdFile: false, revision: draft.revision });
      }
      case "readLogs":
        return success({ entries: [{ message: "x".repeat(20_000) }], cursor: 1, more: false, missed: 0 });
      default:
        return success({ ok: true });
    }
  };
  return { calls, invoke };
}

const byName = (tools: ReturnType<typeof scopedTools>, name: string) => {
  const found = tools.find((t) => t.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
};

describe("the assistant's tools", () => {
  it("are the registry's read tools and draft tools, never those that change live or other projects", () => {
    const { invoke } = fakeApi();
    const names = scopedTools("mine", invoke).map((t) => t.name);
    expect(names.sort()).toEqual([...ASSISTANT_TOOL_NAMES].sort());
    for (const forbidden of [
      "write_code",
      "promote_draft",
      "discard_draft",
      "restore_version",
      "set_env",
      "delete_env",
      "set_network",
      "delete_project",
      "import_project",
      "fork_project",
      "reset_data",
      "put_kv",
      "set_limits",
    ]) {
      expect(names).not.toContain(forbidden);
    }
  });

  it("take no project and no target in what the model sees", () => {
    const { invoke } = fakeApi();
    for (const tool of scopedTools("mine", invoke)) {
      const properties = Object.keys((tool.parameters.properties ?? {}) as object);
      expect(properties, tool.name).not.toContain("project");
      if (["edit_file", "request_app", "websocket_app", "run_sql"].includes(tool.name)) {
        expect(properties, tool.name).not.toContain("target");
      }
    }
  });

  it("run on their own project and the draft alone", async () => {
    const { calls, invoke } = fakeApi();
    const tools = scopedTools("mine", invoke);
    await byName(tools, "run_sql").run({ sql: "SELECT 1" });
    expect(calls.at(-1)).toMatchObject({
      route: "runSql",
      params: { id: "mine" },
      body: { sql: "SELECT 1", target: "draft" },
    });
    await byName(tools, "request_app").run({ path: "/" });
    expect(calls.at(-1)).toMatchObject({ route: "requestApp", params: { id: "mine" }, body: { target: "draft" } });
  });

  it("refuse another project, a live target and bad arguments, as text for the model", async () => {
    const { calls, invoke } = fakeApi();
    const tools = scopedTools("mine", invoke);
    const other = await byName(tools, "read_code").run({ project: "theirs" });
    expect(other).toMatchObject({ ok: false });
    expect(other.text).toContain("works on project mine alone");
    const live = await byName(tools, "run_sql").run({ sql: "DELETE FROM t", target: "live" });
    expect(live.ok).toBe(false);
    expect(live.text).toContain("draft only");
    const bad = await byName(tools, "run_sql").run({ sql: 42 });
    expect(bad.ok).toBe(false);
    expect(bad.text).toMatch(/^Invalid arguments for run_sql: sql/);
    const notObject = await byName(tools, "run_sql").run("DROP TABLE t");
    expect(notObject.ok).toBe(false);
    expect(calls).toEqual([]);
  });

  it("make the draft from the live code on the first edit, and answer the edit's diff", async () => {
    const { calls, invoke } = fakeApi();
    const edit = byName(scopedTools("mine", invoke), "edit_file");
    const result = await edit.run({ file: "app.ts", edits: [{ oldText: "App {}", newText: "App { x = 1 }" }] });
    expect(result.ok).toBe(true);
    expect(calls.map((c) => c.route)).toContain("putDraftCode");
    expect(calls.find((c) => c.route === "putDraftCode")?.body).toMatchObject({ files: LIVE.files });
    expect(calls.find((c) => c.route === "editCode")?.body).toMatchObject({ target: "draft" });
    expect(result.diff).toContain("-export class App {}");
    expect(result.diff).toContain("+export class App { x = 1 }");
  });

  it("cut a long result to the size, with a note", async () => {
    const { invoke } = fakeApi();
    const logs = await byName(scopedTools("mine", invoke, 4096), "read_logs").run({});
    expect(logs.truncated).toBe(true);
    expect(new TextEncoder().encode(logs.text).length).toBeLessThanOrEqual(4096);
    expect(logs.text).toContain("cut here to fit the context");
  });
});
