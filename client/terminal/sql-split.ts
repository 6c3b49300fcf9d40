/**
 * Where SQL statements end, as the sqlite3 shell decides it: at a `;` outside quotes, identifiers
 * and comments, except inside a CREATE TRIGGER body, which ends at `END;`.
 */

export interface SplitResult {
  /** Complete statements, each with its `;`. */
  statements: string[];
  /** Text after the last complete statement; blank or comments only when the input is complete. */
  rest: string;
}

const TRIGGER_START = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*create\s+(?:temp\s+|temporary\s+)?trigger\b/i;

export function splitStatements(text: string): SplitResult {
  const statements: string[] = [];
  let start = 0;
  let lastWord = "";
  let word = "";
  let i = 0;
  const endWord = () => {
    if (word) lastWord = word;
    word = "";
  };
  while (i < text.length) {
    const c = text[i] ?? "";
    const next = text[i + 1] ?? "";
    if (c === "-" && next === "-") {
      endWord();
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (c === "/" && next === "*") {
      endWord();
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    if (c === "'" || c === '"' || c === "`" || c === "[") {
      endWord();
      lastWord = "";
      i = quotedEnd(text, i) + 1;
      continue;
    }
    if (/[A-Za-z0-9_$]/.test(c)) {
      word += c;
      i++;
      continue;
    }
    endWord();
    if (c === ";") {
      const statement = text.slice(start, i + 1);
      const inTrigger = TRIGGER_START.test(statement) && lastWord.toLowerCase() !== "end";
      if (!inTrigger) {
        statements.push(statement.trim());
        start = i + 1;
      }
    }
    if (!/\s/.test(c)) lastWord = c === ";" ? lastWord : "";
    i++;
  }
  return { statements, rest: text.slice(start) };
}

/** True when `text` holds only whitespace and comments. */
export function isBlank(text: string): boolean {
  return stripComments(text).trim() === "";
}

/** True when the input is ready to run: at least one statement and nothing unfinished after it. */
export function isComplete(text: string): boolean {
  const { statements, rest } = splitStatements(text);
  return statements.length > 0 && isBlank(rest);
}

/**
 * One line for the history: comments dropped and line breaks outside string literals turned into
 * spaces, so Up brings back a statement that can be edited and run as it was.
 */
export function collapse(text: string): string {
  return stripComments(text, true).trim();
}

function stripComments(text: string, joinLines = false): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? "";
    const next = text[i + 1] ?? "";
    if (c === "-" && next === "-") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
      continue;
    }
    if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
      out += " ";
      continue;
    }
    if (c === "'" || c === '"' || c === "`" || c === "[") {
      const j = quotedEnd(text, i);
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (joinLines && (c === "\n" || c === "\r")) {
      out = `${out.trimEnd()} `;
      i++;
      while (i < text.length && /[ \t\r\n]/.test(text[i] ?? "")) i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/**
 * Where the quoted string or bracketed name opening at `start` (', ", ` or [) ends: the index of its
 * closing character, or the text's length when it is not closed.
 */
function quotedEnd(text: string, start: number): number {
  const open = text[start];
  const close = open === "[" ? "]" : open;
  let j = start + 1;
  while (j < text.length) {
    if (text[j] === close) {
      // Doubled quotes are an escaped quote, not the end (brackets have no escape).
      if (close !== "]" && text[j + 1] === close) {
        j += 2;
        continue;
      }
      break;
    }
    j++;
  }
  return j;
}
