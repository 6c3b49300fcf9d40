/**
 * Text from apps and their visitors made safe to show in a terminal: `visibleControls` (a module of
 * the app's runtime, which prints the app's console output with it inside its isolate: see there), and
 * `visibleStrings` for every string in a value.
 */
import { visibleControls } from "../server/app-runtime/logs/terminal-text";

export { visibleControls };

/** `value` with `visibleControls` applied to every string in it (log entries, diagnostics). */
export function visibleStrings<T>(value: T): T {
  if (typeof value === "string") return visibleControls(value) as T;
  if (Array.isArray(value)) return value.map(visibleStrings) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = visibleStrings(inner);
    return out as T;
  }
  return value;
}
