/** Where an offset into a source text is, as editors count: lines and columns from 1. */
export function lineColumnAt(code: string, offset: number): { line: number; column: number } {
  const before = code.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}
