import { expect, it } from "vitest";
import { parseKeyRuns, parseKeys } from "../../../client/terminal/keys";

it("escape sequences and pasted text become keys", () => {
  expect(parseKeys("\x1b[A\x1b[1;5D\x7f")).toEqual([{ type: "up" }, { type: "word-left" }, { type: "backspace" }]);
  expect(parseKeys("ab c\r\ndef")).toEqual([
    { type: "char", text: "ab c" },
    { type: "enter" },
    { type: "char", text: "def" },
  ]);
});

it("bracketed paste markers, Alt+letter and unknown sequences", () => {
  expect(parseKeys("\x1b[200~x\x1b[201~")).toEqual([
    { type: "paste-start" },
    { type: "char", text: "x" },
    { type: "paste-end" },
  ]);
  expect(parseKeys("\x1bb\x1bf\x1b[99~")).toEqual([{ type: "word-left" }, { type: "word-right" }, { type: "ignored" }]);
});

it("each key says where it ends, so the rest of a paste can be kept as it came", () => {
  const data = "SELECT 1;\rSELECT 2;";
  const runs = parseKeyRuns(data);
  expect(runs.map((r) => r.key.type)).toEqual(["char", "enter", "char"]);
  expect(data.slice(runs[1]!.end)).toBe("SELECT 2;");
});

it("a character outside the basic plane stays whole", () => {
  expect(parseKeys("a😀b")).toEqual([{ type: "char", text: "a😀b" }]);
});
