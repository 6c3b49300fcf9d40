/**
 * Dumps of an app's database, and loads of them (shared/dump.ts has the format). Fork, export and
 * import carry data between projects this way: another project is another supervisor, and a facet's
 * database can only be copied (`ctx.facets.clone`) inside one parent. The Data view's "export as
 * SQL" renders the same dump with `dumpToSql`.
 *
 * The facet's database is the app's, which the supervisor cannot open, so the dump is taken inside
 * the facet by methods the wrapped App class has (app-runtime/data/dump.ts, as the SQL console's method
 * is): one synchronous call, so the dump is consistent without a transaction, with the kv pairs read
 * with the kv API in the same call. Values cross the RPC boundary as they are (structured clone) and
 * are encoded for JSON here:
 * typed row values (see `DumpValue`), and kv values with devalue, which keeps Map, Set, Date,
 * BigInt, ArrayBuffer and undefined, where JSON would not.
 *
 * API for other modules:
 * - `takeDump(app)` / `loadDump(app, dump)` on an AppHost (while no request runs in the app; a
 *   load restarts it, so the next request starts the code on the loaded data);
 * - `dumpToSql(dump)`: the dump as a sqlite3-style SQL script.
 */
import * as devalue from "devalue";
import type { DataDump, DumpValue } from "../../../shared/dump";
import { messageOf } from "../../../shared/errors";
import {
  DATA_SIZE_METHOD,
  DUMP_METHOD,
  LOAD_METHOD,
  type LoadReport,
  type LoadValue,
  type ObjectRef,
  type RawDump,
  type RawLoad,
} from "../../app-runtime/protocol";
import { failure, type Outcome, success } from "../../outcome";
import { dumpSchemaRefusal } from "./dump-check";

/** A row value as the facet reads it: a type letter, then the value (an INTEGER as its digits). */
type RawType = "null" | "integer" | "real" | "text" | "blob";

/** The running app as the dump needs it: the wrapper's three methods. */
export interface DumpableApp {
  [DUMP_METHOD](): Promise<RawDump>;
  [LOAD_METHOD](dump: RawLoad): Promise<LoadReport>;
  [DATA_SIZE_METHOD](): Promise<number>;
}

/**
 * Access to an app's database while no request runs in it: AppHost fits (`withDatabase`). `target`:
 * a Worker project's object (null: the App's database).
 */
export interface DatabaseAccess {
  withDatabase<T>(
    label: string,
    work: (app: DumpableApp) => Promise<T>,
    options?: { restart?: boolean; target?: ObjectRef | null },
  ): Promise<T>;
}

/** Takes a dump of the app's database (and kv), through the gate, as JSON. */
export async function takeDump(app: DatabaseAccess, target: ObjectRef | null = null): Promise<Outcome<DataDump>> {
  try {
    const raw = await app.withDatabase("data dump", (facet) => facet[DUMP_METHOD](), { target });
    return success(encodeDump(raw, Date.now()));
  } catch (error) {
    return failure(dumpErrorCode(error), `The data could not be dumped: ${dumpErrorMessage(error)}`);
  }
}

/** Replaces the app's database (and kv) with `dump`, in one transaction. */
export async function loadDump(
  app: DatabaseAccess,
  dump: DataDump,
  target: ObjectRef | null = null,
): Promise<Outcome<LoadReport>> {
  const refusal = dumpSchemaRefusal(dump);
  if (refusal) return failure("bad_request", refusal);
  let raw: RawLoad;
  try {
    raw = decodeDump(dump);
  } catch (error) {
    return failure("bad_request", `The dump is malformed: ${messageOf(error)}`);
  }
  try {
    return success(await app.withDatabase("data load", (facet) => facet[LOAD_METHOD](raw), { restart: true, target }));
  } catch (error) {
    return failure(dumpErrorCode(error), `The data could not be loaded: ${dumpErrorMessage(error)}`);
  }
}

function dumpErrorCode(error: unknown): "payload_too_large" | "bad_request" {
  return /limited to \d+MiB/.test(messageOf(error)) ? "payload_too_large" : "bad_request";
}

function dumpErrorMessage(error: unknown): string {
  const message = messageOf(error).replace(/^Error:\s*/, "");
  const tooLarge = message.match(/limited to (\d+)MiB/);
  if (tooLarge) return `the database is too large to carry in one piece (a dump is limited to ${tooLarge[1]} MiB)`;
  return message;
}

/** The facet's raw dump as JSON: typed row values, devalue-encoded kv values. */
export function encodeDump(raw: RawDump, takenAt: number): DataDump {
  return {
    format: "facet-ide-dump/1",
    takenAt,
    schema: raw.schema,
    tables: raw.tables.map((t) => ({ name: t.name, columns: t.columns, rows: t.rows.map(encodeRow) })),
    sequences: raw.sequences,
    kv: raw.kv.map(([key, value]) => ({ key, value: devalue.stringify(value) })),
  };
}

function encodeRow(flat: unknown[]): DumpValue[] {
  const values: DumpValue[] = [];
  for (let i = 0; i < flat.length; i += 2) values.push(encodeValue(flat[i] as RawType, flat[i + 1]));
  return values;
}

function encodeValue(type: RawType, value: unknown): DumpValue {
  switch (type) {
    case "null":
      return null;
    case "integer":
      return safeNumber(String(value));
    case "real": {
      const n = Number(value);
      if (!Number.isFinite(n)) return { real: n > 0 ? "Infinity" : "-Infinity" };
      return Number.isInteger(n) ? { real: n } : n;
    }
    case "text":
      return String(value);
    case "blob":
      return { blob: toBase64(new Uint8Array(value as ArrayBuffer)) };
  }
}

/** An INTEGER's digits as a number when it fits JavaScript's safe range, else tagged. */
function safeNumber(digits: string): number | { int: string } {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : { int: digits };
}

/** A dump as the facet's load method takes it: values bound by type, kv values decoded. */
export function decodeDump(dump: DataDump): RawLoad {
  return {
    schema: dump.schema,
    tables: dump.tables.map((t) => {
      for (const row of t.rows) {
        if (row.length !== t.columns.length) {
          throw new Error(`a row of ${t.name} has ${row.length} values for ${t.columns.length} columns`);
        }
      }
      return { name: t.name, columns: t.columns, rows: t.rows.map((row) => row.map(decodeValue)) };
    }),
    sequences: dump.sequences,
    kv: dump.kv.map(({ key, value }) => [key, devalue.parse(value)]),
  };
}

function decodeValue(value: DumpValue): LoadValue {
  if (value === null || typeof value === "string") return value;
  if (typeof value === "number") return value;
  if ("int" in value) return { int: value.int };
  if ("real" in value) {
    const real = value.real;
    return { real: real === "Infinity" ? Infinity : real === "-Infinity" ? -Infinity : real };
  }
  return fromBase64(value.blob).buffer as ArrayBuffer;
}

/**
 * The dump as a SQL script in the sqlite3 shell's `.dump` style: schema, rows as INSERTs with
 * literals that keep each value's type (X'..' for BLOBs, 1.0 for a whole REAL), AUTOINCREMENT
 * counters, then indexes, views and triggers. The kv pairs follow as comments: they are not SQL
 * (the runtime keeps them in `_cf_KV`, which SQL cannot write), and go back through `storage.kv`.
 */
export function dumpToSql(dump: DataDump): string {
  const lines = [`-- facet-ide dump taken ${new Date(dump.takenAt).toISOString()}`, "BEGIN TRANSACTION;"];
  for (const entry of dump.schema) if (entry.type === "table") lines.push(`${entry.sql};`);
  for (const table of dump.tables) {
    const columns = table.columns.map(quoteName).join(",");
    for (const row of table.rows) {
      lines.push(`INSERT INTO ${quoteName(table.name)}(${columns}) VALUES(${row.map(sqlLiteral).join(",")});`);
    }
  }
  for (const { table, seq } of dump.sequences) {
    lines.push(`DELETE FROM sqlite_sequence WHERE name=${sqlLiteral(table)};`);
    lines.push(`INSERT INTO sqlite_sequence(name,seq) VALUES(${sqlLiteral(table)},${seq});`);
  }
  for (const entry of dump.schema) if (entry.type !== "table") lines.push(`${entry.sql};`);
  lines.push("COMMIT;");
  if (dump.kv.length > 0) {
    lines.push(`-- ${dump.kv.length} storage.kv pair(s), not SQL: key, then the value encoded with devalue`);
    for (const { key, value } of dump.kv) lines.push(`-- ${JSON.stringify(key)} ${value.replace(/\r?\n/g, " ")}`);
  }
  return `${lines.join("\n")}\n`;
}

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A SQL literal of a dump value, keeping its SQLite type. */
export function sqlLiteral(value: DumpValue): string {
  if (value === null) return "NULL";
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === "number") return String(value);
  if ("int" in value) return value.int;
  if ("real" in value) {
    const real = value.real;
    if (real === "Infinity") return "9e999";
    if (real === "-Infinity") return "-9e999";
    return Number.isInteger(real) ? `${real}.0` : String(real);
  }
  const bytes = fromBase64(value.blob);
  return `X'${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}'`;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
