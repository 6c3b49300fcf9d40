/**
 * Checks a dump's schema against what a real dump holds before any of it runs: each entry is one
 * statement as SQLite keeps it in `sqlite_master.sql` (app-runtime/data/dump.ts reads it there), of
 * the kind its `type` says. SQLite rewrites `CREATE TABLE t AS SELECT ...` to a column list there, so
 * a real dump's table is `CREATE TABLE name(...)` or `CREATE VIRTUAL TABLE name USING ...`: a table
 * made by a query (which could be an endless recursive CTE that freezes the runtime every project
 * shares) is refused, as is a second statement after the first, or a CTE in a table, index or
 * trigger. A view may hold any query (a real dump's views do): creating a view does not run it.
 */
import type { DataDump, DumpSchemaEntry } from "../../../shared/dump";

/** A token of SQL: a word (upper-cased), a quoted name or string (as "q"), or one punctuation character. */
function tokens(sql: string): string[] | string {
  const out: string[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      if (end < 0) return "an unterminated comment";
      i = end + 2;
    } else if (c === "'" || c === '"' || c === "`" || c === "[") {
      const close = c === "[" ? "]" : c;
      let j = i + 1;
      for (;;) {
        const end = sql.indexOf(close, j);
        if (end < 0) return "an unterminated quote";
        if (close !== "]" && sql[end + 1] === close) {
          j = end + 2;
          continue;
        }
        i = end + 1;
        break;
      }
      out.push("q");
    } else if (/[A-Za-z_0-9$\u0080-\uffff]/.test(c)) {
      let j = i;
      while (j < sql.length && /[A-Za-z_0-9$\u0080-\uffff]/.test(sql[j] as string)) j++;
      out.push(sql.slice(i, j).toUpperCase());
      i = j;
    } else {
      out.push(c);
      i++;
    }
  }
  return out;
}

/** Why an entry is not what a real dump holds, or null. */
export function schemaEntryRefusal(entry: DumpSchemaEntry): string | null {
  const t = tokens(entry.sql);
  if (typeof t === "string") return `its SQL has ${t}`;
  while (t.at(-1) === ";") t.pop();
  if (t[0] !== "CREATE") return "it is not a CREATE statement";
  let at = 1;
  const kind = entry.type;
  if (kind === "table") {
    if (t[at] === "VIRTUAL") {
      if (t[at + 1] !== "TABLE" || t[at + 3] !== "USING") return "it is not a CREATE VIRTUAL TABLE ... USING statement";
      at += 4;
    } else {
      if (t[at] !== "TABLE") return "it is not a CREATE TABLE statement";
      // SQLite keeps `CREATE TABLE name(...)` (a table made AS SELECT is kept with its column list).
      if (t[at + 2] !== "(")
        return "a table in a dump is CREATE TABLE name(...), never one made by a query (AS SELECT)";
      at += 2;
    }
  } else if (kind === "index") {
    if (t[at] === "UNIQUE") at++;
    if (t[at] !== "INDEX") return "it is not a CREATE INDEX statement";
  } else if (kind === "view") {
    if (t[at] !== "VIEW") return "it is not a CREATE VIEW statement";
  } else if (t[at] !== "TRIGGER") {
    return "it is not a CREATE TRIGGER statement";
  }
  const rest = t.slice(at);
  if (kind === "trigger") {
    // BEGIN (statement ;)+ END, and nothing after: a statement after END would run at load.
    const begin = rest.indexOf("BEGIN");
    if (begin < 0) return "a trigger without BEGIN ... END";
    let i = begin + 1;
    for (;;) {
      if (rest[i] === "END") break;
      const semicolon = rest.indexOf(";", i);
      if (semicolon < 0) return "a trigger without END";
      i = semicolon + 1;
    }
    if (i !== rest.length - 1) return "more than one statement";
    if (rest.includes("WITH") && rest.includes("RECURSIVE")) return "a trigger with a recursive CTE";
    return null;
  }
  if (rest.includes(";")) return "more than one statement";
  if (kind !== "view" && rest.includes("WITH") && rest.includes("RECURSIVE")) return "a recursive CTE";
  if (kind !== "view" && rest.includes("SELECT")) return "a query in a schema statement";
  return null;
}

/** Why a dump's schema cannot be loaded (its first entry that is not what a real dump holds), or null. */
export function dumpSchemaRefusal(dump: DataDump): string | null {
  for (const entry of dump.schema) {
    const why = schemaEntryRefusal(entry);
    if (why)
      return `The dump's schema entry ${JSON.stringify(entry.name)} (${entry.type}) is not what a dump holds: ${why}`;
  }
  return null;
}
