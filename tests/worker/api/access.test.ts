/**
 * Authorization in one place: every project route of the table refuses a missing token (401) and a
 * wrong one (403), and the supervisor's RPC surface is only `open` (which checks the credential),
 * `create`, and the bridges' methods, so a new project operation has to live on the handle `open`
 * returns.
 */
import { describe, expect, it } from "vitest";
import { ProjectSupervisor } from "../../../server/supervisor/ProjectSupervisor";
import { type RouteName, type RouteSpec, routes } from "../../../shared/http/routes";
import { api, app, call, counterApp, createProject, deploy, on } from "../support/helpers";

/** A well-formed body for each route that takes one, so only the credential can be wrong. */
const bodies: Partial<Record<RouteName, unknown>> = {
  putCode: { files: counterApp("x") },
  runSql: { sql: "SELECT 1" },
  setEnv: { value: "v" },
  restoreVersion: { data: false },
  setSnapshotSettings: { maxVersions: 3 },
  putDraftCode: { files: counterApp("draft") },
  promoteDraft: { data: "live" },
  requestApp: { path: "/" },
  websocketApp: { path: "/ws" },
  replayRequest: { target: "live" },
  replayRequests: { target: "draft" },
  putRequestSettings: { keep: 50 },
  putLimits: { requestsPerMinute: 100 },
  putNetwork: { allow: [{ host: "api.example.com" }] },
  insertRow: { values: {} },
  updateRow: { key: [1], values: { text: "x" } },
  deleteRows: { keys: [[1]] },
  getCell: { key: [1], column: "text" },
  putKv: { key: "k", value: 1 },
  deleteKv: { keys: ["k"] },
  resetData: { confirm: true },
  askAssistant: { prompt: "hello" },
  editCode: { file: "app.ts", edits: [{ oldText: '"kept"', newText: '"gone"' }] },
  deleteProject: { confirm: "PROJECT" },
};

describe("authorization", () => {
  it("every project route needs the project's own token", async () => {
    const project = await createProject();
    const other = await createProject();
    await deploy(project, counterApp("kept"));
    await app(project, "/"); // one row in hits, which no refused call may delete
    const projectRoutes = (Object.entries(routes) as [RouteName, RouteSpec][]).filter(
      ([, spec]) => spec.auth === "project",
    );
    expect(projectRoutes.length).toBeGreaterThan(5);
    for (const [name, spec] of projectRoutes) {
      const path = spec.path
        .replace("{id}", project.id)
        .replace("{version}", "1")
        .replace("{rid}", "1")
        .replace("{taskId}", "task0001")
        .replace("{name}", "NAME")
        .replace("{table}", "hits")
        .replace("{format}", "csv");
      const body = name === "deleteProject" ? { confirm: project.id } : bodies[name];
      const init = {
        method: spec.method.toUpperCase(),
        ...(body === undefined ? {} : { json: body }),
        ...(spec.messages ? { headers: { upgrade: "websocket" } } : {}),
      };
      expect((await call(path, init)).status, `${name} without a token`).toBe(401);
      expect((await call(path, { ...init, token: other.token })).status, `${name} with another's token`).toBe(403);
    }
    // Nothing changed: v1 is live and the variable was never set.
    const info = await api.send("getProject", on(project));
    expect(await info.json()).toMatchObject({ version: 1 });
    const env = await api.send("listEnv", on(project));
    expect(await env.json()).toEqual({ vars: [] });
    const sql = await api.send("runSql", { ...on(project), body: { sql: "SELECT count(*) FROM hits" } });
    expect(await sql.json()).toMatchObject({ rows: [[1]] });
  });

  it("the supervisor offers no project operation except through open()", () => {
    const methods = Object.getOwnPropertyNames(ProjectSupervisor.prototype).filter((m) => m !== "constructor");
    expect(methods.sort()).toEqual(
      [
        // Creating a project (no credential exists yet) and opening one with a credential.
        "create",
        "open",
        // The AlarmBridge's, LogBridge's and MeterBridge's calls: the project is fixed by their props.
        "appSetAlarm",
        "appGetAlarm",
        "appDeleteAlarm",
        "appendLogs",
        "appMeterReport",
        // The Gateway's calls (an app's outbound fetch): the project is fixed by its props. The plan
        // carries the injected secrets, for the gateway to send; no app holds the supervisor's binding.
        "networkPlan",
        "networkDone",
        // The ObjectBridge's RPC calls (a Worker project's stubs): the project is fixed by its props.
        "objectCall",
        // The runtime's handlers: the preview origin, the terminal socket (checked with the same admit()).
        "fetch",
        "alarm",
        "webSocketMessage",
        "webSocketClose",
        // The worker's first request after the launcher restarted the runtime: records the launcher's
        // verdicts, which name their project; nothing of the project is returned.
        "settleVerdicts",
        // After a deletion: restarts the object, and only when it holds no project.
        "reset",
      ].sort(),
    );
  });
});
