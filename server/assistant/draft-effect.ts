/**
 * What a task left on the draft, for its `done` event: the draft's revision, each file's diff
 * against the live version, and the data effect (tables whose row counts differ between the live
 * database and the draft's copy, and schema differences). Read by the server with the project's
 * credential, not by the model: reading the live database here changes nothing.
 * Tables: none.
 */
import { z } from "zod";
import type { DataEffect, FileDiff } from "../../shared/assistant";
import { DraftResponse } from "../../shared/time-travel";
import type { Invoke } from "../mcp/tools";
import { filesDiff } from "./diffs";

export interface DraftEffect {
  draftRevision: number | null;
  files: FileDiff[];
  dataEffect: DataEffect | null;
}

const Rows = z.object({ rows: z.array(z.array(z.unknown())) });

/** The app's own tables (not SQLite's or the runtime's) with their CREATE statements. */
const TABLES_SQL =
  "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' ORDER BY name";

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (name: string) => `'${name.replaceAll("'", "''")}'`;

async function rows(invoke: Invoke, project: string, sql: string, target: "live" | "draft") {
  const ran = await invoke("runSql", { params: { id: project }, body: { sql, target } });
  const parsed = Rows.safeParse(ran.ok ? ran.value : null);
  return parsed.success ? parsed.data.rows : null;
}

/** Each table's schema and row count on one side; null when it could not be read. */
async function tablesOn(
  invoke: Invoke,
  project: string,
  target: "live" | "draft",
): Promise<Map<string, { sql: string; rows: number | null }> | null> {
  const listed = await rows(invoke, project, TABLES_SQL, target);
  if (!listed) return null;
  const tables = new Map<string, { sql: string; rows: number | null }>();
  for (const [name, sql] of listed) tables.set(String(name), { sql: String(sql ?? ""), rows: null });
  if (tables.size === 0) return tables;
  const counts = [...tables.keys()]
    .map((name) => `SELECT ${literal(name)} AS t, COUNT(*) AS n FROM ${quoted(name)}`)
    .join(" UNION ALL ");
  for (const [name, n] of (await rows(invoke, project, counts, target)) ?? []) {
    const table = tables.get(String(name));
    if (table && typeof n === "number") table.rows = n;
  }
  return tables;
}

export function compareTables(
  live: Map<string, { sql: string; rows: number | null }>,
  draft: Map<string, { sql: string; rows: number | null }>,
): DataEffect {
  const names = [...new Set([...live.keys(), ...draft.keys()])].sort();
  const tables: DataEffect["tables"] = [];
  const schemaChanges: string[] = [];
  for (const name of names) {
    const before = live.get(name);
    const after = draft.get(name);
    if (!before) schemaChanges.push(`added table ${name}: ${after?.sql ?? ""}`);
    else if (!after) schemaChanges.push(`dropped table ${name}`);
    else if (before.sql !== after.sql) schemaChanges.push(`changed table ${name}: ${after.sql}`);
    const rowsLive = before?.rows ?? null;
    const rowsDraft = after?.rows ?? null;
    if (rowsLive !== rowsDraft) tables.push({ name, rowsLive, rowsDraft });
  }
  return { tables, schemaChanges };
}

export async function draftEffect(invoke: Invoke, project: string): Promise<DraftEffect> {
  const read = await invoke("getDraft", { params: { id: project } });
  const parsed = DraftResponse.safeParse(read.ok ? read.value : null);
  const draft = parsed.success ? parsed.data.draft : null;
  if (!draft) return { draftRevision: null, files: [], dataEffect: null };
  const code = await invoke("getCode", { params: { id: project } });
  const live = z.object({ files: z.record(z.string(), z.string()) }).safeParse(code.ok ? code.value : null);
  const files = filesDiff(live.success ? live.data.files : {}, draft.files);
  const [liveTables, draftTables] = [await tablesOn(invoke, project, "live"), await tablesOn(invoke, project, "draft")];
  const dataEffect = liveTables && draftTables ? compareTables(liveTables, draftTables) : null;
  return { draftRevision: draft.revision, files, dataEffect };
}
