import { describe, expect, it } from "vitest";
import { cutText, RECORD_TEXT_BYTES, recordable } from "../../../../server/assistant/cut";

const bytes = (text: string) => new TextEncoder().encode(text).length;

describe("cutting a tool's result", () => {
  it("leaves a short text as it is", () => {
    expect(cutText("short", 100)).toEqual({ text: "short", truncated: false });
  });

  it("keeps the start and the end within the size, with a note of what was cut", () => {
    const text = `START${"a".repeat(20_000)}END`;
    const cut = cutText(text, 8 * 1024);
    expect(cut.truncated).toBe(true);
    expect(bytes(cut.text)).toBeLessThanOrEqual(8 * 1024);
    expect(cut.text.startsWith("START")).toBe(true);
    expect(cut.text.endsWith("END")).toBe(true);
    expect(cut.text).toMatch(/\d+ of 20008 bytes cut here to fit the context/);
  });

  it("never splits a character", () => {
    const text = "é😀".repeat(5_000);
    const cut = cutText(text, 1_000);
    expect(bytes(cut.text)).toBeLessThanOrEqual(1_000);
    expect(cut.text).not.toContain("\uFFFD");
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut.text)).toBe(false);
  });
});

describe("what a task's record keeps of a step", () => {
  it("cuts a long text and long arguments, and keeps short ones as they are", () => {
    const small = { n: 1, text: "hi", args: { file: "app.ts" } };
    expect(recordable(small)).toEqual(small);
    const big = recordable({ n: 2, text: "t".repeat(100_000), args: { files: { "app.ts": "x".repeat(100_000) } } });
    expect(bytes(big.text ?? "")).toBeLessThanOrEqual(RECORD_TEXT_BYTES);
    expect(typeof big.args).toBe("string");
    expect(bytes(String(big.args))).toBeLessThanOrEqual(RECORD_TEXT_BYTES);
  });
});
