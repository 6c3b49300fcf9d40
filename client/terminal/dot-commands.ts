/**
 * The console's dot commands, after the sqlite3 shell's: .tables, .schema, .help, .clear; and, for a
 * Worker project, .objects and .object to pick the object whose database the console runs on.
 */
import { formatBytes } from "../../shared/format";
import type { ObjectsResponse } from "../../shared/objects";
import type { SqlParam, SqlResult } from "../../shared/sql";
import { visibleControls } from "../../shared/terminal-text";
import { displayWidth, style } from "./ansi";

/** `object`: run it on that object instead of the console's current one. */
export type RunSql = (sql: string, params?: SqlParam[], object?: string) => Promise<SqlResult>;

export interface DotContext {
  run: RunSql;
  print(text: string): void;
  clear(): void;
  cols: number;
  /** The project's objects (a Worker project's). */
  objects(): Promise<ObjectsResponse>;
  /** The object the console runs on (null: the App, or the object the app uses most). */
  object: string | null;
  setObject(object: string | null): void;
}

/** `storage.kv` keeps its data in `_cf_KV`; such tables are the runtime's and reading them fails. */
const INTERNAL = "(name LIKE '\\_cf\\_%' ESCAPE '\\' OR name LIKE 'sqlite\\_%' ESCAPE '\\')";

const HELP = [
  `${style.bold("SQL console")} on the app's own SQLite database (the one ${style.cyan("this.ctx.storage.sql")} uses).`,
  "End a statement with ; to run it; it may span lines. Several statements on a line run in order.",
  "",
  `  ${style.bold(".tables")}           list tables and views`,
  `  ${style.bold(".schema")} ${style.gray("[TABLE]")}   show CREATE statements`,
  `  ${style.bold(".objects")}          a Worker project's Durable Objects, with their sizes`,
  `  ${style.bold(".object")} ${style.gray("[NAME]")}    run SQL on that object (its Class:name, name or ID); no NAME: the most used`,
  `  ${style.bold(".clear")}            clear the screen (also Ctrl+L)`,
  `  ${style.bold(".help")}             this text`,
  "",
  `${style.gray("Keys: Up/Down history · Ctrl+C cancel the input · Ctrl+A/E start/end · Ctrl+U/K cut · Ctrl+W delete word")}`,
  `${style.gray("Log lines from the app print above the prompt as they happen.")}`,
].join("\r\n");

export async function runDotCommand(input: string, ctx: DotContext): Promise<void> {
  const [command = "", ...args] = input.trim().split(/\s+/);
  switch (command) {
    case ".help":
      ctx.print(HELP);
      return;
    case ".clear":
      ctx.clear();
      return;
    case ".tables":
      return tables(ctx, args[0]);
    case ".schema":
      return schema(ctx, args[0]);
    case ".objects":
      return objects(ctx);
    case ".object":
      return chooseObject(ctx, args.join(" "));
    default:
      ctx.print(style.red(`Unknown command ${command}. Try .help`));
  }
}

async function tables(ctx: DotContext, pattern?: string): Promise<void> {
  const result = await ctx.run(
    "SELECT name, " +
      INTERNAL +
      " AS internal FROM sqlite_master WHERE type IN ('table', 'view')" +
      (pattern ? " AND name LIKE ?" : "") +
      " ORDER BY name",
    pattern ? [pattern] : undefined,
  );
  const names: string[] = [];
  const hidden: string[] = [];
  for (const [name, internal] of result.rows) {
    if (typeof name !== "string") continue;
    (internal ? hidden : names).push(name);
  }
  if (names.length === 0) ctx.print(style.gray("No tables yet. Create one with CREATE TABLE ...;"));
  else ctx.print(columns(names, ctx.cols));
  const runtime = hidden.filter((n) => n.startsWith("_cf_"));
  if (runtime.length > 0) {
    ctx.print(
      style.gray(
        `(${runtime.join(", ")} ${runtime.length === 1 ? "is" : "are"} internal: the runtime keeps storage.kv there, and it cannot be read from SQL)`,
      ),
    );
  }
}

async function objects(ctx: DotContext): Promise<void> {
  const listed = await ctx.objects();
  if (!listed.worker) {
    ctx.print(
      style.gray(
        "An App project has one object, its App: the console runs on its database. (A wrangler.jsonc makes a Worker project with many.)",
      ),
    );
    return;
  }
  if (listed.objects.length === 0) {
    ctx.print(style.gray("No Durable Objects yet: the app makes one when its code first calls it."));
    return;
  }
  // Names come from the app's code, which visitors may choose: shown with their controls visible, never run.
  const width = Math.max(...listed.objects.map((o) => displayWidth(visibleControls(o.label)))) + 2;
  for (const [i, o] of listed.objects.entries()) {
    const size = o.bytes === null ? "size not measured" : formatBytes(o.bytes);
    const mark = (ctx.object ?? (i === 0 ? o.label : null)) === o.label ? style.cyan("▸ ") : "  ";
    const label = visibleControls(o.label);
    ctx.print(
      `${mark}${label}${" ".repeat(width - displayWidth(label))}${style.gray(`${o.requests} call${o.requests === 1 ? "" : "s"} · ${size}`)}`,
    );
  }
  ctx.print(style.gray(`${listed.objects.length} of ${listed.limit} objects. .object NAME runs SQL on one.`));
}

async function chooseObject(ctx: DotContext, name: string): Promise<void> {
  if (!name) {
    ctx.setObject(null);
    ctx.print(style.cyan("SQL now runs on the object the app uses most"));
    return;
  }
  // Checked by running nothing on it: an unknown object answers with why.
  await ctx.run("SELECT 1", undefined, name);
  ctx.setObject(name);
  ctx.print(style.cyan(`SQL now runs on ${visibleControls(name)}'s database`));
}

async function schema(ctx: DotContext, table?: string): Promise<void> {
  const result = await ctx.run(
    `SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND NOT ${INTERNAL}` +
      (table ? " AND tbl_name LIKE ?" : "") +
      " ORDER BY tbl_name, type DESC, name",
    table ? [table] : undefined,
  );
  const statements = result.rows.flatMap(([sql]) => (typeof sql === "string" ? [`${sql};`] : []));
  if (statements.length === 0) {
    ctx.print(style.gray(table ? `No table matches ${table}.` : "No schema yet."));
    return;
  }
  ctx.print(statements.join("\r\n").replace(/\r?\n/g, "\r\n"));
}

/** Names laid out in columns across the terminal, as `ls` and the sqlite3 shell do. */
export function columns(names: string[], cols: number): string {
  const width = Math.max(...names.map((n) => displayWidth(n))) + 2;
  const perRow = Math.max(1, Math.floor(cols / width));
  const rows = Math.ceil(names.length / perRow);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = "";
    for (let c = 0; c < perRow; c++) {
      const name = names[c * rows + r];
      if (name !== undefined) line += name + " ".repeat(width - displayWidth(name));
    }
    lines.push(line.trimEnd());
  }
  return lines.join("\r\n");
}
