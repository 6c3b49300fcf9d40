/**
 * Module rules as wrangler applies them: the project's own `rules` (wrangler.jsonc or .toml), then
 * wrangler's defaults (.txt, .html and .sql as Text, .bin as Data, .wasm as CompiledWasm), each a
 * set of globs relative to main's folder. compile.ts asks which rule an import matches and how the
 * file loads under it.
 */
import type { ModuleRule, ProjectConfig } from "../../../../shared/project-config";

/** wrangler's default module rules, after the project's own (a type's own rule replaces its default unless it falls through). */
const DEFAULT_RULES: ModuleRule[] = [
  { type: "Text", globs: ["**/*.txt", "**/*.html", "**/*.sql"], fallthrough: false },
  { type: "Data", globs: ["**/*.bin"], fallthrough: false },
  { type: "CompiledWasm", globs: ["**/*.wasm", "**/*.wasm?module"], fallthrough: false },
];

/** A module rule with its globs as patterns on a path relative to main's folder. */
export interface ActiveRule {
  type: ModuleRule["type"];
  patterns: RegExp[];
}

/** The rules that apply, in wrangler's order: the project's, then the defaults of types no rule of its ended. */
export function moduleRules(config: ProjectConfig | null): ActiveRule[] {
  const ended = new Set<string>();
  const out: ActiveRule[] = [];
  for (const rule of [...(config?.rules ?? []), ...DEFAULT_RULES]) {
    if (ended.has(rule.type)) continue;
    out.push({ type: rule.type, patterns: rule.globs.map(globPattern) });
    if (!rule.fallthrough) ended.add(rule.type);
  }
  return out;
}

/** A glob as wrangler's rules write them (`**` any folders, `*` within one, `?` one character). */
function globPattern(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (glob.startsWith("**/", i)) {
      out += "(?:.*/)?";
      i += 2;
    } else if (glob.startsWith("**", i)) {
      out += ".*";
      i += 1;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += c.replace(/[.+^(){}$|[\]\\]/g, "\\$&");
  }
  const body = out.startsWith("./") ? out.slice(2) : out;
  return new RegExp(`^${body}$`);
}

/** The type a rule gives `file` (a path in the project; globs are relative to main's folder), or null. */
export function ruleFor(file: string, main: string, rules: ActiveRule[]): ActiveRule["type"] | null {
  const base = dirname(main).join("/");
  const relative = base && file.startsWith(`${base}/`) ? file.slice(base.length + 1) : file;
  for (const rule of rules) {
    if (rule.patterns.some((p) => p.test(relative) || p.test(file))) return rule.type;
  }
  return null;
}

/** A file imported through a rule, as the loader takes it: text, bytes, or WebAssembly to compile. */
export function ruleModule(type: ActiveRule["type"], source: string): WorkerLoaderModule | null {
  if (type === "Text") return { text: source };
  if (type === "Data") return { data: new TextEncoder().encode(source).buffer as ArrayBuffer };
  if (type === "CompiledWasm") return { wasm: new TextEncoder().encode(source) };
  return null;
}

const dirname = (path: string) => path.split("/").slice(0, -1);
