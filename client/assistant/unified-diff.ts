/**
 * A unified diff (what the assistant's events carry for a file it wrote) as the rows of the
 * side-by-side diff the Requests view draws: removed lines beside the added ones that replace them,
 * and a heading row where each hunk starts. The `diff` library parses the patch.
 */
import { parsePatch } from "diff";
import { changedRun, type DiffRow } from "../requests/side-by-side";

/** A row of the diff, or the heading of a hunk (where in the file it is). */
export type PatchRow = DiffRow | { kind: "hunk"; text: string };

/** The rows of `patch`, or null when it is not a unified diff (the panel shows it as text then). */
export function rowsOfPatch(patch: string): PatchRow[] | null {
  let parsed: ReturnType<typeof parsePatch>;
  try {
    parsed = parsePatch(patch);
  } catch {
    return null;
  }
  const rows: PatchRow[] = [];
  const { removed, added, flush } = changedRun(rows);
  for (const file of parsed) {
    for (const hunk of file.hunks) {
      flush();
      const where = hunkTitle(hunk.oldStart, hunk.oldLines, hunk.newStart, hunk.newLines);
      // A patch of several files (one tool call that wrote them) names the file at each hunk.
      rows.push({ kind: "hunk", text: parsed.length > 1 ? `${fileName(file)}: ${where}` : where });
      for (const line of hunk.lines) {
        const text = line.slice(1);
        if (line.startsWith("-")) removed.push(text);
        else if (line.startsWith("+")) added.push(text);
        else if (line.startsWith(" ")) {
          flush();
          rows.push({ left: text, right: text, kind: "same" });
        }
        // "\ No newline at end of file" is about the line before it, not a line of the file.
      }
    }
  }
  flush();
  return rows.length > 0 || patch.trim() === "" ? rows : null;
}

/** "Lines 3–9 (were 3–7)": where a hunk is in the file after the change, and before. */
function hunkTitle(oldStart: number, oldLines: number, newStart: number, newLines: number): string {
  const span = (start: number, count: number) =>
    count === 0 ? "none" : count === 1 ? `${start}` : `${start}–${start + count - 1}`;
  const after = `${newLines === 1 ? "Line" : "Lines"} ${span(newStart, newLines)}`;
  return oldStart === newStart && oldLines === newLines ? after : `${after} (were ${span(oldStart, oldLines)})`;
}

/** The file a patch is about: its new name, or its old one when it was deleted, without git's a/ and b/. */
function fileName(file: { oldFileName: string; newFileName: string }): string {
  const name = file.newFileName === "/dev/null" ? file.oldFileName : file.newFileName;
  return name.replace(/^[ab]\//, "");
}
