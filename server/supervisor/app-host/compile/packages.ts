/**
 * The compile step's side of npm packages (docs/packages.md): reads the project's package.json, hands
 * the bare imports its files make to the bundler (the package cache, server/packages/), adds the
 * modules it answers to the app's, and holds the whole to the bundle size limit. Failures become
 * diagnostics at the import they concern (or package.json), so a save answers 422 naming the package.
 */
import type { Diagnostic } from "../../../../shared/api";
import { messageOf } from "../../../../shared/errors";
import {
  type InstallReport,
  PACKAGE_LIMITS,
  type PackageLock,
  ProjectManifest,
  type SavedPackage,
} from "../../../../shared/packages";
import { packageNameOf } from "../../../packages/module-names";
import type { BundleAnswer, BundleRequest } from "../../../packages/PackageCache";

/** One import of a package in the project's code, and where it is. */
export interface BareImport {
  specifier: string;
  file: string;
  line: number;
  column: number;
}

/** Installs what a compile asks for; the lock it keeps is the caller's (bundler.ts). */
export type Bundler = (request: Omit<BundleRequest, "lock">) => Promise<BundleAnswer>;

/** What a compiled app says about its packages. */
export interface CompiledPackages {
  lock: PackageLock;
  packages: SavedPackage[];
  installed: InstallReport[];
  /** For the save's warnings (unlisted imports, devDependencies bundled, peer conflicts). */
  warnings: string[];
}

export const NO_PACKAGES: CompiledPackages = { lock: [], packages: [], installed: [], warnings: [] };

export const MANIFEST_FILE = "package.json";

type Modules = Record<string, string | WorkerLoaderModule>;

export async function bundlePackages(
  files: Record<string, string>,
  bare: BareImport[],
  nodeCompat: boolean,
  bundler: Bundler | null,
  modules: Modules,
): Promise<
  { ok: true; value: { compiled: CompiledPackages; usesNode: boolean } } | { ok: false; diagnostics: Diagnostic[] }
> {
  const manifest = readManifest(files);
  if (!manifest.ok) return manifest;
  const wanted = Object.keys(manifest.value?.dependencies ?? {}).length > 0;
  if (bare.length === 0 && !wanted) return done(files, modules, { compiled: NO_PACKAGES, usesNode: false });
  if (!bundler) {
    const first = bare[0];
    return {
      ok: false,
      diagnostics: [
        first
          ? { ...at(first), message: `Cannot import '${first.specifier}': packages are not installed here` }
          : { file: MANIFEST_FILE, line: 1, column: 1, message: "packages are not installed here" },
      ],
    };
  }
  const imports = [...new Set(bare.map((b) => b.specifier))].sort();
  let answer: BundleAnswer;
  try {
    answer = await bundler({ manifest: manifest.value, imports, nodeCompat });
  } catch (error) {
    return {
      ok: false,
      diagnostics: [
        { file: MANIFEST_FILE, line: 1, column: 1, message: `Installing packages failed: ${messageOf(error)}` },
      ],
    };
  }
  if (!answer.ok) return { ok: false, diagnostics: [diagnosticFor(answer.message, bare, files)] };
  for (const [name, module] of Object.entries(answer.modules)) modules[name] = module;
  const compiled = {
    lock: answer.lock,
    packages: answer.packages,
    installed: answer.installed,
    warnings: answer.warnings,
  };
  return done(files, modules, { compiled, usesNode: answer.usesNode });
}

/** The result, unless the app's modules together pass the bundle size limit. */
function done(
  files: Record<string, string>,
  modules: Modules,
  value: { compiled: CompiledPackages; usesNode: boolean },
): { ok: true; value: { compiled: CompiledPackages; usesNode: boolean } } | { ok: false; diagnostics: Diagnostic[] } {
  if (value.compiled.packages.length === 0) return { ok: true, value };
  const bytes = Object.values(modules).reduce((sum, module) => sum + moduleBytes(module), 0);
  if (bytes <= PACKAGE_LIMITS.maxBundleBytes) return { ok: true, value };
  const mib = (n: number) => (n / 1_048_576).toFixed(1);
  const file = Object.hasOwn(files, MANIFEST_FILE) ? MANIFEST_FILE : (Object.keys(files)[0] ?? MANIFEST_FILE);
  return {
    ok: false,
    diagnostics: [
      {
        file,
        line: 1,
        column: 1,
        message: `The app's modules come to ${mib(bytes)} MiB (its files and the packages' modules it imports, uncompressed), over the ${mib(PACKAGE_LIMITS.maxBundleBytes)} MiB limit (Cloudflare's Worker size limit)`,
      },
    ],
  };
}

function moduleBytes(module: string | WorkerLoaderModule): number {
  if (typeof module === "string") return module.length;
  if ("js" in module && typeof module.js === "string") return module.js.length;
  if ("cjs" in module && typeof module.cjs === "string") return module.cjs.length;
  if ("text" in module && typeof module.text === "string") return module.text.length;
  if ("json" in module) return JSON.stringify(module.json ?? null).length;
  return 0;
}

/** The project's package.json, checked (null: it has none). */
export function readManifest(
  files: Record<string, string>,
): { ok: true; value: ProjectManifest | null } | { ok: false; diagnostics: Diagnostic[] } {
  const source = files[MANIFEST_FILE];
  if (source === undefined) return { ok: true, value: null };
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (error) {
    return {
      ok: false,
      diagnostics: [{ file: MANIFEST_FILE, line: 1, column: 1, message: `Invalid JSON: ${messageOf(error)}` }],
    };
  }
  const parsed = ProjectManifest.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    diagnostics: [
      {
        file: MANIFEST_FILE,
        line: 1,
        column: 1,
        message: `package.json: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "not valid"}`,
      },
    ],
  };
}

const at = (b: BareImport) => ({ file: b.file, line: b.line, column: b.column });

/** Where an install failure is shown: the import of the package it names, else package.json. */
function diagnosticFor(message: string, bare: BareImport[], files: Record<string, string>): Diagnostic {
  const named = bare.find(
    (b) => message.includes(`'${b.specifier}'`) || message.includes(`'${packageNameOf(b.specifier)}`),
  );
  if (named) return { ...at(named), message };
  const fallback = Object.hasOwn(files, MANIFEST_FILE) || !bare[0] ? null : bare[0];
  return fallback ? { ...at(fallback), message } : { file: MANIFEST_FILE, line: 1, column: 1, message };
}
