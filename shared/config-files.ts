/**
 * Reading a Worker project's configuration file as text: wrangler.jsonc/.json with comments, or
 * wrangler.toml, into a plain value plus a way to find where a key is (for diagnostics at the right
 * line). project-config.ts checks the value.
 */
import { findNodeAtLocation, type Node, type ParseError, parseTree, printParseErrorCode } from "jsonc-parser";
import { parse as parseToml, TomlError } from "smol-toml";
import type { Diagnostic } from "./api";
import { lineColumnAt } from "./source-position";

export type Locate = (path: (string | number)[]) => { line: number; column: number };
export type Parsed = { ok: true; value: unknown; locate: Locate } | { ok: false; diagnostics: Diagnostic[] };

export function parseJsoncConfig(file: string, source: string): Parsed {
  const errors: ParseError[] = [];
  const tree = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false });
  if (!tree)
    return { ok: false, diagnostics: [{ file, line: 1, column: 1, message: "Invalid JSON: the file is empty" }] };
  if (errors.length > 0) {
    return {
      ok: false,
      diagnostics: errors.slice(0, 5).map((e) => ({
        file,
        ...lineColumnAt(source, e.offset),
        message: `Invalid JSON: ${printParseErrorCode(e.error)}`,
      })),
    };
  }
  const locate: Locate = (path) => {
    // The deepest part of the path the file has (a missing key is reported at its parent).
    for (let n = path.length; n >= 0; n--) {
      const node: Node | undefined = findNodeAtLocation(tree, path.slice(0, n));
      if (node) return lineColumnAt(source, node.parent?.type === "property" ? node.parent.offset : node.offset);
    }
    return { line: 1, column: 1 };
  };
  return { ok: true, value: nodeValue(tree), locate };
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key && value) out[String(key.value)] = nodeValue(value);
      }
      return out;
    }
    case "array":
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

export function parseTomlConfig(file: string, source: string): Parsed {
  let value: unknown;
  try {
    value = parseToml(source);
  } catch (error) {
    const where = error instanceof TomlError ? { line: error.line, column: error.column } : { line: 1, column: 1 };
    const message = String(error instanceof Error ? error.message : error).split("\n")[0] ?? "";
    return {
      ok: false,
      diagnostics: [{ file, ...where, message: message.replace(/^Invalid TOML document: /, "Invalid TOML: ") }],
    };
  }
  // TOML keeps no positions: a key's problem is reported where the key is written, when it can be found.
  const locate: Locate = (path) => {
    for (let n = path.length; n > 0; n--) {
      const key = [...path.slice(0, n)].reverse().find((p) => typeof p === "string");
      if (typeof key !== "string") continue;
      const at = new RegExp(String.raw`^\s*\[*\s*(?:[\w.]*\.)?${key.replace(/[^\w]/g, "\\$&")}\b`, "m").exec(source);
      if (at) return lineColumnAt(source, at.index + at[0].length - key.length);
    }
    return { line: 1, column: 1 };
  };
  return { ok: true, value, locate };
}
