/**
 * Monaco, bundled from node_modules (no CDN: the IDE has to work offline), with TypeScript set up for
 * Workers code: the runtime's types from @cloudflare/workers-types, which also declare the module
 * "cloudflare:workers" and its DurableObject class, and no DOM types, which the runtime lacks.
 */

import workersTypes from "@cloudflare/workers-types/index.d.ts?raw";
import { loader } from "@monaco-editor/react";
import * as monaco from "monaco-editor";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import TsWorker from "monaco-editor/language/typescript/ts.worker?worker";
import type { ProjectConfig } from "../../shared/project-config";
import { envDeclaration, PROJECT_GLOBALS } from "../../shared/type-check";
import { palette } from "../theme";
import { PACKAGE_JSON_SCHEMA, PACKAGE_JSON_SCHEMA_URI } from "./package-json-schema";

self.MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    return label === "typescript" || label === "javascript" ? new TsWorker() : new EditorWorker();
  },
};

loader.config({ monaco });

const ts = monaco.typescript;
ts.typescriptDefaults.setCompilerOptions({
  target: ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.ESNext,
  // 100 is TypeScript's "Bundler" resolution (imports of "./x.js" find "x.ts"); Monaco's enum predates it.
  moduleResolution: 100 as monaco.typescript.ModuleResolutionKind,
  lib: ["esnext"],
  strict: true,
  noEmit: true,
  allowImportingTsExtensions: true,
  allowNonTsExtensions: true,
  resolveJsonModule: true,
  isolatedModules: true,
  skipLibCheck: true,
  types: [],
});
const baseLibs = [
  { content: workersTypes, filePath: "file:///node_modules/@cloudflare/workers-types/index.d.ts" },
  { content: PROJECT_GLOBALS, filePath: "file:///node_modules/@facet-ide/env.d.ts" },
];
/** The project's env (declareProjectEnv) and its packages' types (setPackageTypes), beside the base. */
let envLib: { content: string; filePath: string } | null = null;
let packageLibs: { content: string; filePath: string }[] = [];
const applyLibs = () => ts.typescriptDefaults.setExtraLibs([...baseLibs, ...(envLib ? [envLib] : []), ...packageLibs]);
applyLibs();
// A Worker project's wrangler.jsonc is JSON with comments and trailing commas, as wrangler reads it
// (a .json module with them is still refused by the save).
// package.json gets its schema (package-json-schema.ts): names and versions of dependencies.
monaco.json.jsonDefaults.setDiagnosticsOptions({
  validate: true,
  allowComments: true,
  trailingCommas: "ignore",
  enableSchemaRequest: false,
  schemas: [
    { uri: PACKAGE_JSON_SCHEMA_URI, fileMatch: ["package.json", "**/package.json"], schema: PACKAGE_JSON_SCHEMA },
  ],
});

/**
 * Types `this.env` after the project's variables and secrets (set in the Environment dialog), so the
 * editor completes `this.env.GREETING` and flags a name that is not set, and after a Worker project's
 * wrangler.jsonc (shared/type-check.ts, which the save's type check uses too). `root`: the path of
 * the project's files in the editor ("/<project>/").
 */
export function declareProjectEnv(names: string[], config: ProjectConfig | null = null, root = "/"): void {
  envLib = { content: envDeclaration(names, config, root), filePath: "file:///node_modules/@facet-ide/vars.d.ts" };
  applyLibs();
}

/**
 * The packages' declaration files and package.json (GET .../types, keyed `node_modules/<name>/<path>`)
 * at file:///node_modules/, where TypeScript's bundler resolution finds them from the project's files,
 * so `import { Hono } from "hono"` completes and type-checks. Unchanged files leave the worker alone.
 */
export function setPackageTypes(files: Record<string, string>): void {
  const next = Object.entries(files)
    .filter(([path]) => !path.split("/").includes(".."))
    .map(([path, content]) => ({ content, filePath: `file:///${path.replace(/^\/+/, "")}` }));
  if (JSON.stringify(next) === JSON.stringify(packageLibs)) return;
  packageLibs = next;
  applyLibs();
}
/**
 * Points Monaco's hover delegates back at its global services. Monaco keeps one factory for them, set
 * by the last code editor made, with that editor's instantiation service; a diff editor's inner
 * editors have a service of their own, disposed with the diff editor, so every widget made after
 * History's diff had closed (the find widget, the suggestions: made on first use) threw
 * "InstantiationService has been disposed", and a throw inside a React effect blanked the page. An
 * editor made with no model and dropped at once sets the factory again, with the global service.
 */
export function restoreHoverDelegates(): void {
  monaco.editor.create(document.createElement("div"), { model: null }).dispose();
}

// Models of files that are not open still take part in type checking (imports between files).
ts.typescriptDefaults.setEagerModelSync(true);

monaco.editor.defineTheme("facet-dark", {
  base: "vs-dark",
  inherit: true,
  rules: [],
  colors: {
    "editor.background": palette.panel,
    "editor.lineHighlightBackground": "#20242b",
    "editorLineNumber.foreground": "#4b5261",
    "editorLineNumber.activeForeground": palette.muted,
    "editorGutter.background": palette.panel,
    "editorWidget.background": palette.panelRaised,
    "editorWidget.border": palette.border,
    "editor.selectionBackground": palette.selection,
    "scrollbarSlider.background": "#ffffff18",
    "scrollbarSlider.hoverBackground": "#ffffff28",
    focusBorder: "#00000000",
  },
});

export { monaco };
