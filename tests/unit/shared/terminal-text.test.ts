import { describe, expect, it } from "vitest";
import { visibleControls, visibleStrings } from "../../../shared/terminal-text";

const ATTACK =
  "\u001b[2J\u001b[H● deployed v9 \u001b]8;;http://evil.example/login\u0007log in\u001b]8;;\u0007 \u001b]52;c;cHduZWQ=\u0007\rdone";

describe("text from apps and visitors in a terminal", () => {
  it("has every control character made visible, line feeds and tabs kept", () => {
    const shown = visibleControls(ATTACK);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that none are left
    expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(shown).toBe(
      "^[[2J^[[H● deployed v9 ^[]8;;http://evil.example/login^Glog in^[]8;;^G ^[]52;c;cHduZWQ=^G^Mdone",
    );
    expect(visibleControls("a\r\nb\tc\u009b31m\u202eevil")).toBe("a\nb\tc<U+009B>31m<U+202E>evil");
  });

  it("reaches every string of a log entry", () => {
    const entry = {
      kind: "exception",
      name: "E\u001b[2J",
      message: "m\u0007",
      stack: "at x\u001b]52;c;x\u0007",
      at: 0,
      version: 1,
      seq: 1,
    } as const;
    expect(visibleStrings(entry)).toEqual({ ...entry, name: "E^[[2J", message: "m^G", stack: "at x^[]52;c;x^G" });
  });
});

describe("text from an app that replaced string and regular expression methods", () => {
  it("still has its control characters made visible (the app's isolate prints it to the server's terminal)", () => {
    const replace = String.prototype.replace;
    const exec = RegExp.prototype.exec;
    const slice = String.prototype.slice;
    try {
      String.prototype.replace = function (this: string) {
        return String(this);
      } as typeof replace;
      RegExp.prototype.exec = () => null;
      String.prototype.slice = () => "";
      expect(visibleControls("a\u001b[2Jb\r\n")).toBe("a^[[2Jb\n");
    } finally {
      String.prototype.replace = replace;
      RegExp.prototype.exec = exec;
      String.prototype.slice = slice;
    }
  });
});
