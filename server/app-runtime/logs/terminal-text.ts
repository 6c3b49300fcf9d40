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
 * A runtime module: the app's console output is printed with it inside the app's isolate (logs.ts),
 * after the app's code may have replaced `String.prototype.replace` or `RegExp.prototype.exec`. So it
 * reads the text character by character with string methods kept when it evaluated, and builds its
 * answer with `+` alone. The IDE uses it everywhere else too, through shared/terminal-text.ts.
 */
const charCodeAt: (text: string, index: number) => number = Function.prototype.call.bind(String.prototype.charCodeAt);
const slice: (text: string, start: number, end: number) => string = Function.prototype.call.bind(
  String.prototype.slice,
);
const fromCharCode = String.fromCharCode;
const HEX = "0123456789ABCDEF";

/** How the character `code` (followed by `next`) is shown, or null when it is shown as it is. */
function shown(code: number, next: number): string | null {
  if (code === 9 || code === 10) return null;
  if (code === 13 && next === 10) return "";
  if (code < 0x20) return `^${fromCharCode(code + 0x40)}`;
  if (code === 0x7f) return "^?";
  if ((code >= 0x80 && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) {
    return `<U+${HEX[(code >> 12) & 15]}${HEX[(code >> 8) & 15]}${HEX[(code >> 4) & 15]}${HEX[code & 15]}>`;
  }
  return null;
}

export function visibleControls(text: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const replaced = shown(charCodeAt(text, i), charCodeAt(text, i + 1));
    if (replaced === null) continue;
    out += slice(text, from, i) + replaced;
    from = i + 1;
  }
  return from === 0 ? text : out + slice(text, from, text.length);
}
