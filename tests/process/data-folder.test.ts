/**
 * The data folder under `npm start` (scripts/data-folder.mjs, server/data-folder.ts): requests for
 * projects and credentials that do not exist leave no file in it, and a change that would take it
 * past the operator's ceiling (FACET_IDE_MAX_DATA_FOLDER_MB, 24 MiB here) is refused before it
 * writes. One server for the file.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { api, appRequest, clientOf, counterSource, createProject, deploy, serverForFile } from "./ide-server";

const server = serverForFile({ env: { FACET_IDE_MAX_DATA_FOLDER_MB: "24" } });

/** Every file under `dir`, however deep. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

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
    const project = await createProject(server);
    const on = { params: { id: project.id }, credential: project.token };
    let refused: Response | null = null;
    let saved = 0;
    for (let i = 0; i < 20 && !refused; i++) {
      await appRequest(server, project.id, "/grow");
      const save = await clientOf(server).send("putCode", { ...on, body: { files: { "app.ts": growing(`v${i}`) } } });
      if (save.status === 507) refused = save;
      else {
        expect(save.status, await save.text()).toBe(200);
        saved++;
      }
    }
    if (!refused) throw new Error("20 saves of a growing database never reached a 24 MiB ceiling");
    const folderMiB = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    const onDisk = filesUnder(server.dataDir).reduce((sum, f) => sum + statSync(f).size, 0);
    const message = ((await refused.json()) as { error: { code: string; message: string } }).error;
    console.log(`after ${saved} saves (the data folder at ${folderMiB(onDisk)} MiB):`, message);
    expect(message.code).toBe("insufficient_storage");
    // Each save was let through only while it fitted: the folder is at most the ceiling, give or take
    // what SQLite keeps beside a database (its write-ahead log).
    expect(onDisk).toBeLessThan(28 * 1024 * 1024);
    expect(message.message).toMatch(/past the operator's ceiling of 24\.0 MiB \(FACET_IDE_MAX_DATA_FOLDER_MB\)/);
    // Nothing was written: the live version is the last one saved.
    const versions = await clientOf(server).call("listVersions", on);
    expect(versions.versions).toHaveLength(saved);
    expect(await (await appRequest(server, project.id)).text()).toMatch(new RegExp(`^v${saved - 1} blobs=\\d+$`));
    // A snapshot taken now, and an import of the project's bundle, would pass it too.
    const snapshot = await clientOf(server).send("takeSnapshot", on);
    expect(snapshot.status, await snapshot.clone().text()).toBe(507);
    const bundle = await clientOf(server).call("exportProject", on);
    const imported = await clientOf(server).send("importProject", { body: { ...bundle, name: "one-too-many" } });
    expect(imported.status).toBe(507);
    expect(await imported.text()).toMatch(/FACET_IDE_MAX_DATA_FOLDER_MB/);
    // A change that adds nothing to speak of still goes through.
    expect((await clientOf(server).send("getCode", on)).status).toBe(200);
  });
});
