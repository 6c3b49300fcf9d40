/**
 * Draws the console's input block (the statement's lines with their prompts) at the bottom of the
 * terminal, and prints everything else above it. Output that arrives while someone types (log lines)
 * erases the block, prints, and draws the block again, so the input line is never garbled.
 */
import { displayWidth, style } from "./ansi";

export interface TermLike {
  write(data: string): void;
  readonly cols: number;
}

export interface BlockState {
  /** The prompt of each line and its text; the last line is the one being edited. */
  lines: { prompt: string; text: string }[];
  /** Text before the cursor on the last line. */
  beforeCursor: string;
}

interface Layout {
  widths: number[];
  cursorCells: number;
}

/** How an input character looks on screen: line breaks recalled from history show as a mark. */
export function visible(text: string): string {
  return text.replace(/\n/g, "↵");
}

function paintPrompt(prompt: string): string {
  return style.boldGreen(prompt.trimEnd()) + prompt.slice(prompt.trimEnd().length);
}

export class PromptView {
  #term: TermLike;
  /** What is on screen now, or null when no block is drawn. */
  #drawn: Layout | null = null;
  /** Rows between the block's first row and the row the cursor is on. */
  #cursorRow = 0;
  #state: () => BlockState | null;

  /** `state` returns the block to draw, or null while the console is busy and shows no prompt. */
  constructor(term: TermLike, state: () => BlockState | null) {
    this.#term = term;
    this.#state = state;
  }

  /** Prints `text` (whole lines) above the input block. */
  print(text: string): void {
    let out = this.#eraseSequence();
    out += text.endsWith("\n") || text === "" ? text : `${text}\r\n`;
    out += this.#drawSequence();
    this.#term.write(out);
  }

  /** Redraws the block after an edit. */
  refresh(): void {
    this.#term.write(this.#eraseSequence() + this.#drawSequence());
  }

  /**
   * Leaves the drawn block in the scrollback as it is (after Enter), so what was run stays visible
   * above its result; the next draw starts below it.
   */
  commit(suffix = ""): void {
    if (!this.#drawn) return;
    const { widths } = this.#drawn;
    const cols = Math.max(1, this.#term.cols);
    const last = widths[widths.length - 1] ?? 0;
    const endRow = rowsBefore(widths, cols) + Math.floor(last / cols);
    const down = endRow - this.#cursorRow;
    // A last line that filled its row exactly already left the cursor at the start of a fresh row.
    const onFreshRow = last > 0 && last % cols === 0;
    const end = onFreshRow && !suffix ? "" : `${suffix}\r\n`;
    this.#term.write(`${down > 0 ? `\x1b[${down}B` : ""}\x1b[${(last % cols) + 1}G${end}`);
    this.#drawn = null;
  }

  /** Wipes the screen and scrollback, keeping the block. */
  clearScreen(): void {
    this.#drawn = null;
    this.#term.write(`\x1b[2J\x1b[3J\x1b[H${this.#drawSequence()}`);
  }

  /** xterm.js reflows wrapped lines on resize; recompute where the cursor now is inside the block. */
  resized(): void {
    if (!this.#drawn) return;
    this.#cursorRow = cursorRowOf(this.#drawn, Math.max(1, this.#term.cols));
    this.refresh();
  }

  #eraseSequence(): string {
    if (!this.#drawn) return "";
    const up = this.#cursorRow > 0 ? `\x1b[${this.#cursorRow}A` : "";
    this.#drawn = null;
    this.#cursorRow = 0;
    return `${up}\r\x1b[J`;
  }

  #drawSequence(): string {
    const state = this.#state();
    if (!state || state.lines.length === 0) return "";
    const cols = Math.max(1, this.#term.cols);
    let out = "";
    const widths: number[] = [];
    state.lines.forEach(({ prompt, text }, i) => {
      const shown = visible(text);
      widths.push(displayWidth(prompt) + displayWidth(shown));
      out += paintPrompt(prompt) + shown;
      if (i < state.lines.length - 1) out += "\r\n";
    });
    const last = widths[widths.length - 1] ?? 0;
    // At an exact multiple of the width the cursor waits at the last column; step onto the next row
    // so the cursor arithmetic below holds.
    if (last > 0 && last % cols === 0) out += "\r\n";
    const lastPrompt = state.lines[state.lines.length - 1]?.prompt ?? "";
    const layout: Layout = {
      widths,
      cursorCells: displayWidth(lastPrompt) + displayWidth(visible(state.beforeCursor)),
    };
    const endRow = Math.floor(last / cols);
    const targetRow = Math.floor(layout.cursorCells / cols);
    if (endRow > targetRow) out += `\x1b[${endRow - targetRow}A`;
    out += `\x1b[${(layout.cursorCells % cols) + 1}G`;
    this.#drawn = layout;
    this.#cursorRow = cursorRowOf(layout, cols);
    return out;
  }
}

function rowsBefore(widths: number[], cols: number): number {
  let rows = 0;
  for (let i = 0; i < widths.length - 1; i++) rows += Math.max(1, Math.ceil((widths[i] ?? 0) / cols));
  return rows;
}

function cursorRowOf(layout: Layout, cols: number): number {
  return rowsBefore(layout.widths, cols) + Math.floor(layout.cursorCells / cols);
}
