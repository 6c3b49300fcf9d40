/**
 * The SQL console's line editor, free of xterm.js: it turns keys into edits of the pending input and
 * says when the input is ready to run. A statement may span lines; it is ready when it ends with `;`
 * (see sql-split.ts), and a dot command is ready at the end of its line.
 */
import type { Key } from "./keys";
import { collapse, isComplete } from "./sql-split";

export const PROMPT = "sql> ";
export const CONTINUATION_PROMPT = "...> ";

export type EditResult =
  | { type: "none" }
  /** The input is complete: run it. `lines` is what the screen showed, prompts excluded. */
  | { type: "submit"; text: string; lines: string[] }
  /** Enter on an empty prompt: leave it in the scrollback and show a fresh one. */
  | { type: "blank" }
  /** Ctrl+C: the pending input was dropped. */
  | { type: "cancel"; lines: string[] }
  | { type: "clear-screen" };

export interface HistoryStore {
  entries(): string[];
  add(entry: string): void;
}

export class LineEditor {
  /** Lines of the statement already entered (a continuation is in progress when non-empty). */
  committed: string[] = [];
  /** The line being edited, as code points so the cursor never splits a character. */
  #chars: string[] = [];
  #cursor = 0;
  /** Position in the history while walking it with Up/Down; `null` when editing a fresh line. */
  #historyIndex: number | null = null;
  #draft = "";
  #history: HistoryStore;

  constructor(history: HistoryStore) {
    this.#history = history;
  }

  get line(): string {
    return this.#chars.join("");
  }

  get cursor(): number {
    return this.#cursor;
  }

  /** The text before the cursor on the current line, for placing the terminal cursor. */
  get beforeCursor(): string {
    return this.#chars.slice(0, this.#cursor).join("");
  }

  get prompt(): string {
    return this.committed.length > 0 ? CONTINUATION_PROMPT : PROMPT;
  }

  get isEmpty(): boolean {
    return this.committed.length === 0 && this.#chars.length === 0;
  }

  setLine(text: string): void {
    this.#chars = Array.from(text);
    this.#cursor = this.#chars.length;
  }

  reset(): void {
    this.committed = [];
    this.setLine("");
    this.#historyIndex = null;
    this.#draft = "";
  }

  handle(key: Key): EditResult {
    switch (key.type) {
      case "char":
        this.#insert(key.text);
        return { type: "none" };
      case "tab":
        this.#insert("  ");
        return { type: "none" };
      case "enter":
        return this.#enter();
      case "backspace":
        if (this.#cursor > 0) {
          this.#chars.splice(this.#cursor - 1, 1);
          this.#cursor--;
        }
        return { type: "none" };
      case "delete":
        this.#chars.splice(this.#cursor, 1);
        return { type: "none" };
      case "eof":
        // Ctrl+D deletes forward like readline; it never closes the console.
        this.#chars.splice(this.#cursor, 1);
        return { type: "none" };
      case "left":
        this.#cursor = Math.max(0, this.#cursor - 1);
        return { type: "none" };
      case "right":
        this.#cursor = Math.min(this.#chars.length, this.#cursor + 1);
        return { type: "none" };
      case "home":
        this.#cursor = 0;
        return { type: "none" };
      case "end":
        this.#cursor = this.#chars.length;
        return { type: "none" };
      case "word-left":
        this.#cursor = this.#wordStart();
        return { type: "none" };
      case "word-right":
        this.#cursor = this.#wordEnd();
        return { type: "none" };
      case "delete-word-left": {
        const start = this.#wordStart();
        this.#chars.splice(start, this.#cursor - start);
        this.#cursor = start;
        return { type: "none" };
      }
      case "delete-word-right":
        this.#chars.splice(this.#cursor, this.#wordEnd() - this.#cursor);
        return { type: "none" };
      case "kill-to-start":
        this.#chars.splice(0, this.#cursor);
        this.#cursor = 0;
        return { type: "none" };
      case "kill-to-end":
        this.#chars.splice(this.#cursor);
        return { type: "none" };
      case "up":
        this.#walkHistory(-1);
        return { type: "none" };
      case "down":
        this.#walkHistory(1);
        return { type: "none" };
      case "interrupt": {
        const lines = [...this.committed, this.line];
        this.reset();
        return { type: "cancel", lines };
      }
      case "clear-screen":
        return { type: "clear-screen" };
      default:
        return { type: "none" };
    }
  }

  #insert(text: string): void {
    const chars = Array.from(text);
    this.#chars.splice(this.#cursor, 0, ...chars);
    this.#cursor += chars.length;
  }

  #enter(): EditResult {
    const lines = [...this.committed, this.line];
    const text = lines.join("\n");
    if (this.committed.length === 0 && this.line.trim() === "") {
      this.reset();
      return { type: "blank" };
    }
    const isDot = this.committed.length === 0 && this.line.trimStart().startsWith(".");
    if (isDot || isComplete(text)) {
      const submitted = isDot ? this.line.trim() : text;
      this.#history.add(isDot ? submitted : collapse(text));
      this.reset();
      return { type: "submit", text: submitted, lines };
    }
    this.committed.push(this.line);
    this.setLine("");
    this.#historyIndex = null;
    return { type: "none" };
  }

  #walkHistory(step: -1 | 1): void {
    const entries = this.#history.entries();
    if (entries.length === 0) return;
    if (this.#historyIndex === null) {
      if (step === 1) return;
      this.#draft = this.line;
      this.#historyIndex = entries.length;
    }
    const next = this.#historyIndex + step;
    if (next < 0) return;
    if (next >= entries.length) {
      this.#historyIndex = null;
      this.setLine(this.#draft);
      return;
    }
    this.#historyIndex = next;
    this.setLine(entries[next] ?? "");
  }

  #wordStart(): number {
    let i = this.#cursor;
    while (i > 0 && !isWordChar(this.#chars[i - 1])) i--;
    while (i > 0 && isWordChar(this.#chars[i - 1])) i--;
    return i;
  }

  #wordEnd(): number {
    let i = this.#cursor;
    while (i < this.#chars.length && !isWordChar(this.#chars[i])) i++;
    while (i < this.#chars.length && isWordChar(this.#chars[i])) i++;
    return i;
  }
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}_]/u.test(char);
}
