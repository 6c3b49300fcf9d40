/**
 * What TypeScript reports, as the IDE shows it: which diagnostics of a project are worth a warning,
 * and how each reads. Pure (no TypeScript import), so the unit tests check it without the compiler;
 * the checker (checker.ts) feeds it what the language service found.
 */

/** One of TypeScript's diagnostics, reduced to what the mapping needs (1-based line and column). */
export interface RawDiagnostic {
  file: string;
  line: number;
  column: number;
  code: number;
  /** TypeScript's message, its chain already flattened with newlines. */
  text: string;
  category: "error" | "warning" | "suggestion" | "message";
  /** For "Cannot find module" (2307): the specifier that was not found. */
  specifier?: string;
}

/** A diagnostic as the save answer and the terminal carry it (shared/diagnostics.ts's shape). */
export interface TypeDiagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** Most diagnostics one check reports; the rest are counted in a last line. */
export const MAX_DIAGNOSTICS = 50;
/** Longest message kept: a type printed in full can run to pages. */
export const MAX_MESSAGE_CHARS = 600;

/** The package or runtime module a bare specifier names (`@scope/name/sub` -> `@scope/name`); null for a path. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith(".") || specifier.startsWith("/")) return null;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? (parts.length >= 2 ? `${parts[0]}/${parts[1]}` : null) : (parts[0] ?? null);
}

/**
 * Whether a diagnostic says nothing the save does not already know: "cannot find module" for a bare
 * specifier (a package, or a runtime module such as `node:buffer`) is the bundler's question, which
 * refuses the save by name when it cannot resolve one; TypeScript only lacks its declarations
 * (a package that ships none, or one the lock does not hold yet). Suggestions are not warnings.
 */
function isNoise(d: RawDiagnostic): boolean {
  if (d.category === "suggestion" || d.category === "message") return true;
  return (d.code === 2307 || d.code === 7016) && d.specifier !== undefined && packageOf(d.specifier) !== null;
}

/** The message cut to a readable length, ending in TypeScript's code as shared/type-check.ts's typeErrorCode reads it. */
export function messageOf(d: RawDiagnostic): string {
  const text = d.text.length > MAX_MESSAGE_CHARS ? `${d.text.slice(0, MAX_MESSAGE_CHARS)}…` : d.text;
  return `${text} (TS${d.code})`;
}

/**
 * The diagnostics a save reports, in file order then position, each once, at most MAX_DIAGNOSTICS
 * and then one line that counts the rest.
 */
export function mapDiagnostics(raw: RawDiagnostic[]): TypeDiagnostic[] {
  const seen = new Set<string>();
  const kept: TypeDiagnostic[] = [];
  const sorted = raw
    .filter((d) => !isNoise(d))
    .sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1));
  for (const d of sorted) {
    const out = { file: d.file, line: d.line, column: d.column, message: messageOf(d) };
    const key = `${out.file}:${out.line}:${out.column}:${out.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(out);
  }
  if (kept.length <= MAX_DIAGNOSTICS) return kept;
  const last = kept[MAX_DIAGNOSTICS - 1];
  const more = kept.length - MAX_DIAGNOSTICS + 1;
  return [
    ...kept.slice(0, MAX_DIAGNOSTICS - 1),
    {
      file: last?.file ?? "",
      line: last?.line ?? 1,
      column: last?.column ?? 1,
      message: `and ${more} more type errors`,
    },
  ];
}
