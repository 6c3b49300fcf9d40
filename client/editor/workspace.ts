/**
 * A project's files as Monaco models, and what has changed since the last save that landed.
 * Models are the source of truth for file contents (React state would re-render on every key);
 * React reads the file list and the dirty flags through `subscribe`/`snapshot`.
 */

import type { Diagnostic } from "../../shared/api";
import { FilePath } from "../../shared/api";
import { typeErrorCode } from "../../shared/type-check";
import { monaco } from "./monaco-setup";

const SAVE_MARKER_OWNER = "facet-ide-save";
/** TypeScript's diagnostics from the save's type check (server/type-check/), apart from the save's own. */
const TYPE_CHECK_MARKER_OWNER = "facet-ide-type-check";

export interface WorkspaceSnapshot {
  files: string[];
  main: string;
  dirty: ReadonlySet<string>;
  /** Files were added, removed or renamed since the last save. */
  structureChanged: boolean;
  isDirty: boolean;
}

/** What a save sends, and what to mark as saved when it lands. */
export interface SaveSnapshot {
  files: Record<string, string>;
  main: string;
  versions: Map<string, number>;
}

/** Monaco's language for a file, by its extension (a Worker project's assets and configuration included). */
const LANGUAGES: Record<string, string> = {
  ts: "typescript",
  js: "javascript",
  mjs: "javascript",
  json: "json",
  jsonc: "json",
  toml: "ini",
  html: "html",
  htm: "html",
  css: "css",
  md: "markdown",
  svg: "xml",
  xml: "xml",
};

export const languageOf = (file: string) => LANGUAGES[file.slice(file.lastIndexOf(".") + 1)] ?? "plaintext";

export class Workspace {
  readonly #prefix: string;
  #models = new Map<string, monaco.editor.ITextModel>();
  /** Each file's alternative version id when it last matched the live code (undo back to it is clean). */
  #savedVersions = new Map<string, number>();
  #savedNames: string[] = [];
  #main: string;
  #listeners = new Set<() => void>();
  #snapshot: WorkspaceSnapshot;
  #disposables: monaco.IDisposable[] = [];

  constructor(projectId: string, files: Record<string, string>, main: string) {
    // Per-project URIs keep two projects' models apart if both are ever alive at once.
    this.#prefix = `file:///${projectId}/`;
    this.#main = main;
    for (const [name, content] of Object.entries(files)) this.#createModel(name, content);
    for (const [name, model] of this.#models) this.#savedVersions.set(name, model.getAlternativeVersionId());
    this.#savedNames = [...this.#models.keys()];
    this.#snapshot = this.#compute();
  }

  uriOf(file: string): string {
    return this.#prefix + file;
  }

  model(file: string): monaco.editor.ITextModel | undefined {
    return this.#models.get(file);
  }

  fileOf(model: monaco.editor.ITextModel): string | undefined {
    const uri = model.uri.toString(true);
    return uri.startsWith(this.#prefix) ? uri.slice(this.#prefix.length) : undefined;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  snapshot = (): WorkspaceSnapshot => this.#snapshot;

  /** Why `name` cannot be a new file's name, or null when it can. */
  validateName(name: string, except?: string): string | null {
    const parsed = FilePath.safeParse(name);
    if (!parsed.success) return parsed.error.issues[0]?.message ?? "invalid name";
    if (name !== except && this.#models.has(name)) return `${name} already exists`;
    const moduleName = name.replace(/\.ts$/, ".js");
    for (const other of this.#models.keys()) {
      if (other !== except && other !== name && other.replace(/\.ts$/, ".js") === moduleName) {
        return `${name} and ${other} would load as the same module`;
      }
    }
    return null;
  }

  add(name: string, content = ""): void {
    this.#createModel(name, content);
    this.#changed();
  }

  rename(from: string, to: string): void {
    const model = this.#models.get(from);
    if (!model || from === to) return;
    const content = model.getValue();
    this.#dropModel(from);
    this.#createModel(to, content);
    if (this.#main === from) this.#main = to;
    this.#changed();
  }

  remove(name: string): void {
    if (name === this.#main) return;
    this.#dropModel(name);
    this.#changed();
  }

  /**
   * Replaces the files with `files` (a stored version being restored). Existing files change through
   * an edit, so Ctrl+Z in the editor takes the restore back; the rest come and go.
   */
  load(files: Record<string, string>, main: string): void {
    for (const name of [...this.#models.keys()]) if (!Object.hasOwn(files, name)) this.#dropModel(name);
    for (const [name, content] of Object.entries(files)) {
      const model = this.#models.get(name);
      if (!model) this.#createModel(name, content);
      else if (model.getValue() !== content) {
        model.pushEditOperations([], [{ range: model.getFullModelRange(), text: content }], () => null);
      }
    }
    this.#main = main;
    this.#changed();
  }

  toSave(): SaveSnapshot {
    const files: Record<string, string> = {};
    const versions = new Map<string, number>();
    for (const [name, model] of this.#models) {
      files[name] = model.getValue();
      versions.set(name, model.getAlternativeVersionId());
    }
    return { files, main: this.#main, versions };
  }

  markSaved(saved: SaveSnapshot): void {
    this.#savedVersions = new Map(saved.versions);
    this.#savedNames = Object.keys(saved.files);
    this.#changed();
  }

  /**
   * Shows a save's diagnostics in the files they point at: a rejected save's errors, or the warnings
   * of one that went live (code that will throw when it runs). An empty list clears them.
   */
  setDiagnostics(
    diagnostics: Diagnostic[],
    severity: "error" | "warning" = "error",
    owner: string = SAVE_MARKER_OWNER,
  ): void {
    const byFile = new Map<string, monaco.editor.IMarkerData[]>();
    for (const file of this.#models.keys()) byFile.set(file, []);
    for (const d of diagnostics) {
      const file = this.#models.has(d.file) ? d.file : this.#main;
      const model = this.#models.get(file);
      if (!model) continue;
      const line = Math.min(Math.max(1, d.line), model.getLineCount());
      const column = Math.max(1, d.column);
      // Underline from the column to the end of the token (or line), so the spot is visible.
      const word = model.getWordAtPosition({ lineNumber: line, column });
      const endColumn = word ? word.endColumn : Math.max(column + 1, model.getLineMaxColumn(line));
      byFile.get(file)?.push({
        severity: severity === "error" ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
        message: d.message,
        source: "save",
        startLineNumber: line,
        startColumn: column,
        endLineNumber: line,
        endColumn,
      });
    }
    for (const [file, markers] of byFile) {
      const model = this.#models.get(file);
      if (model) monaco.editor.setModelMarkers(model, owner, markers);
    }
  }

  /**
   * Shows the save's type errors (a `type-check` line's, or the answer's), except those the editor's
   * own TypeScript already marks at the same line with the same code: one squiggle per problem.
   */
  setTypeDiagnostics(diagnostics: Diagnostic[]): void {
    const shown = (d: Diagnostic) => {
      const model = this.#models.get(d.file);
      if (!model) return false;
      const code = typeErrorCode(d);
      return monaco.editor
        .getModelMarkers({ owner: "typescript", resource: model.uri })
        .some(
          (m) => m.startLineNumber === d.line && String(typeof m.code === "object" ? m.code.value : m.code) === code,
        );
    };
    this.setDiagnostics(
      diagnostics.filter((d) => !shown(d)),
      "warning",
      TYPE_CHECK_MARKER_OWNER,
    );
  }

  dispose(): void {
    for (const d of this.#disposables) d.dispose();
    for (const model of this.#models.values()) model.dispose();
    this.#models.clear();
    this.#listeners.clear();
  }

  #createModel(name: string, content: string): void {
    const uri = monaco.Uri.parse(this.uriOf(name));
    monaco.editor.getModel(uri)?.dispose();
    const model = monaco.editor.createModel(content, languageOf(name), uri);
    this.#models.set(name, model);
    this.#disposables.push(model.onDidChangeContent(() => this.#changed()));
  }

  #dropModel(name: string): void {
    this.#models.get(name)?.dispose();
    this.#models.delete(name);
  }

  #changed(): void {
    const next = this.#compute();
    const prev = this.#snapshot;
    const same =
      prev.main === next.main &&
      prev.structureChanged === next.structureChanged &&
      prev.files.join("\n") === next.files.join("\n") &&
      prev.dirty.size === next.dirty.size &&
      [...next.dirty].every((f) => prev.dirty.has(f));
    if (same) return;
    this.#snapshot = next;
    for (const listener of this.#listeners) listener();
  }

  #compute(): WorkspaceSnapshot {
    const files = [...this.#models.keys()].sort((a, b) =>
      a === this.#main ? -1 : b === this.#main ? 1 : a.localeCompare(b),
    );
    const dirty = new Set<string>();
    for (const [name, model] of this.#models) {
      if (this.#savedVersions.get(name) !== model.getAlternativeVersionId()) dirty.add(name);
    }
    const structureChanged =
      files.length !== this.#savedNames.length || files.some((f) => !this.#savedNames.includes(f));
    return { files, main: this.#main, dirty, structureChanged, isDirty: dirty.size > 0 || structureChanged };
  }
}
