/**
 * A module path made plain: `.` and empty segments dropped, `..` resolved; null if it climbs out of
 * its root (a project's files, or one package). Used by the compiler for the project's relative
 * imports and by the package module graph for a package's.
 */
export function normalizeModulePath(path: string): string | null {
  const parts: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "." || segment === "") continue;
    if (segment === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(segment);
  }
  return parts.join("/");
}
