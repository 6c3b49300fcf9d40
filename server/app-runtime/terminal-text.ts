/**
 * Text from apps and their visitors is shown in terminals (the IDE's xterm.js and the terminal that
 * runs the server), never executed. A terminal acts on control characters: ESC starts sequences that
 * clear the screen, move the cursor over earlier lines, set the clipboard (OSC 52) or draw links
 * (OSC 8); a bare CR rewrites the line; bidi overrides reorder what is shown. So every one of them is
 * made visible before such text is stored, sent or printed: C0 controls and DEL in caret notation, as
 * `cat -v` shows them (ESC is `^[`, BEL `^G`, CR `^M`; Unicode's control pictures render as empty
 * boxes in most monospace fonts), C1 controls and bidi overrides as their code (`<U+009B>`). Line
 * feeds and tabs stay; CRLF becomes LF.
 *
 * A runtime module (the app's console output is printed with it inside its isolate, logs.ts) that the
 * IDE uses everywhere else too, through shared/terminal-text.ts.
 */
export function visibleControls(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
  return text.replace(/\r\n/g, "\n").replace(controls, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
    if (code === 0x7f) return "^?";
    return `<U+${code.toString(16).toUpperCase().padStart(4, "0")}>`;
  });
}
