import { describe, expect, it } from "vitest";
import type { EnvResponse } from "../../../shared/api";
import { api, app, appWith, createProject, deploy, on } from "../support/helpers";

const setVar = (project: { id: string; token: string }, name: string, value: string, secret?: boolean) =>
  api.send("setEnv", { params: { id: project.id, name }, credential: project.token, body: { value, secret } });

describe("environment variables and secrets", () => {
  it("are passed as this.env and take effect on the next request without a save", async () => {
    const project = await createProject();
    await deploy(project, appWith(`    return Response.json(this.env);`));
    expect(await (await app(project)).json()).toEqual({});

    expect((await setVar(project, "GREETING", "hello")).status).toBe(200);
    expect((await setVar(project, "API_KEY", "s3cret", true)).status).toBe(200);
    const response = await app(project);
    expect(response.headers.get("x-app-version")).toBe("1");
    expect(await response.json()).toEqual({ GREETING: "hello", API_KEY: "s3cret" });

    await setVar(project, "GREETING", "changed");
    expect(await (await app(project)).json()).toEqual({ GREETING: "changed", API_KEY: "s3cret" });

    const deleted = await api.send("deleteEnv", {
      params: { id: project.id, name: "GREETING" },
      credential: project.token,
    });
    expect(deleted.status).toBe(200);
    expect(await (await app(project)).json()).toEqual({ API_KEY: "s3cret" });
  });

  it("never returns a secret's value", async () => {
    const project = await createProject();
    await setVar(project, "TOKEN", "do-not-show", true);
    await setVar(project, "MODE", "debug");
    const listed = await api.send("listEnv", on(project));
    const body = (await listed.json()) as EnvResponse;
    expect(body.vars).toEqual([
      { name: "MODE", value: "debug", secret: false },
      { name: "TOKEN", secret: true },
    ]);
    expect(JSON.stringify(body)).not.toContain("do-not-show");
  });

  it("keeps the app's data and survives a code save", async () => {
    const project = await createProject();
    await setVar(project, "LABEL", "first");
    await deploy(
      project,
      appWith(`    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (x)");
    this.ctx.storage.sql.exec("INSERT INTO t VALUES (1)");
    const { n } = this.ctx.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM t").one();
    return new Response((this.env as Record<string, string>).LABEL + " " + n);`),
    );
    expect(await (await app(project)).text()).toBe("first 1");
    await setVar(project, "LABEL", "second");
    expect(await (await app(project)).text()).toBe("second 2");
  });

  it("rejects bad names, needs the token, and 404s an unknown variable", async () => {
    const project = await createProject();
    expect((await setVar(project, "1BAD", "x")).status).toBe(400);
    expect((await setVar(project, "has-dash", "x")).status).toBe(400);
    expect((await api.send("listEnv", { params: { id: project.id } })).status).toBe(401);
    const missing = await api.send("deleteEnv", {
      params: { id: project.id, name: "NOPE" },
      credential: project.token,
    });
    expect(missing.status).toBe(404);
  });
});
