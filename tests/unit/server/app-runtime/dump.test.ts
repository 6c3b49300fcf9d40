/** The dump's encoding (typed values, kv pairs), its SQL rendering, and the snapshot settings' parsing. */
import { describe, expect, it, vi } from "vitest";
import type { RawDump } from "../../../../server/app-runtime/protocol";
import { decodeDump, dumpToSql, encodeDump, sqlLiteral } from "../../../../server/supervisor/time-travel/dump";
import { snapshotDefaults } from "../../../../server/supervisor/time-travel/snapshots";
import { DataDump } from "../../../../shared/dump";
import { formatBytes } from "../../../../shared/format";

const raw: RawDump = {
  schema: [
    { type: "table", name: "t", tableName: "t", sql: "CREATE TABLE t (a, b)" },
    { type: "index", name: "t_a", tableName: "t", sql: "CREATE INDEX t_a ON t (a)" },
  ],
  tables: [
    {
      name: "t",
      columns: ["a", "b"],
      rows: [
        ["integer", "9007199254740993", "real", 1],
        ["integer", "-5", "real", Number.POSITIVE_INFINITY],
        ["text", "it's", "blob", new Uint8Array([0, 255]).buffer],
        ["null", null, "real", 0.25],
      ],
    },
  ],
  sequences: [{ table: "t", seq: "7" }],
  kv: [
    ["when", new Date(5)],
    ["big", 10n],
  ],
};

describe("dump encoding", () => {
  it("tags what JSON would lose, and the schema accepts the result", () => {
    const dump = encodeDump(raw, 1000);
    expect(DataDump.safeParse(dump).success).toBe(true);
    expect(dump.tables[0]?.rows).toEqual([
      [{ int: "9007199254740993" }, { real: 1 }],
      [-5, { real: "Infinity" }],
      ["it's", { blob: "AP8=" }],
      [null, 0.25],
    ]);
    expect(dump.kv.map((p) => p.key)).toEqual(["when", "big"]);
  });

  it("decodes to the values the facet binds, kv values included", () => {
    const decoded = decodeDump(encodeDump(raw, 1000));
    const rows = decoded.tables[0]?.rows ?? [];
    expect(rows[0]).toEqual([{ int: "9007199254740993" }, { real: 1 }]);
    expect(rows[1]).toEqual([-5, { real: Number.POSITIVE_INFINITY }]);
    expect([...new Uint8Array(rows[2]?.[1] as ArrayBuffer)]).toEqual([0, 255]);
    expect(decoded.kv[0]?.[1]).toEqual(new Date(5));
    expect(decoded.kv[1]?.[1]).toBe(10n);
  });

  it("refuses a row whose values do not match its columns", () => {
    const dump = encodeDump(raw, 1000);
    dump.tables[0]?.rows.push([1]);
    expect(() => decodeDump(dump)).toThrow(/a row of t has 1 values for 2 columns/);
  });

  it("renders a SQL script whose literals keep each type", () => {
    const sql = dumpToSql(encodeDump(raw, 0));
    expect(sql).toContain("CREATE TABLE t (a, b);");
    expect(sql).toContain(`INSERT INTO "t"("a","b") VALUES(9007199254740993,1.0);`);
    expect(sql).toContain(`INSERT INTO "t"("a","b") VALUES(-5,9e999);`);
    expect(sql).toContain(`INSERT INTO "t"("a","b") VALUES('it''s',X'00ff');`);
    expect(sql).toContain(`INSERT INTO "t"("a","b") VALUES(NULL,0.25);`);
    expect(sql.indexOf("CREATE INDEX")).toBeGreaterThan(sql.indexOf("INSERT INTO"));
    expect(sql).toContain("INSERT INTO sqlite_sequence(name,seq) VALUES('t',7);");
    expect(sql).toMatch(/-- 2 storage\.kv pair\(s\), not SQL/);
    expect(sqlLiteral({ real: "-Infinity" })).toBe("-9e999");
  });
});

describe("snapshot settings", () => {
  it("reads the deployment's defaults and falls back on nonsense", () => {
    expect(snapshotDefaults({})).toEqual({ maxVersions: 20, maxBytes: 200 * 1024 * 1024 });
    expect(snapshotDefaults({ SNAPSHOT_MAX_VERSIONS: "5", SNAPSHOT_MAX_MIB: "0.5" })).toEqual({
      maxVersions: 5,
      maxBytes: 512 * 1024,
    });
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(snapshotDefaults({ SNAPSHOT_MAX_VERSIONS: "lots" }).maxVersions).toBe(20);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/SNAPSHOT_MAX_VERSIONS must be a number/));
    error.mockRestore();
  });

  it("formats sizes for people", () => {
    expect(formatBytes(800)).toBe("800 B");
    expect(formatBytes(12 * 1024)).toBe("12 KiB");
    expect(formatBytes(1.45 * 1024 * 1024)).toBe("1.5 MiB");
  });
});
