/** How steps and endings read in the Assistant panel: a tool call's key argument, a turn's end. */
import type { DoneReason } from "../../shared/assistant";

/** Why a turn ended, when it is not that it finished. */
export const REASON_TEXT: Record<DoneReason, string | null> = {
  finished: null,
  stopped: "Stopped: what it wrote so far is on the draft.",
  step_limit: "It reached the step limit before it finished.",
  token_budget: "It used up its token budget before it finished.",
};

/** Longest one-line excerpt of an argument or result shown before "Show all". */
export const EXCERPT_CHARS = 160;

/** The argument that says most about a call, as one line ("app.ts", "GET /api/list", "SELECT ..."). */
export function keyArgument(args: unknown): string {
  if (typeof args !== "object" || args === null || Array.isArray(args))
    return args === undefined ? "" : oneLine(JSON.stringify(args));
  const fields = new Map(Object.entries(args));
  const text = (name: string) => {
    const value = fields.get(name);
    return typeof value === "string" || typeof value === "number" ? String(value) : null;
  };
  const path = text("path") ?? text("file") ?? text("name");
  // A request to the app: GET when it names no method.
  const method = text("method") ?? (path?.startsWith("/") ? "GET" : null);
  if (method && path) return oneLine(`${method} ${path}`);
  const key = text("sql") ?? text("query") ?? path ?? text("url") ?? text("object");
  if (key !== null) return oneLine(key);
  return fields.size === 0 ? "" : oneLine(JSON.stringify(args));
}

/** `text` on one line, cut to the excerpt's length with an ellipsis. */
export function oneLine(text: string, max = EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The full arguments as indented JSON, for the call's details. */
export function argumentsText(args: unknown): string {
  if (args === undefined) return "(none)";
  if (typeof args === "string") return args;
  return JSON.stringify(args, null, 2) ?? String(args);
}

/** A tool's result for reading: JSON indented, anything else as it came. */
export function resultText(result: string): string {
  try {
    return JSON.stringify(JSON.parse(result), null, 2);
  } catch {
    return result;
  }
}
