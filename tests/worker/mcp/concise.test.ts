/**
 * What the MCP server costs an agent's context: the tool list, get_metrics and get_draft answer
 * small by default and in full when asked; read_logs and its HTTP route filter lines; the build_app
 * prompt gives the recommended loop.
 */
import { describe, expect, it } from "vitest";
import { LogsResponse } from "../../../shared/api";
import type { LogEntry } from "../../../shared/logs";
import { MetricsResponse } from "../../../shared/metrics";
import { objectsProject } from "../fixtures/objects-app";
import { api, counterApp, on } from "../support/helpers";
import { callOk, connect, mintKey, textOf, workerFetch } from "../support/mcp-client";

const KB = 1024;

describe("concise MCP answers", () => {
  it("lists the tools in under 40 KB, without output schemas, and checks the project id all the same", async () => {
    const client = await connect(await mintKey());
    const listed = await client.listTools();
    const size = new TextEncoder().encode(JSON.stringify(listed)).length;
    expect(size).toBeLessThan(40 * KB);
    for (const tool of listed.tools) expect(tool.outputSchema).toBeUndefined();
    // The project id's pattern is not spelled out in every tool, and is checked all the same.
    const refused = await client.callTool({ name: "get_project", arguments: { project: "Not--An-Id" } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/'Not--An-Id' is not a valid project id/);
    await client.close();
  });

  it("answers get_metrics for 24 h in under 4 KB: totals, limits, cost and the last buckets; the series when asked", async () => {
    const client = await connect(await mintKey());
    const project = String((await callOk(client, "create_project", { template: "blank" })).id);
    await callOk(client, "write_code", { project, files: counterApp("m") });
    for (let i = 0; i < 5; i++) await callOk(client, "request_app", { project, path: "/" });
    await callOk(client, "request_app", { project, path: "/missing", method: "POST" });

    const day = await client.callTool({ name: "get_metrics", arguments: { project, window: "24h" } });
    expect(day.isError).toBeFalsy();
    expect(textOf(day).length).toBeLessThan(4 * KB);
    const summary = day.structuredContent as Record<string, unknown>;
    expect(summary).not.toHaveProperty("series");
    expect(summary).toMatchObject({
      window: "24h",
      totals: { requests: 6 },
      limits: { requestsPerMinute: expect.any(Number) },
    });
    expect(summary).toHaveProperty("cost.totalUsd");
    const recent = summary.recent as { at: number; requests?: number }[];
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThanOrEqual(5);
    expect(recent.reduce((n, b) => n + (b.requests ?? 0), 0)).toBe(6);

    const full = await client.callTool({ name: "get_metrics", arguments: { project, window: "24h", series: true } });
    expect(textOf(full).length).toBeGreaterThan(40 * KB);
    const metrics = MetricsResponse.parse(full.structuredContent);
    expect(metrics.series.at).toHaveLength(1_440);
    expect(metrics.series.requests.reduce((a, b) => a + b, 0)).toBe(6);
    await client.close();
  });

  it("answers get_draft with its files' names and sizes, and their text when asked", async () => {
    const client = await connect(await mintKey());
    const project = String((await callOk(client, "create_project", { template: "blank" })).id);
    await callOk(client, "write_code", { project, files: counterApp("live") });
    expect(await callOk(client, "get_draft", { project })).toEqual({ draft: null });
    const files = counterApp("draft");
    await callOk(client, "write_draft", { project, files });
    const short = (await callOk(client, "get_draft", { project })) as { draft: Record<string, unknown> };
    expect(short.draft).toMatchObject({ revision: 1, main: "app.ts", sizes: { "app.ts": files["app.ts"]?.length } });
    expect(short.draft).not.toHaveProperty("files");
    const long = await callOk(client, "get_draft", { project, sources: true });
    expect(long).toMatchObject({ draft: { revision: 1, files } });
    await client.close();
  });

  it("filters read_logs (and GET .../logs) by kind, object and target, and a cursor goes on past filtered lines", async () => {
    const client = await connect(await mintKey());
    const project = String((await callOk(client, "create_project", { template: "blank" })).id);
    await callOk(client, "write_code", { project, files: objectsProject("live") });
    await callOk(client, "request_app", { project, path: "/count/busy" });
    await callOk(client, "request_app", { project, path: "/fetch/quiet" });
    const { previewUrl } = await callOk(client, "write_draft", { project, files: objectsProject("draft") });
    expect((await workerFetch(new URL("/fetch/busy", String(previewUrl)))).status).toBe(200);
    const logs = async (args: Record<string, unknown>) =>
      LogsResponse.parse(await callOk(client, "read_logs", { project, limit: 500, ...args }));
    const all = await logs({});
    const kinds = (entries: LogEntry[]) => [...new Set(entries.map((e) => e.kind))];
    expect(kinds(all.entries)).toEqual(expect.arrayContaining(["request", "console", "deploy"]));

    const requests = await logs({ kind: "request" });
    expect(kinds(requests.entries)).toEqual(["request"]);
    expect(requests.entries.length).toBe(all.entries.filter((e) => e.kind === "request").length);

    const quiet = await logs({ object: "Counter:quiet" });
    expect(quiet.entries.length).toBeGreaterThan(0);
    expect(quiet.entries.every((e) => e.object === "Counter:quiet")).toBe(true);
    const counters = await logs({ object: "Counter" });
    expect(new Set(counters.entries.map((e) => e.object))).toEqual(new Set(["Counter:busy", "Counter:quiet"]));

    const live = await logs({ target: "live" });
    expect(live.entries.every((e) => e.draft === undefined)).toBe(true);
    const draft = await logs({ target: "draft" });
    expect(draft.entries.every((e) => e.draft !== undefined)).toBe(true);
    expect(live.entries.length + draft.entries.length).toBe(all.entries.length);
    expect(draft.entries.some((e) => e.kind === "request")).toBe(true);

    // After a cursor: only new lines that pass, and the cursor moves past those that did not.
    const before = await logs({ kind: "exception" });
    await callOk(client, "request_app", { project, path: "/count/busy" });
    const none = await logs({ kind: "exception", since: before.cursor });
    expect(none.entries).toEqual([]);
    expect(none.cursor).toBeGreaterThan(before.cursor);
    await callOk(client, "request_app", { project, path: "/fail/busy" });
    const failed = await logs({ kind: "exception", since: none.cursor });
    expect(failed.entries.length).toBeGreaterThan(0);
    expect(kinds(failed.entries)).toEqual(["exception"]);

    const bad = await client.callTool({ name: "read_logs", arguments: { project, kind: "everything" } });
    expect(bad.isError).toBe(true);
    await client.close();
  });

  it("filters GET /api/projects/:id/logs by kind over HTTP", async () => {
    const created = await api.call("createProject", { body: { template: "blank" } });
    await api.call("putCode", { ...on(created), body: { files: counterApp("h") } });
    const only = await api.call("readLogs", { ...on(created), query: { kind: "deploy" } });
    expect(only.entries.length).toBeGreaterThan(0);
    expect(only.entries.every((e) => e.kind === "deploy")).toBe(true);
    const refused = await api.send("readLogs", { ...on(created), query: { kind: "nope" as "deploy" } });
    expect(refused.status).toBe(400);
  });

  it("lists the build_app prompt and fills in the project and goal", async () => {
    const client = await connect(await mintKey());
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toContain("build_app");
    const prompt = await client.getPrompt({ name: "build_app", arguments: { project: "shop", goal: "a cart $&" } });
    expect(prompt.messages).toHaveLength(1);
    const content = prompt.messages[0]?.content;
    const text = content?.type === "text" ? content.text : "";
    expect(text).toContain("project `shop`");
    expect(text).toContain("Goal: a cart $&");
    for (const tool of ["write_draft", "request_app", "read_logs", "promote_draft", "restore_version"]) {
      expect(text).toContain(tool);
    }
    expect(text).toMatch(/target: "draft"/);
    await client.close();
  });
});
