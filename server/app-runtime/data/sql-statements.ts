/**
 * Where one `sql.exec()` call's statements begin and end, for the meter inside the app's isolate.
 *
 * Why the meter needs it: `exec("INSERT ...; INSERT ...; SELECT 1")` runs every statement, but the
 * cursor it returns only counts the last one's rows (two inserts in one call report 1 row
 * written). An app could hide any amount of work in front of a cheap last statement,
 * so the meter runs such a call as its statements one by one, exactly as workerd does (all but the
 * last are stepped once and discarded; only the last may have bindings; empty statements are
 * skipped; a trailing comment is an error), and counts each. It also says which statements write,
 * for the database size limit (writes are refused past it; reads and deletes still run).
 *
 * The splitting follows SQLite's own rule (sqlite3_complete): a `;` ends a statement unless it is in
 * a string, a quoted name or a comment, or inside a CREATE TRIGGER body, which ends at `; END ;`.
 *
 * It runs inside the app's isolate, after the app's code may have replaced any built-in, so it uses
 * string methods kept when this module evaluated (before the app's) and builds its result without
 * property assignments an inherited setter could catch (objects without a prototype).
 */
import { uncurry } from "../originals";

/** A statement of a call: its text (with what follows it up to the next), and what the meter needs to know. */
export interface SqlPiece {
  readonly __proto__?: null;
  text: string;
  /** No tokens: only blanks, comments or a lone ";". */
  empty: boolean;
  /** Has a ?, ?NNN, :name, @name or $name parameter. */
  hasParams: boolean;
  /**
   * "read" (SELECT, VALUES, PRAGMA, EXPLAIN, a WITH that selects, or nothing), "delete" (DELETE, DROP,
   * a WITH that deletes) or "write" (anything else).
   */
  kind: "read" | "delete" | "write";
}

/** The pieces of a call, as an array-like without a prototype. */
export interface SqlPieces {
  readonly __proto__?: null;
  length: number;
  [index: number]: SqlPiece;
}

/** What the splitter knows of the statement it is in. */
interface StatementState {
  readonly __proto__?: null;
  tokens: number;
  comments: number;
  hasParams: boolean;
  depth: number;
  /** Its first words (up to 6), upper-cased. */
  words: { readonly __proto__?: null; length: number; [index: number]: string };
  leading: boolean;
  /** After a leading WITH: the statement it leads to. */
  main: string | null;
  trigger: boolean;
  afterSemi: boolean;
  endAfterSemi: boolean;
}

const sqlCharCodeAt: (text: string, index: number) => number = uncurry(String.prototype.charCodeAt);
const sqlSlice: (text: string, start: number, end?: number) => string = uncurry(String.prototype.slice);
/** String.prototype.indexOf as it was before the app ran. */
export const sqlIndexOf: (text: string, search: string, from?: number) => number = uncurry(String.prototype.indexOf);
const sqlToUpperCase: (text: string) => string = uncurry(String.prototype.toUpperCase);

function sqlIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
}

function sqlIdentPart(c: number): boolean {
  return sqlIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}

function newState(): StatementState {
  return {
    __proto__: null,
    tokens: 0,
    comments: 0,
    hasParams: false,
    depth: 0,
    words: { __proto__: null, length: 0 },
    leading: true,
    main: null,
    trigger: false,
    afterSemi: false,
    endAfterSemi: false,
  };
}

/** The statements of `sql`, as workerd runs them one by one. */
export function splitSqlStatements(sql: string): SqlPieces {
  const out: SqlPieces = { __proto__: null, length: 0 };
  const n = sql.length;
  let start = 0;
  let i = 0;
  let state = newState();
  const reset = () => {
    state = newState();
  };
  const leadingWord = (k: number) => (k < state.words.length ? state.words[k] : null);
  const kindOf = (): SqlPiece["kind"] => {
    const first = leadingWord(0);
    if (state.tokens === 0 || first === null) return state.tokens === 0 ? "read" : "write";
    if (first === "SELECT" || first === "VALUES" || first === "PRAGMA" || first === "EXPLAIN") return "read";
    if (first === "DELETE" || first === "DROP") return "delete";
    if (first === "WITH") {
      if (state.main === "SELECT" || state.main === "VALUES") return "read";
      if (state.main === "DELETE") return "delete";
    }
    return "write";
  };
  const push = (end: number) => {
    const piece: SqlPiece = {
      __proto__: null,
      text: sqlSlice(sql, start, end),
      empty: state.tokens === 0,
      hasParams: state.hasParams,
      kind: kindOf(),
    };
    out[out.length] = piece;
    out.length = out.length + 1;
  };
  const token = (word: string | null) => {
    state.tokens++;
    if (state.trigger) {
      state.endAfterSemi = state.afterSemi && word === "END";
      state.afterSemi = false;
    }
    if (state.leading) {
      if (word === null || state.words.length >= 6) {
        state.leading = false;
      } else {
        state.words[state.words.length] = word;
        state.words.length = state.words.length + 1;
        const skip =
          leadingWord(0) === "EXPLAIN" ? (leadingWord(1) === "QUERY" && leadingWord(2) === "PLAN" ? 3 : 1) : 0;
        const second = leadingWord(skip + 1);
        if (
          leadingWord(skip) === "CREATE" &&
          (second === "TRIGGER" ||
            ((second === "TEMP" || second === "TEMPORARY") && leadingWord(skip + 2) === "TRIGGER"))
        ) {
          state.trigger = true;
        }
      }
    }
    if (
      word !== null &&
      state.main === null &&
      state.depth === 0 &&
      state.tokens > 1 &&
      leadingWord(0) === "WITH" &&
      (word === "SELECT" ||
        word === "VALUES" ||
        word === "INSERT" ||
        word === "UPDATE" ||
        word === "DELETE" ||
        word === "REPLACE")
    ) {
      state.main = word;
    }
  };
  while (i < n) {
    const c = sqlCharCodeAt(sql, i);
    if (c === 32 || c === 9 || c === 10 || c === 12 || c === 13) {
      i++;
      continue;
    }
    if (c === 45 && sqlCharCodeAt(sql, i + 1) === 45) {
      const end = sqlIndexOf(sql, "\n", i + 2);
      i = end < 0 ? n : end + 1;
      state.comments++;
      continue;
    }
    if (c === 47 && sqlCharCodeAt(sql, i + 1) === 42) {
      const end = sqlIndexOf(sql, "*/", i + 2);
      i = end < 0 ? n : end + 2;
      state.comments++;
      continue;
    }
    if (c === 59) {
      i++;
      if (state.trigger && !state.endAfterSemi) {
        state.tokens++;
        state.afterSemi = true;
        continue;
      }
      push(i);
      start = i;
      reset();
      continue;
    }
    if (c === 39 || c === 34 || c === 96) {
      i++;
      while (i < n) {
        if (sqlCharCodeAt(sql, i) === c) {
          if (sqlCharCodeAt(sql, i + 1) === c) {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      token(null);
      continue;
    }
    if (c === 91) {
      const end = sqlIndexOf(sql, "]", i + 1);
      i = end < 0 ? n : end + 1;
      token(null);
      continue;
    }
    if (sqlIdentStart(c)) {
      let j = i + 1;
      while (j < n && sqlIdentPart(sqlCharCodeAt(sql, j))) j++;
      token(sqlToUpperCase(sqlSlice(sql, i, j)));
      i = j;
      continue;
    }
    if (c === 63 || ((c === 58 || c === 64 || c === 36) && sqlIdentPart(sqlCharCodeAt(sql, i + 1)))) {
      state.hasParams = true;
      i++;
      while (i < n && sqlIdentPart(sqlCharCodeAt(sql, i))) i++;
      token(null);
      continue;
    }
    if (c >= 48 && c <= 57) {
      while (i < n && (sqlIdentPart(sqlCharCodeAt(sql, i)) || sqlCharCodeAt(sql, i) === 46)) i++;
      token(null);
      continue;
    }
    if (c === 40) state.depth++;
    if (c === 41) state.depth--;
    i++;
    token(null);
  }
  if (start < n || out.length === 0) {
    if (state.tokens === 0 && state.comments === 0 && out.length > 0) {
      // Blanks after the last ";" belong to the statement before them, as they do for workerd.
      const last = out[out.length - 1] as SqlPiece;
      out[out.length - 1] = {
        __proto__: null,
        text: last.text + sqlSlice(sql, start, n),
        empty: last.empty,
        hasParams: last.hasParams,
        kind: last.kind,
      };
    } else {
      push(n);
    }
  }
  return out;
}
