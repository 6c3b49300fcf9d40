/**
 * The names a CommonJS module exports, read from its text the way Node's cjs-module-lexer does for
 * the common shapes (`exports.x =`, `module.exports.x =`, `exports["x"] =`,
 * `Object.defineProperty(exports, "x"`, `module.exports = { a, b: … }`), and the modules it passes on
 * whole (`module.exports = require("./y")`, TypeScript's `__exportStar(require("./y"), exports)`).
 * cjs-module-lexer itself cannot serve here: its import build is WebAssembly, which workerd does
 * not compile from bytes at run time, and its JavaScript build is not exported for import. A name
 * missed only means an ES module must read it from the default export.
 */

export interface CjsExports {
  exports: string[];
  reexports: string[];
}

const ASSIGNED = /(?<![\w$.])(?:module\s*\.\s*)?exports\s*\.\s*([A-Za-z_$][\w$]*)\s*=[^=]/g;
const INDEXED = /(?<![\w$.])(?:module\s*\.\s*)?exports\s*\[\s*(["'])([^"'\\\n]+)\1\s*\]\s*=[^=]/g;
const DEFINED = /Object\s*\.\s*defineProperty\s*\(\s*(?:module\s*\.\s*)?exports\s*,\s*(["'])([^"'\\\n]+)\1/g;
const LITERAL = /(?<![\w$.])module\s*\.\s*exports\s*=\s*\{([^{}]*)\}/g;
const REEXPORT = /(?<![\w$.])module\s*\.\s*exports\s*=\s*require\s*\(\s*(["'])([^"'\\\n]+)\1\s*\)/g;
const STAR = /__exportStar\s*\(\s*require\s*\(\s*(["'])([^"'\\\n]+)\1\s*\)/g;

export function cjsExports(source: string): CjsExports {
  const exports = new Set<string>();
  for (const match of source.matchAll(ASSIGNED)) exports.add(match[1] as string);
  for (const match of source.matchAll(INDEXED)) exports.add(match[2] as string);
  for (const match of source.matchAll(DEFINED)) exports.add(match[2] as string);
  for (const match of source.matchAll(LITERAL)) {
    for (const part of (match[1] as string).split(",")) {
      const key = /^\s*(?:(["'])([^"']+)\1|([A-Za-z_$][\w$]*))\s*(?::|$|\()/.exec(part);
      const name = key?.[2] ?? key?.[3];
      if (name) exports.add(name);
    }
  }
  exports.delete("__esModule");
  const reexports = [...source.matchAll(REEXPORT), ...source.matchAll(STAR)].map((m) => m[2] as string);
  return { exports: [...exports], reexports };
}
