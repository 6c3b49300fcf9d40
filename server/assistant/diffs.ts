/**
 * What a task changed in the code: each file of the draft against the live version (or a draft
 * write against the draft before it), as unified diffs. Pure.
 * Tables: none.
 */
import { createTwoFilesPatch } from "diff";
import type { FileDiff } from "../../shared/assistant";

/** Longest diff of one file kept (a whole rewritten file is mostly noise to a reader and a model). */
const MAX_DIFF_CHARS = 64 * 1024;

/** The files that differ between `before` and `after`, by path, with their unified diff. */
export function filesDiff(before: Record<string, string>, after: Record<string, string>): FileDiff[] {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return paths.flatMap((path): FileDiff[] => {
    const old = Object.hasOwn(before, path) ? before[path] : undefined;
    const now = Object.hasOwn(after, path) ? after[path] : undefined;
    if (old === now) return [];
    const status = old === undefined ? "added" : now === undefined ? "deleted" : "modified";
    const patch = createTwoFilesPatch(
      old === undefined ? "/dev/null" : `a/${path}`,
      now === undefined ? "/dev/null" : `b/${path}`,
      old ?? "",
      now ?? "",
      undefined,
      undefined,
      { context: 3 },
    );
    // The patch's "=====" header line is Subversion's; a unified diff starts at ---.
    const unified = patch.slice(patch.indexOf("---"));
    const diff =
      unified.length > MAX_DIFF_CHARS
        ? `${unified.slice(0, MAX_DIFF_CHARS)}\n[… diff cut at ${MAX_DIFF_CHARS} characters of ${unified.length} …]\n`
        : unified;
    return [{ path, status, diff }];
  });
}
