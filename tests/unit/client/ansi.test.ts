import { expect, it } from "vitest";
import { charWidth, displayWidth, stripAnsi, style, toCrlf, truncate } from "../../../client/terminal/ansi";

it("styling is invisible to widths and to stripAnsi", () => {
  const styled = style.bold(style.red("abc"));
  expect(stripAnsi(styled)).toBe("abc");
  expect(displayWidth(styled)).toBe(3);
});

it("wide characters take two cells, combining marks none", () => {
  expect(displayWidth("日本")).toBe(4);
  expect(displayWidth("😀")).toBe(2);
  expect(displayWidth("e\u0301")).toBe(1);
  expect(charWidth(0x07)).toBe(0);
});

it("truncate cuts by cells and ends with an ellipsis", () => {
  expect(truncate("abcdef", 4)).toBe("abc…");
  expect(truncate("abc", 3)).toBe("abc");
  expect(truncate("日本語", 4)).toBe("日…");
  expect(truncate("abc", 0)).toBe("");
});

it("line ends become CRLF once", () => {
  expect(toCrlf("a\nb\r\nc")).toBe("a\r\nb\r\nc");
});
