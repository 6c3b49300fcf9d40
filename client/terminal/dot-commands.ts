/** The console's dot commands, after the sqlite3 shell's: .tables, .schema, .help, .clear. */
import type { SqlParam, SqlResult } from "../../shared/sql";
import { displayWidth, style } from "./ansi";

export type RunSql = (sql: string, params?: SqlParam[]) => Promise<SqlResult>;

export interface DotContext {
  run: RunSql;
  print(text: string): void;
  clear(): void;
  cols: number;
}

/** `storage.kv` keeps its data in `_cf_KV`; such tables are the runtime's and reading them fails. */
const INTERNAL = "(name LIKE '\\_cf\\_%' ESCAPE '\\' OR name LIKE 'sqlite\\_%' ESCAPE '\\')";

const HELP = [
  `${style.bold("SQL console")} on the app's own SQLite database (the one ${style.cyan("this.ctx.storage.sql")} uses).`,
  "End a statement with ; to run it; it may span lines. Several statements on a line run in order.",
  "",
  `  ${style.bold(".tables")}           list tables and views`,
  `  ${style.bold(".schema")} ${style.gray("[TABLE]")}   show CREATE statements`,
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
