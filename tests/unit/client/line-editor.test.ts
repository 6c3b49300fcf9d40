import { describe, expect, it } from "vitest";
import { memoryHistory } from "../../../client/terminal/history-store";
import { parseKeys } from "../../../client/terminal/keys";
import { LineEditor } from "../../../client/terminal/line-editor";

function editorWith(history: string[] = []) {
  const store = memoryHistory(history);
  const editor = new LineEditor(store);
  const type = (data: string) => parseKeys(data).map((k) => editor.handle(k));
  return { editor, type, store };
}

describe("line editor", () => {
  it("a statement continues until it ends with a semicolon; dot commands end with the line", () => {
    const { editor, type } = editorWith();
    expect(type("SELECT 1\r").at(-1)).toEqual({ type: "none" });
    expect(editor.prompt).toBe("...> ");
    expect(type("+ 1;\r").at(-1)).toEqual({ type: "submit", text: "SELECT 1\n+ 1;", lines: ["SELECT 1", "+ 1;"] });
    expect(editor.prompt).toBe("sql> ");
    expect(type(".tables\r").at(-1)).toEqual({ type: "submit", text: ".tables", lines: [".tables"] });
  });

  it("Up and Down walk the history and come back to the draft", () => {
    const { editor, type } = editorWith(["SELECT 1;", "SELECT 2;"]);
    const seen: string[] = [];
    type("draft");
    type("\x1b[A");
    seen.push(editor.line);
    type("\x1b[A\x1b[A");
    seen.push(editor.line);
    type("\x1b[B\x1b[B");
    seen.push(editor.line);
    expect(seen).toEqual(["SELECT 2;", "SELECT 1;", "draft"]);
  });

  it("editing keys move and cut by character and word", () => {
    const { editor, type } = editorWith();
    const seen: (string | boolean)[] = [];
    type("SELECT name FROM t");
    type("\x17"); // Ctrl+W
    seen.push(editor.line);
    type("\x01\x1b[1;5C"); // Ctrl+A, Ctrl+Right
    seen.push(editor.beforeCursor);
    type("\x0b"); // Ctrl+K
    seen.push(editor.line);
    type("\x03"); // Ctrl+C
    seen.push(editor.isEmpty);
    expect(seen).toEqual(["SELECT name FROM ", "SELECT", "SELECT", true]);
  });

  it("Enter on an empty prompt is blank; Ctrl+C hands back what was dropped", () => {
    const { type } = editorWith();
    expect(type("\r")).toEqual([{ type: "blank" }]);
    expect(type("SELECT\rx\x03").at(-1)).toEqual({ type: "cancel", lines: ["SELECT", "x"] });
  });

  it("history keeps a submitted statement on one line", () => {
    const { type, store } = editorWith();
    type("SELECT a, -- note\r b FROM t;\r");
    expect(store.entries()).toEqual(["SELECT a, b FROM t;"]);
  });
});
