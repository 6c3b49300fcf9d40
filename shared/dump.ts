/**
 * A dump of an app's database: what fork, export and import carry from one project's facet to
 * another's (server/supervisor/time-travel/dump.ts takes and loads it). It is a SQL dump in JSON form: the
 * schema as SQLite's own CREATE statements, each table's rows as typed values (so every SQLite type
 * comes back as it was: a REAL 1.0 stays REAL, a 64-bit INTEGER keeps every digit, a BLOB its bytes),
 * the AUTOINCREMENT counters, and the `storage.kv` pairs, which SQL cannot read (`_cf_KV`).
 */
import { z } from "zod";

/**
 * One value of a row. JSON cannot tell an INTEGER from a REAL or hold a BLOB, so those that need it
 * are tagged: a plain number is an INTEGER when it is a whole number and a REAL otherwise.
 */
export const DumpValue = z.union([
  z.null(),
  z.string(),
  z.number(),
  /** An INTEGER beyond JavaScript's 2^53, as its decimal digits. */
  z.strictObject({ int: z.string().regex(/^-?\d{1,19}$/) }),
  /** A REAL that is a whole number (1.0) or not finite. */
  z.strictObject({ real: z.union([z.number(), z.enum(["Infinity", "-Infinity"])]) }),
  /** A BLOB, base64. */
  z.strictObject({ blob: z.string() }),
]);
export type DumpValue = z.infer<typeof DumpValue>;

/** A schema object as `sqlite_master` lists it, in creation order. */
export const DumpSchemaEntry = z.object({
  type: z.enum(["table", "index", "view", "trigger"]),
  name: z.string(),
  tableName: z.string(),
  sql: z.string(),
});
export type DumpSchemaEntry = z.infer<typeof DumpSchemaEntry>;

export const DumpTable = z.object({
  name: z.string(),
  /** The columns the rows list, in order (generated columns are left out: SQLite computes them). */
  columns: z.array(z.string()),
  rows: z.array(z.array(DumpValue)),
});
export type DumpTable = z.infer<typeof DumpTable>;

export const DataDump = z.object({
  format: z.literal("facet-ide-dump/1"),
  takenAt: z.number(),
  schema: z.array(DumpSchemaEntry),
  tables: z.array(DumpTable),
  /** AUTOINCREMENT counters (`sqlite_sequence`), so new rows do not reuse deleted ids. */
  sequences: z.array(z.object({ table: z.string(), seq: z.string().regex(/^-?\d{1,19}$/) })),
  /** `ctx.storage.kv` pairs; each value encoded with devalue (Map, Date, BigInt, ArrayBuffer ... survive). */
  kv: z.array(z.object({ key: z.string(), value: z.string() })),
});
export type DataDump = z.infer<typeof DataDump>;
