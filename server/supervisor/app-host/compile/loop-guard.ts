/**
 * Guards, inserted at transpile time.
 *
 * Local workerd enforces no CPU limit, and one app stuck in `while (true) {}` freezes every project
 * and the IDE (docs/platform.md, "Local runtime limits"). A call to the guard (app-runtime/guard.ts) goes:
 * - at the top of every loop body, so a loop that never yields is stopped with an error naming its line;
 * - at the top of every function body, so recursion without loops (`f(n-1); f(n-1)`, a microtask
 *   that queues itself) is stopped the same way;
 * - around every resumption after `await` and `yield`, which is where an isolate starts running again
 *   without a function call (the guard's activity markers need to see it).
 * Names starting with `__facetIde` are refused in the app's code, so it cannot shadow the guard with
 * a local of the same name.
 *
 * Insertions never add a line, so stack traces and diagnostics keep the user's line numbers.
 */
import { Parser } from "acorn";
import { full } from "acorn-walk";
import { GUARD_CALL, RESUME_CALL } from "../../../app-runtime/protocol";

const RESERVED_IDENTIFIER = /^__facetide/i;

interface Located {
  type: string;
  start: number;
  end: number;
  loc?: { start: { line: number; column: number } };
}
interface LoopNode extends Located {
  body: Located;
}
interface FunctionNode extends Located {
  body: Located;
  expression?: boolean;
}

/** A name the app may not use, with where it is. */
export class ReservedNameError extends Error {
  readonly loc: { line: number; column: number };
  constructor(name: string, loc: { line: number; column: number }) {
    super(`Names starting with __facetIde are reserved for the IDE's guards ('${name}')`);
    this.loc = loc;
  }
}

/** Returns `code` with guard calls inserted, or throws acorn's SyntaxError or a ReservedNameError. */
export function guardLoops(code: string, file: string, guardSpecifier: string): string {
  const ast = Parser.parse(code, { ecmaVersion: "latest", sourceType: "module", locations: true });
  const inserts: { at: number; text: string; closing?: true }[] = [];
  // What the guard's message and the activity markers name: "loop at app.ts:12".
  const siteOf = (node: Located, what: string) => JSON.stringify(`${what} at ${file}:${node.loc?.start.line ?? 0}`);
  const guardBlock = (body: Located, site: string) => {
    const call = `${GUARD_CALL}(${site});`;
    if (body.type === "BlockStatement") {
      inserts.push({ at: body.start + 1, text: call });
    } else {
      inserts.push({ at: body.start, text: `{${call}` }, { at: body.end, text: "}", closing: true });
    }
  };

  full(ast, (raw) => {
    const node = raw as unknown as Located & { name?: string };
    switch (node.type) {
      case "Identifier":
        if (node.name && RESERVED_IDENTIFIER.test(node.name)) {
          throw new ReservedNameError(node.name, node.loc?.start ?? { line: 1, column: 0 });
        }
        return;
      case "WhileStatement":
      case "DoWhileStatement":
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement": {
        const loop = node as LoopNode;
        guardBlock(loop.body, siteOf(loop, "loop"));
        return;
      }
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression": {
        const fn = node as FunctionNode;
        const site = siteOf(fn, "function");
        if (fn.body.type === "BlockStatement") {
          inserts.push({ at: fn.body.start + 1, text: `${GUARD_CALL}(${site});` });
        } else {
          // `x => expr` becomes `x => (guard(site), expr)`.
          inserts.push(
            { at: fn.body.start, text: `(${GUARD_CALL}(${site}), ` },
            { at: fn.body.end, text: ")", closing: true },
          );
        }
        return;
      }
      case "AwaitExpression":
      case "YieldExpression":
        inserts.push(
          { at: node.start, text: `${RESUME_CALL}((` },
          {
            at: node.end,
            text: `), ${siteOf(node, node.type === "AwaitExpression" ? "await" : "yield")})`,
            closing: true,
          },
        );
        return;
    }
  });
  if (inserts.length === 0) return code;
  // Applied from the end. At one offset the text must read: closings inner to outer, then openings
  // outer to inner. Each insert lands before the text already there, and the walk visits inner nodes
  // first, so openings go in the order they were found, then closings in reverse.
  const ordered = inserts.map((insert, index) => ({ ...insert, index }));
  ordered.sort((a, b) => {
    if (a.at !== b.at) return b.at - a.at;
    if (!a.closing !== !b.closing) return a.closing ? 1 : -1;
    return a.closing ? b.index - a.index : a.index - b.index;
  });
  // Joined in one pass from the start (ascending offsets; at one offset, the reverse of the order
  // above), so a file with many insertions costs linear time, not a copy of the file per insertion.
  const parts: string[] = [];
  let from = 0;
  for (const { at, text } of ordered.reverse()) {
    parts.push(code.slice(from, at), text);
    from = at;
  }
  parts.push(code.slice(from));
  const out = parts.join("");
  // On the first line, so every other line keeps its number.
  return `import { ${GUARD_CALL}, ${RESUME_CALL} } from ${JSON.stringify(guardSpecifier)};${out}`;
}
