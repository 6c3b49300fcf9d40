/**
 * What the compile step reads of a project's tsconfig.json (JSONC, as TypeScript reads it): path
 * aliases (`compilerOptions.paths`, against `baseUrl`), so `import { db } from "@/db"` finds
 * `src/db.ts` as TypeScript and wrangler do; and the JSX settings (`jsxImportSource`) for .tsx and
 * .jsx files. A tsconfig.json that does not parse is a diagnostic at its line.
 */
import { z } from "zod";
import type { Diagnostic } from "../../../../shared/api";
import { parseJsoncConfig } from "../../../../shared/config-files";

export const TSCONFIG_FILE = "tsconfig.json";

export interface TsSettings {
  /** `paths` patterns (`@/*`) with their targets, relative to the project's root. */
  paths: { prefix: string; suffix: string; wildcard: boolean; targets: string[] }[];
  /** The automatic JSX runtime's source (`react` unless the tsconfig names another, e.g. `hono/jsx`). */
  jsxImportSource: string;
}

export const NO_SETTINGS: TsSettings = { paths: [], jsxImportSource: "react" };

const TsConfig = z.looseObject({
  compilerOptions: z
    .looseObject({
      baseUrl: z.string().max(200).optional().catch(undefined),
      paths: z
        .record(z.string().max(200), z.array(z.string().max(200)).max(20))
        .optional()
        .catch(undefined),
      jsxImportSource: z.string().max(200).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});

export function readTsSettings(
  files: Record<string, string>,
): { ok: true; value: TsSettings } | { ok: false; diagnostics: Diagnostic[] } {
  const source = files[TSCONFIG_FILE];
  if (source === undefined) return { ok: true, value: NO_SETTINGS };
  const parsed = parseJsoncConfig(TSCONFIG_FILE, source);
  if (!parsed.ok) return parsed;
  const options = TsConfig.safeParse(parsed.value).data?.compilerOptions;
  const base = (options?.baseUrl ?? ".").replace(/^\.\/?/, "").replace(/\/$/, "");
  const paths = Object.entries(options?.paths ?? {}).map(([pattern, targets]) => {
    const star = pattern.indexOf("*");
    return {
      prefix: star < 0 ? pattern : pattern.slice(0, star),
      suffix: star < 0 ? "" : pattern.slice(star + 1),
      wildcard: star >= 0,
      targets: targets.map((t) => (base ? `${base}/${t.replace(/^\.\//, "")}` : t.replace(/^\.\//, ""))),
    };
  });
  return { ok: true, value: { paths, jsxImportSource: options?.jsxImportSource ?? "react" } };
}

/** The project paths an aliased specifier may name (in the tsconfig's order), or null when no alias matches. */
export function aliasTargets(specifier: string, settings: TsSettings): string[] | null {
  for (const alias of settings.paths) {
    if (!alias.wildcard) {
      if (specifier === alias.prefix) return alias.targets;
      continue;
    }
    if (
      specifier.startsWith(alias.prefix) &&
      specifier.endsWith(alias.suffix) &&
      specifier.length >= alias.prefix.length + alias.suffix.length
    ) {
      const middle = specifier.slice(alias.prefix.length, specifier.length - alias.suffix.length);
      return alias.targets.map((t) => t.replace("*", middle));
    }
  }
  return null;
}
