/**
 * Loop guards, inserted at transpile time.
 *
 * Local workerd enforces no CPU limit, and one app stuck in `while (true) {}` freezes every project
 * and the IDE (docs/platform.md, "Local runtime limits"). A call at the top of every loop body turns
 * such a loop into an exception that names its line, within a few seconds, with nothing restarted.
 * It measures how long the code has run without yielding: the first check arms a microtask that
 * clears the clock, and a loop that never lets it run is stopped. Once deployed, Date.now() stands
 * still during compute, so the guard never fires there and Cloudflare's `cpuMs` limit applies
 * instead. While a module is starting, the clock reads 0 and stands still even locally, so there the
 * guard counts iterations instead.
 *
 * Insertions never add a line, so stack traces and diagnostics keep the user's line numbers.
 */
import { Parser } from "acorn";
import { simple } from "acorn-walk";

export const GUARD_MODULE = "__facet_ide_guard.js";
export const LOOP_LIMIT_MS = 3_000;
const GUARD_NAME = "__facetIdeLoop";

const TOP_LEVEL_ITERATION_LIMIT = 2 ** 29;

export const guardModuleSource = `let busySince = 0;
let ticks = 0;
export function ${GUARD_NAME}(site) {
  if ((++ticks & 0x3fff) !== 0) return;
  const now = Date.now();
  if (now === 0) {
    if (ticks > ${TOP_LEVEL_ITERATION_LIMIT}) {
      throw new Error("The loop at " + site + " ran over ${TOP_LEVEL_ITERATION_LIMIT} iterations while the module was starting, so it was stopped.");
    }
  } else if (busySince === 0) {
    busySince = now;
    queueMicrotask(() => { busySince = 0; });
  } else if (now - busySince > ${LOOP_LIMIT_MS}) {
    busySince = 0;
    throw new Error("The loop at " + site + " ran for over ${LOOP_LIMIT_MS / 1000} s without yielding, so it was stopped to keep the runtime responsive.");
  }
}
`;

interface LoopNode {
  type: string;
  start: number;
  end: number;
  body: { type: string; start: number; end: number; loc?: { start: { line: number } } };
  loc?: { start: { line: number } };
}

/** Returns `code` with a guard call in every loop body, or throws acorn's SyntaxError. */
export function guardLoops(code: string, file: string, guardSpecifier: string): string {
  const ast = Parser.parse(code, { ecmaVersion: "latest", sourceType: "module", locations: true });
  const inserts: { at: number; text: string }[] = [];
  const visit = (node: unknown) => {
    const loop = node as LoopNode;
    const site = JSON.stringify(`${file}:${loop.loc?.start.line ?? 0}`);
    const call = `${GUARD_NAME}(${site});`;
    if (loop.body.type === "BlockStatement") {
      inserts.push({ at: loop.body.start + 1, text: call });
    } else {
      inserts.push({ at: loop.body.start, text: `{${call}` }, { at: loop.body.end, text: "}" });
    }
  };
  simple(ast, {
    WhileStatement: visit,
    DoWhileStatement: visit,
    ForStatement: visit,
    ForInStatement: visit,
    ForOfStatement: visit,
  });
  if (inserts.length === 0) return code;
  inserts.sort((a, b) => b.at - a.at);
  let out = code;
  for (const { at, text } of inserts) out = out.slice(0, at) + text + out.slice(at);
  // On the first line, so every other line keeps its number.
  return `import { ${GUARD_NAME} } from ${JSON.stringify(guardSpecifier)};${out}`;
}
