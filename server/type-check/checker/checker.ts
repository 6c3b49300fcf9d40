/**
 * The type checker's own isolate (loaded by ../type-checker.ts with the Worker Loader, one isolate per
 * TypeScript version, shared by every project): TypeScript's compiler, its lib files and the Workers
 * types are its modules, so the IDE's own worker never carries them. It keeps a language service per
 * project it checked lately, so a save that changed one file re-checks against the programs it has.
 *
 * It reads only the text it is given: no network (its globalOutbound is null), no env, and nothing
 * from it runs the project's code. What comes in is checked before use, since the project's files are
 * whatever its author wrote.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import libsText from "facet-ide-type-check:libs";
import ts from "typescript";
import { mapDiagnostics, type RawDiagnostic, type TypeDiagnostic } from "./diagnostic-mapping";

/** Lib files by name (`lib.es5.d.ts`), and the Workers types under `workers-types/index.d.ts`. */
const LIBS: Record<string, string> = JSON.parse(libsText);
const LIB_DIR = "/__facet_ide_lib/";
const WORKERS_TYPES = "/node_modules/@cloudflare/workers-types/index.d.ts";
/** The project's globals (Env, its variables and bindings): written by the supervisor per check. */
const GLOBALS = "/node_modules/@facet-ide/env.d.ts";
/** A lib file's text (the Workers types count as one): the same for every project, version "0". */
function libText(path: string): string | undefined {
  if (path === WORKERS_TYPES) return LIBS["workers-types/index.d.ts"];
  return path.startsWith(LIB_DIR) ? LIBS[path.slice(LIB_DIR.length)] : undefined;
}

/** Language services kept at once; the least recently checked project is dropped first. */
const KEPT_PROJECTS = 8;

/** The editor's compiler options (client/editor/monaco-setup.ts), so both report the same errors. */
const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.esnext.d.ts"],
  strict: true,
  noEmit: true,
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
  isolatedModules: true,
  skipLibCheck: true,
  types: [],
  jsx: ts.JsxEmit.ReactJSX,
};

/** What a check is given: the project's files, its packages' declaration files, its globals. */
export interface CheckInput {
  project: string;
  files: Record<string, string>;
  typeFiles: Record<string, string>;
  globals: string;
}

/**
 * Parsed files shared by every project's service (the lib files and Workers types above all). The
 * registry keys a file by its path and version, and paths repeat across projects (`/app.ts`), so
 * versions are numbered across all projects, never per project.
 */
const registry = ts.createDocumentRegistry();
let lastVersion = 0;

/** One project's files and the language service over them. */
class ProjectService {
  #files = new Map<string, { text: string; version: number }>();
  #roots: string[] = [];
  #service: ts.LanguageService;

  constructor() {
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => OPTIONS,
      getScriptFileNames: () => this.#roots,
      getScriptVersion: (path) => String(this.#files.get(path)?.version ?? 0),
      getScriptSnapshot: (path) => {
        const text = this.#read(path);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => "/",
      getDefaultLibFileName: () => `${LIB_DIR}lib.d.ts`,
      fileExists: (path) => this.#read(path) !== undefined,
      readFile: (path) => this.#read(path),
      directoryExists: (path) => this.#hasDirectory(path),
      getDirectories: () => [],
    };
    this.#service = ts.createLanguageService(host, registry);
  }

  #read(path: string): string | undefined {
    return libText(path) ?? this.#files.get(path)?.text;
  }

  #hasDirectory(path: string): boolean {
    if (path === "/" || path === LIB_DIR.slice(0, -1)) return true;
    const prefix = path.endsWith("/") ? path : `${path}/`;
    for (const name of this.#files.keys()) if (name.startsWith(prefix)) return true;
    return false;
  }

  /** Replaces the project's files, keeping the version of each that did not change. */
  update(input: CheckInput): void {
    const next = new Map<string, string>();
    for (const [name, text] of Object.entries(input.files)) next.set(`/${name}`, text);
    for (const [name, text] of Object.entries(input.typeFiles)) next.set(`/${name.replace(/^\/+/, "")}`, text);
    next.set(GLOBALS, input.globals);
    for (const path of [...this.#files.keys()]) if (!next.has(path)) this.#files.delete(path);
    for (const [path, text] of next) {
      const old = this.#files.get(path);
      if (old?.text !== text) this.#files.set(path, { text, version: ++lastVersion });
    }
    const checked = Object.keys(input.files).filter(
      (name) => /\.(ts|tsx|mts|cts)$/.test(name) && !name.endsWith(".d.ts"),
    );
    const declarations = Object.keys(input.files).filter((name) => name.endsWith(".d.ts"));
    this.#roots = [WORKERS_TYPES, GLOBALS, ...declarations.map((n) => `/${n}`), ...checked.map((n) => `/${n}`)];
  }

  /** Every problem TypeScript finds in the project's own files. */
  diagnostics(): TypeDiagnostic[] {
    const raw: RawDiagnostic[] = [];
    for (const path of this.#roots) {
      if (path.startsWith("/node_modules/")) continue;
      const found = [...this.#service.getSyntacticDiagnostics(path), ...this.#service.getSemanticDiagnostics(path)];
      for (const d of found) raw.push(rawOf(d, path));
    }
    return mapDiagnostics(raw);
  }
}

function rawOf(d: ts.Diagnostic, path: string): RawDiagnostic {
  const file = d.file;
  const at = file && d.start !== undefined ? file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
  const category = ts.DiagnosticCategory[d.category].toLowerCase();
  const specifier =
    file && d.start !== undefined && d.length !== undefined && (d.code === 2307 || d.code === 7016)
      ? file.text.slice(d.start, d.start + d.length).replace(/^["'`]|["'`]$/g, "")
      : undefined;
  return {
    file: (file?.fileName ?? path).replace(/^\//, ""),
    line: at.line + 1,
    column: at.character + 1,
    code: d.code,
    text: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
    category: category === "error" || category === "warning" || category === "suggestion" ? category : "message",
    ...(specifier !== undefined ? { specifier } : {}),
  };
}

/**
 * The lib files and the Workers types, in the slices `warm` parses them in. Parsing them all in one
 * call would hold the runtime (locally, one thread for every isolate) long enough for the launcher to
 * take it for frozen; between slices it serves everything else. es5 first: it warms the parser up.
 */
const WARM_SLICES: string[][] = (() => {
  const names = Object.keys(LIBS).filter((name) => name.startsWith("lib."));
  const rest = names.filter((name) => name !== "lib.es5.d.ts").map((name) => `${LIB_DIR}${name}`);
  const quarter = Math.ceil(rest.length / 4);
  const quarters = [0, 1, 2, 3].map((i) => rest.slice(i * quarter, (i + 1) * quarter));
  // The first call only evaluates the compiler's module (the isolate's start), which takes a while itself.
  return [[], [`${LIB_DIR}lib.es5.d.ts`], ...quarters, [WORKERS_TYPES]];
})();
let warmed = 0;

/**
 * Parses the next slice into the shared registry, through a service over those files alone: the
 * registry keys a parsed file by the options that change how it parses, which `noLib` does not, so
 * every project's service then finds it parsed. Kept, never disposed, so the files stay registered.
 */
const warmServices: ts.LanguageService[] = [];
function warmNext(): boolean {
  const slice = WARM_SLICES[warmed];
  if (!slice) return true;
  if (slice.length === 0) return ++warmed >= WARM_SLICES.length;
  const options = { ...OPTIONS, noLib: true, lib: undefined };
  const service = ts.createLanguageService(
    {
      getCompilationSettings: () => options,
      getScriptFileNames: () => slice,
      getScriptVersion: () => "0",
      getScriptSnapshot: (path) => {
        const text = libText(path);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => "/",
      getDefaultLibFileName: () => `${LIB_DIR}lib.d.ts`,
      fileExists: (path) => libText(path) !== undefined,
      readFile: libText,
    },
    registry,
  );
  service.getProgram();
  warmServices.push(service);
  warmed++;
  return warmed >= WARM_SLICES.length;
}

/** Checked projects, least recently checked first (a Map keeps insertion order). */
const projects = new Map<string, ProjectService>();

function serviceFor(project: string): ProjectService {
  const kept = projects.get(project);
  projects.delete(project);
  const service = kept ?? new ProjectService();
  projects.set(project, service);
  while (projects.size > KEPT_PROJECTS) {
    const oldest = projects.keys().next().value;
    if (oldest === undefined) break;
    projects.delete(oldest);
  }
  return service;
}

function textRecord(value: unknown, what: string): Record<string, string> {
  if (value === null || typeof value !== "object") throw new TypeError(`${what} must be an object`);
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(value)) {
    if (typeof text !== "string") throw new TypeError(`${what}: ${name} is not text`);
    out[name] = text;
  }
  return out;
}

/** The input as a CheckInput, or a TypeError naming what is wrong with it. */
export function readInput(value: unknown): CheckInput {
  if (value === null || typeof value !== "object") throw new TypeError("a check takes an object");
  const { project, files, typeFiles, globals } = value as Record<string, unknown>;
  if (typeof project !== "string" || typeof globals !== "string") throw new TypeError("project and globals are text");
  return { project, globals, files: textRecord(files, "files"), typeFiles: textRecord(typeFiles, "typeFiles") };
}

export default class TypeChecker extends WorkerEntrypoint {
  /** Parses the next slice of the lib files (see WARM_SLICES); true once all are parsed. */
  warm(): boolean {
    return warmNext();
  }

  /** TypeScript's diagnostics for the project's files. */
  check(value: unknown): { diagnostics: TypeDiagnostic[]; version: string } {
    const input = readInput(value);
    // Whatever slices the supervisor did not warm are parsed now, in one go.
    while (!warmNext()) {}
    const service = serviceFor(input.project);
    service.update(input);
    return { diagnostics: service.diagnostics(), version: ts.version };
  }
}
