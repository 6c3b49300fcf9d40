import { describe, expect, it } from "vitest";
import type { SqlResult } from "../../../shared/sql";
import { api, app, counterApp, createProject, deploy, on } from "../support/helpers";

describe("swaps under load", () => {
  it("serves every request on exactly one version, loses no write, and runs nothing twice across 50 saves", async () => {
    const project = await createProject();
    await deploy(project, counterApp("v0"));
    let liveFrom = 1; // highest version whose PUT has returned
    let stop = false;
    const results: { status: number; version: number; body: string; minVersion: number }[] = [];

    const client = async () => {
      while (!stop) {
        const minVersion = liveFrom;
        const response = await app(project, "/");
        const body = await response.text();
        results.push({
          status: response.status,
          version: Number(response.headers.get("x-app-version")),
          body,
          minVersion,
        });
      }
    };
    const clients = Array.from({ length: 6 }, client);
    for (let i = 1; i <= 50; i++) {
      const { version } = await deploy(project, counterApp(`v${i}`));
      liveFrom = version;
    }
    stop = true;
    await Promise.all(clients);

    expect(results.length).toBeGreaterThan(50);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    // A request that started after a save returned ran on that version or a later one.
    expect(results.filter((r) => r.version < r.minVersion)).toEqual([]);
    // The body names the code that ran, which must be the version the header reports.
    expect(results.filter((r) => !r.body.startsWith(`v${r.version - 1} `))).toEqual([]);
    // Exactly one row per response: nothing lost and nothing replayed.
    const response = await api.send("runSql", { ...on(project), body: { sql: "SELECT count(*) AS n FROM hits" } });
    const { rows } = (await response.json()) as SqlResult;
    expect(rows[0]?.[0]).toBe(results.length);
  });
});
