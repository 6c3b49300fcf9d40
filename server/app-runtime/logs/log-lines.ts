/**
 * How the app's output becomes log lines inside its isolate (logs.ts collects them): console
 * arguments as one message, cut to size, and errors as the terminal shows them.
 */
import { type Bare, originals as O, uncurry } from "../originals";
import { type Described, LINE_MAX_CHARS, MODULE_PREFIX } from "../protocol";

const slice: (text: string, start: number, end: number) => string = uncurry(String.prototype.slice);

/** A console message cut to LINE_MAX_CHARS (with an ellipsis), with the slice kept before the app ran. */
export function clip(text: string): string {
  return text.length > LINE_MAX_CHARS ? `${slice(text, 0, LINE_MAX_CHARS)}…` : text;
}

/** One console argument as text: strings as they are, errors with their stack, the rest as JSON where it can be. */
export function formatPart(part: unknown): string {
  if (typeof part === "string") return part;
  if (part instanceof Error) return part.stack || String(part);
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
}

/** An error as the terminal shows it, without the frames of the modules the supervisor adds. */
export function describeError(error: unknown): Described {
  try {
    const e = error instanceof Error ? error : new O.Error(String(error));
    const stack = String(e.stack ?? "")
      .split("\n")
      .filter((line) => !line.includes(MODULE_PREFIX))
      .join("\n");
    return { name: String(e.name), message: String(e.message), stack };
  } catch {
    return { name: "Error", message: "(an exception that could not be described)", stack: "" };
  }
}

/**
 * What the app's constructor threw, made to keep its place: the error reaches the supervisor by RPC,
 * which carries its message alone, so the frames in the app's own modules ride at the end of the
 * message. The supervisor takes the line to refuse the save with from them, and moves them back to
 * the stack for the error page and the log (supervisor/app-host/errors.ts: thrownError).
 */
export function withFramesInMessage(error: unknown): unknown {
  try {
    if (!(error instanceof O.Error)) return error;
    const { message, stack } = describeError(error);
    const at = stack.indexOf("\n    at ");
    if (at < 0) return error;
    const frames = slice(stack, at, stack.length);
    const descriptor: Bare<PropertyDescriptor> = {
      __proto__: null,
      value: `${message}${frames}`,
      configurable: true,
      writable: true,
      enumerable: false,
    };
    O.defineProperty(error, "message", descriptor);
  } catch {}
  return error;
}
