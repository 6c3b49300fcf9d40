/** The MCP tools list_requests, get_request and replay_requests, as an agent uses them before promoting a draft. */
import { describe, expect, it } from "vitest";
import { api, app, appWith, createProject, deploy, on } from "../support/helpers";
import { callOk, connect } from "../support/mcp-client";

const routes = (answer: string) =>
  appWith(`    const url = new URL(request.url);
    if (url.pathname === "/price") return Response.json({ price: ${answer} });
    return new Response("home");`);

describe("the requests tools", () => {
  it("list and read what visitors sent, and report a draft's replay of it", async () => {
    const project = await createProject();
    await deploy(project, routes("10"));
    await (await app(project, "/")).text();
    await (await app(project, "/price")).text();
    const agent = await connect(project.token);

    let listed: { requests: { id: number; path: string }[] } = { requests: [] };
    for (let i = 0; i < 50 && listed.requests.length < 2; i++) {
      listed = (await callOk(agent, "list_requests", { project: project.id })) as typeof listed;
      if (listed.requests.length < 2) await new Promise((r) => setTimeout(r, 20));
    }
    expect(listed.requests.map((r) => r.path)).toEqual(["/price", "/"]);
    const price = await callOk(agent, "get_request", { project: project.id, rid: listed.requests[0]?.id });
    expect(price).toMatchObject({ path: "/price", status: 200, response: { body: '{"price":10}' } });

    await api.call("putDraftCode", { ...on(project), body: { files: routes("12") } });
    const report = await callOk(agent, "replay_requests", { project: project.id, target: "draft" });
    expect(report.totals).toEqual({ same: 1, changed: 1, skipped: 0, fixed: 0, broken: 0 });
  });

  it("keeps the whole tool list small", async () => {
    const project = await createProject();
    const agent = await connect(project.token);
    const { tools } = await agent.listTools();
    const ours = tools.filter((t) => ["list_requests", "get_request", "replay_requests"].includes(t.name));
    expect(ours).toHaveLength(3);
    // The whole list must stay under 40 KB; these three take a small share of it.
    expect(JSON.stringify(ours).length).toBeLessThan(8 * 1024);
  });
});
