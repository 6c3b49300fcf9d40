/**
 * One project file as a module: type-stripped with sucrase (line for line, so stack traces point at
 * the user's lines), its imports rewritten (imports.ts), its loops guarded (loop-guard.ts); and the
 * cache of files compiled before, so a save compiles only what changed. compile.ts puts a project's
 * files together.
 */
import { transform } from "sucrase";
import type { Diagnostic } from "../../../../shared/api";
import { messageOf } from "../../../../shared/errors";
import type { ModuleRule } from "../../../../shared/project-config";
import { lineColumnAt } from "../../../../shared/source-position";
import { GUARD_MODULE } from "../../../app-runtime/protocol";
import { relativeSpecifier } from "../../../packages/module-names";
import { moduleNameOf, rewriteImports } from "./imports";
import { guardLoops } from "./loop-guard";
import type { BareImport } from "./packages";
import type { TsSettings } from "./tsconfig";

/** One source file as a module: type-stripped, imports rewritten, loops guarded (code null if it failed). */
export interface CompiledFile {
  code: string | null;
  diagnostics: Diagnostic[];
  usesNode: boolean;
  /** Files it imports through a module rule, with the rule's type. */
  ruled: Map<string, RuleType>;
  /** Its imports of npm packages. */
  bare: BareImport[];
  /** The project files it imports. */
  imports: string[];
}

type RuleType = ModuleRule["type"];

export function compileFile(
  file: string,
  source: string,
  files: Record<string, string>,
  ruleOf: (file: string) => RuleType | null,
  settings: TsSettings,
): CompiledFile {
  const transpiled = transpile(file, source, settings);
  if ("diagnostic" in transpiled) {
    return {
      code: null,
      diagnostics: [transpiled.diagnostic],
      usesNode: false,
      ruled: new Map(),
      bare: [],
      imports: [],
    };
  }
  const rewritten = rewriteImports(file, transpiled.code, files, ruleOf, settings);
  const { code, diagnostics, usesNode, ruled, bare, imports } = rewritten;
  try {
    const guarded = guardLoops(code, file, relativeSpecifier(moduleNameOf(file), GUARD_MODULE));
    return {
      // A .ts file loads as .js; stack traces name the project's file (lines are kept), as wrangler's source maps do.
      code: /\.(ts|tsx|jsx)$/.test(file) ? `${guarded}\n//# sourceURL=${file}` : guarded,
      diagnostics,
      usesNode,
      ruled,
      bare,
      imports,
    };
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    const message = messageOf(error).replace(/ \(\d+:\d+\)$/, "");
    return {
      code: null,
      diagnostics: [...diagnostics, { file, line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1, message }],
      usesNode,
      ruled,
      bare,
      imports,
    };
  }
}

/**
 * Files compiled before, by name, content and the project's file names (what resolution depends on):
 * a save of a many-file project compiles only what changed, and a restored version, or the live one
 * loaded again after its isolate was dropped, nothing. Three parsers run per file (sucrase, the import
 * lexer, acorn for the loop guards), a few milliseconds for a few KiB. The least recently used entries
 * go first past MAX_BYTES of source.
 */
export class CompiledFiles {
  static readonly MAX_BYTES = 8 * 1_048_576;
  #entries = new Map<string, { result: CompiledFile; bytes: number }>();
  #bytes = 0;
  hits = 0;

  get(file: string, source: string, fileNames: string, compile: () => CompiledFile): CompiledFile {
    const key = `${file}\0${fileNames}\0${source}`;
    const found = this.#entries.get(key);
    if (found) {
      this.hits++;
      this.#entries.delete(key);
      this.#entries.set(key, found);
      return found.result;
    }
    const result = compile();
    const bytes = key.length + (result.code?.length ?? 0);
    this.#entries.set(key, { result, bytes });
    this.#bytes += bytes;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= CompiledFiles.MAX_BYTES) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
    return result;
  }
}

/** Shared by every supervisor in the isolate: the output depends only on the inputs in the key. */
export const compiledFiles = new CompiledFiles();

function transpile(file: string, source: string, settings: TsSettings): { code: string } | { diagnostic: Diagnostic } {
  const jsx = /\.(tsx|jsx)$/.test(file);
  try {
    const { code } = transform(source, {
      transforms: [...(/\.tsx?$/.test(file) ? (["typescript"] as const) : []), ...(jsx ? (["jsx"] as const) : [])],
      // The automatic runtime, as tsconfig's "jsx": "react-jsx" with its jsxImportSource (hono/jsx, react...).
      ...(jsx ? { jsxRuntime: "automatic" as const, jsxImportSource: settings.jsxImportSource, production: true } : {}),
      filePath: file,
      disableESTransforms: true,
      keepUnusedImports: false,
    });
    return { code };
  } catch (error) {
    // Sucrase's own `loc` column is already 1-based; its offset `pos` says where, as editors count.
    const pos = (error as { pos?: unknown }).pos;
    const at = typeof pos === "number" ? lineColumnAt(source, pos) : { line: 1, column: 1 };
    const message = messageOf(error)
      .replace(/^Error transforming [^:]+: /, "")
      .replace(/ \(\d+:\d+\)$/, "");
    return { diagnostic: { file, ...at, message } };
  }
}
