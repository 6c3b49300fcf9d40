import { describe, expect, it } from "vitest";
import type { CreateProjectResponse } from "../../../shared/api";
import type { NetworkResponse } from "../../../shared/network/policy";
import type { ImportProjectResponse, ProjectBundle } from "../../../shared/time-travel";
import { api, app, appWith, createProject, deploy, on } from "../support/helpers";

const ref = (name: string) => `$\{${name}}`;
const POLICY = { allow: [{ host: "api.example.com", headers: { Authorization: `Bearer ${ref("KEY")}` } }] };
const CALLER = appWith(`    try {
      const response = await fetch("https://api.example.com/echo");
      return new Response(await response.text());
    } catch (error) {
      return new Response("caught: " + (error as Error).message);
    }`);

async function policyOf(project: { id: string; token: string }): Promise<NetworkResponse> {
  return (await (await api.send("getNetwork", on(project))).json()) as NetworkResponse;
}

async function projectWithPolicy() {
  const project = await createProject();
  await deploy(project, CALLER);
  await api.send("setEnv", {
    params: { id: project.id, name: "KEY" },
    credential: project.token,
    body: { value: "v-secret", secret: true },
  });
  expect((await api.send("putNetwork", { ...on(project), body: POLICY })).status).toBe(200);
  return project;
}

describe("the network policy travels with the project", () => {
  it("a fork carries the policy and the secret, which the fork's app injects but never sees", async () => {
    const project = await projectWithPolicy();
    const forked = (await (
      await api.send("forkProject", { ...on(project), body: {} })
    ).json()) as CreateProjectResponse;
    expect((await policyOf(forked)).allow).toEqual(POLICY.allow);
    const echoed = JSON.parse(await (await app(forked)).text()) as { headers: Record<string, string> };
    expect(echoed.headers.authorization).toBe("Bearer v-secret");
  });

  it("an export carries the policy without the secret's value; the import's calls say the secret is to set", async () => {
    const project = await projectWithPolicy();
    const bundle = (await (await api.send("exportProject", on(project))).json()) as ProjectBundle;
    expect(bundle.network).toEqual(POLICY);
    expect(JSON.stringify(bundle)).not.toContain("v-secret");
    const imported = (await (await api.send("importProject", { body: bundle })).json()) as ImportProjectResponse;
    expect(imported.secretsToSet).toEqual(["KEY"]);
    expect(await (await app(imported)).text()).toContain("names the secret KEY");
  });

  it("a restore keeps the live policy", async () => {
    const project = await projectWithPolicy();
    await deploy(project, appWith(`    return new Response("v2");`));
    expect(
      (
        await api.send("restoreVersion", {
          params: { id: project.id, version: 1 },
          credential: project.token,
          body: { data: false },
        })
      ).status,
    ).toBe(200);
    expect((await policyOf(project)).allow).toEqual(POLICY.allow);
    expect(await (await app(project)).text()).toContain("Bearer v-secret");
  });
});
