/**
 * Applying edit_file's replacements to one file's text: each `oldText` must occur exactly once, so an
 * edit never lands somewhere the writer did not mean. When it does not, the refusal says where the
 * nearest text is (line and what is there) or how many times it occurs, which is what a writer
 * needs to fix its next try without reading the whole file back. Pure.
 */
import type { TextEdit } from "../../shared/code-edits";

export type EditResult = { ok: true; text: string; createdFile: boolean } | { ok: false; message: string };

/** How long a line quoted in a message may be. */
const QUOTE_CHARS = 160;

/**
 * `content`: the file's text, undefined when it does not exist (then a single edit with oldText ""
 * creates it with newText).
 */
export function applyEdits(file: string, content: string | undefined, edits: readonly TextEdit[]): EditResult {
  if (content === undefined) {
    const [only] = edits;
    if (edits.length === 1 && only?.oldText === "") return { ok: true, text: only.newText, createdFile: true };
    return { ok: false, message: `${file} does not exist` };
  }
  let text = content;
  for (const [i, edit] of edits.entries()) {
    const which = edits.length > 1 ? `edit ${i + 1} of ${edits.length}: ` : "";
    if (edit.oldText === "") {
      return {
        ok: false,
        message: `${which}oldText is empty, which creates a file, and ${file} exists: quote the text to replace`,
      };
    }
    const at = occurrences(text, edit.oldText);
    if (at.length === 0) {
      return { ok: false, message: `${which}oldText is not in ${file}. ${nearestText(text, edit.oldText)}` };
    }
    if (at.length > 1) {
      const lines = at.slice(0, 10).map((offset) => lineOf(text, offset));
      return {
        ok: false,
        message: `${which}oldText occurs ${at.length} times in ${file} (at lines ${lines.join(", ")}${at.length > 10 ? ", ..." : ""}): include the lines around it so it occurs once`,
      };
    }
    const offset = at[0] ?? 0;
    // Sliced, not String.replace: `$&` or `$1` in newText must stay as written.
    text = text.slice(0, offset) + edit.newText + text.slice(offset + edit.oldText.length);
  }
  return { ok: true, text, createdFile: false };
}

/** Where `needle` starts in `text`, without overlaps. */
function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) found.push(at);
  return found;
}

const lineOf = (text: string, offset: number) => text.slice(0, offset).split("\n").length;

/**
 * Names the line of `text` most like the first non-blank line of `wanted`. Likeness is the
 * Sørensen–Dice coefficient of the two lines' character bigrams (twice the shared bigrams over all
 * of them), after trimming: it tolerates a changed word or indentation, costs one pass over the file,
 * and is the usual fuzzy measure for short strings.
 */
export function nearestText(text: string, wanted: string): string {
  const target = wanted
    .split("\n")
    .find((line) => line.trim() !== "")
    ?.trim();
  if (target === undefined) return "It holds only whitespace; quote the text to replace.";
  const lines = text.split("\n");
  let best = { line: 0, score: 0 };
  const targetBigrams = bigrams(target);
  for (const [i, line] of lines.entries()) {
    const score = dice(targetBigrams, bigrams(line.trim()));
    if (score > best.score) best = { line: i + 1, score };
  }
  if (best.score === 0) return "No line of it looks like it; read_code shows the file as it is.";
  const there = lines[best.line - 1] ?? "";
  const quoted = there.length > QUOTE_CHARS ? `${there.slice(0, QUOTE_CHARS)}...` : there;
  return `The nearest match is line ${best.line}: ${JSON.stringify(quoted)}`;
}

function bigrams(s: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < s.length - 1; i++) {
    const pair = s.slice(i, i + 2);
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  return counts;
}

function dice(a: Map<string, number>, b: Map<string, number>): number {
  let shared = 0;
  let total = 0;
  for (const [pair, n] of a) {
    shared += Math.min(n, b.get(pair) ?? 0);
    total += n;
  }
  for (const n of b.values()) total += n;
  return total === 0 ? 0 : (2 * shared) / total;
}
