/** How a tool call reads in the step list: a verb for the tools the assistant uses most, and its key argument. */

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
  const method = text("method");
  const path = text("path") ?? text("file") ?? text("name");
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
