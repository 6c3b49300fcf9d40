/** Splits what xterm.js hands to `onData` (keys, escape sequences, pasted text) into single keys. */

export type Key =
  | { type: "char"; text: string }
  | { type: "enter" }
  | { type: "backspace" }
  | { type: "delete" }
  | { type: "left" | "right" | "up" | "down" | "home" | "end" }
  | { type: "word-left" | "word-right" | "delete-word-left" | "delete-word-right" }
  | { type: "kill-to-start" | "kill-to-end" }
  | { type: "interrupt" }
  | { type: "eof" }
  | { type: "clear-screen" }
  | { type: "tab" }
  | { type: "paste-start" | "paste-end" }
  | { type: "ignored" };

const CSI_KEYS: Record<string, Key> = {
  A: { type: "up" },
  B: { type: "down" },
  C: { type: "right" },
  D: { type: "left" },
  H: { type: "home" },
  F: { type: "end" },
  "1~": { type: "home" },
  "7~": { type: "home" },
  "4~": { type: "end" },
  "8~": { type: "end" },
  "3~": { type: "delete" },
  "1;5C": { type: "word-right" },
  "1;5D": { type: "word-left" },
  "1;3C": { type: "word-right" },
  "1;3D": { type: "word-left" },
  "3;5~": { type: "delete-word-right" },
  "200~": { type: "paste-start" },
  "201~": { type: "paste-end" },
};

const CONTROL_KEYS: Record<string, Key> = {
  "\r": { type: "enter" },
  "\n": { type: "enter" },
  "\x7f": { type: "backspace" },
  "\b": { type: "backspace" },
  "\t": { type: "tab" },
  "\x01": { type: "home" },
  "\x05": { type: "end" },
  "\x02": { type: "left" },
  "\x06": { type: "right" },
  "\x10": { type: "up" },
  "\x0e": { type: "down" },
  "\x03": { type: "interrupt" },
  "\x04": { type: "eof" },
  "\x0c": { type: "clear-screen" },
  "\x15": { type: "kill-to-start" },
  "\x0b": { type: "kill-to-end" },
  "\x17": { type: "delete-word-left" },
};

export function parseKeys(data: string): Key[] {
  return parseKeyRuns(data).map((run) => run.key);
}

/** Each key with the offset in `data` just past it, so the unhandled rest can be kept as it came. */
export function parseKeyRuns(data: string): { key: Key; end: number }[] {
  const runs: { key: Key; end: number }[] = [];
  const keys = { push: (key: Key) => runs.push({ key, end: -1 }) };
  let i = 0;
  const mark = () => {
    for (let k = runs.length - 1; k >= 0 && runs[k]!.end < 0; k--) runs[k]!.end = i;
  };
  while (i < data.length) {
    mark();
    const c = data[i] ?? "";
    if (c === "\x1b") {
      const next = data[i + 1];
      if (next === "[" || next === "O") {
        // CSI / SS3: parameters, then one final byte in @..~
        let j = i + 2;
        while (j < data.length && !/[@-~]/.test(data[j] ?? "")) j++;
        const body = data.slice(i + 2, j + 1);
        keys.push(CSI_KEYS[body] ?? { type: "ignored" });
        i = j + 1;
        continue;
      }
      if (next === "b") keys.push({ type: "word-left" });
      else if (next === "f") keys.push({ type: "word-right" });
      else if (next === "d") keys.push({ type: "delete-word-right" });
      else if (next === "\x7f") keys.push({ type: "delete-word-left" });
      else if (next === undefined) keys.push({ type: "ignored" });
      else keys.push({ type: "ignored" });
      i += next === undefined ? 1 : 2;
      continue;
    }
    // A pasted CRLF is one line end, not two.
    if (c === "\r" && data[i + 1] === "\n") {
      keys.push({ type: "enter" });
      i += 2;
      continue;
    }
    const control = CONTROL_KEYS[c];
    if (control) {
      keys.push(control);
      i++;
      continue;
    }
    const code = c.codePointAt(0) ?? 0;
    if (code < 32) {
      keys.push({ type: "ignored" });
      i++;
      continue;
    }
    // Runs of printable text become one key, so a paste is inserted in one step.
    let j = i;
    while (j < data.length) {
      const d = data.codePointAt(j) ?? 0;
      if (d < 32 || d === 0x7f || d === 0x1b) break;
      j += d > 0xffff ? 2 : 1;
    }
    keys.push({ type: "char", text: data.slice(i, j) });
    i = j;
  }
  mark();
  return runs;
}
