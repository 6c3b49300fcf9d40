/**
 * Cutting what a tool answers to what a model's context can take: the start and the end of a long
 * text are kept (an error's message is often last), with a note of what was left out, so the model
 * knows to ask for less. Pure.
 * Tables: none.
 */

export interface Cut {
  text: string;
  truncated: boolean;
}

const encoder = new TextEncoder();

/** The longest prefix of `text` within `bytes` UTF-8 bytes, not splitting a character. */
function headWithin(text: string, bytes: number): string {
  if (encoder.encode(text).length <= bytes) return text;
  let low = 0;
  let high = Math.min(text.length, bytes);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (encoder.encode(text.slice(0, mid)).length <= bytes) low = mid;
    else high = mid - 1;
  }
  // A lone high surrogate at the end is half a character.
  const end = low > 0 && /[\uD800-\uDBFF]/.test(text.charAt(low - 1)) ? low - 1 : low;
  return text.slice(0, end);
}

/** The longest suffix of `text` within `bytes` bytes. */
function tailWithin(text: string, bytes: number): string {
  const reversed = Array.from(text).reverse();
  let size = 0;
  let count = 0;
  for (const char of reversed) {
    size += encoder.encode(char).length;
    if (size > bytes) break;
    count++;
  }
  return reversed.slice(0, count).reverse().join("");
}

/** `text` within `maxBytes` UTF-8 bytes: three quarters from its start, a quarter from its end, and a note. */
export function cutText(text: string, maxBytes: number): Cut {
  const total = encoder.encode(text).length;
  if (total <= maxBytes) return { text, truncated: false };
  const room = Math.max(0, maxBytes - 200);
  const head = headWithin(text, Math.floor((room * 3) / 4));
  const tail = tailWithin(text, room - encoder.encode(head).length);
  const left = total - encoder.encode(head).length - encoder.encode(tail).length;
  const note = `\n\n[… ${left} of ${total} bytes cut here to fit the context: ask for less (a file, a limit, a filter) to see them …]\n\n`;
  return { text: `${head}${note}${tail}`, truncated: true };
}

/** Bytes of a step's text or arguments, and of a turn's summary, a task's record keeps. */
export const RECORD_TEXT_BYTES = 16 * 1024;

/**
 * A step as the task's record keeps it: a model's text and a tool's arguments can be as large as the
 * model makes them (a whole file), and a row of the supervisor's SQLite holds 2 MB at most.
 */
export function recordable<T extends { text?: string; args?: unknown }>(step: T): T {
  const text = step.text === undefined ? {} : { text: cutText(step.text, RECORD_TEXT_BYTES).text };
  const json = step.args === undefined ? undefined : JSON.stringify(step.args);
  const args =
    json === undefined || json.length <= RECORD_TEXT_BYTES ? {} : { args: cutText(json, RECORD_TEXT_BYTES).text };
  return { ...step, ...text, ...args };
}
