/** Turns errors raised by user code into diagnostics (for saves) and error pages (for the preview). */
import type { Diagnostic } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { exceptionHint } from "./app-model";

/**
 * A start-up failure arrives as "Failed to start Worker: Uncaught SyntaxError: ... at app.js:3:7".
 * Point at the first frame in a user module, mapping module names back to source files.
 */
export function diagnosticsFromError(error: unknown, main: string, files: string[] = [main]): Diagnostic[] {
  const text = `${messageOf(error)}\n${(error as { stack?: string })?.stack ?? ""}`;
  const message = namedAsFiles(
    messageOf(error)
      .replace(/^Failed to start Worker:\s*/, "")
      .replace(/^Uncaught\s+/, "")
      .split("\n")[0]!,
    files,
  );
  for (const match of text.matchAll(/([\w./-]+\.(?:js|mjs|ts)):(\d+)(?::(\d+))?/g)) {
    const [, moduleName = "", line = "1", column = "1"] = match;
    const file = projectFile(moduleName, files);
    if (file) return [{ file, line: Number(line), column: Number(column), message }];
  }
  return [{ file: main, line: 1, column: 1, message }];
}

/** A module name the runtime reports for a project file: the file, or its `.ts` source when it loads as `.js`. */
function projectFile(moduleName: string, files: string[]): string | undefined {
  const name = moduleName.replace(/^(\.?\/)+/, "");
  return files.find((f) => f === name) ?? files.find((f) => f.endsWith(".ts") && f.replace(/\.ts$/, ".js") === name);
}

/** `text` with each module name of a project's `.ts` file (`app.js`) named as the file (`app.ts`). */
function namedAsFiles(text: string, files: string[]): string {
  return text.replace(/(?<![\w./-])([\w./-]+\.js)(?=:\d)/g, (name) => projectFile(name, files) ?? name);
}

const FRAME = /^\s*at\s/;
const LOCATION = /([\w./-]+\.(?:js|mjs|ts)):(\d+):(\d+)/;

/**
 * A stack as the app's author and agents see it: its first lines (the error and its message), then
 * only the frames in the project's own files, each named as the file (app.ts, never app.js). Frames
 * of the IDE (its runtime's modules, or the supervisor's own bundle when an error crossed into it)
 * say nothing about the app and would show the server's paths: they are dropped.
 */
export function projectStack(stack: string | undefined, files: string[]): string | undefined {
  if (!stack) return stack;
  const lines = stack.split("\n");
  const firstFrame = lines.findIndex((line) => FRAME.test(line));
  if (firstFrame < 0) return namedAsFiles(stack, files);
  const frames = lines.slice(firstFrame).flatMap((line) => {
    const location = LOCATION.exec(line);
    const file = location ? projectFile(location[1] ?? "", files) : undefined;
    if (!location || !file) return [];
    // Only the location is rewritten: the function's name before it stays.
    return [line.replace(/(file:\/*)?[\w./-]+\.(?:js|mjs|ts):(\d+):(\d+)/, `${file}:${location[2]}:${location[3]}`)];
  });
  return [...lines.slice(0, firstFrame).map((line) => namedAsFiles(line, files)), ...frames].join("\n");
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

export interface ThrownError {
  name: string;
  message: string;
  stack?: string;
}

/**
 * What the app threw, as the supervisor caught it. An error from the app's constructor carries the
 * app's frames at the end of its message (app-runtime/logs/log-lines.ts: withFramesInMessage): they
 * become its stack again.
 */
export function thrownError(error: unknown): ThrownError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const at = error.message.indexOf("\n    at ");
  if (at < 0) return { name: error.name, message: error.message, stack: error.stack };
  const message = error.message.slice(0, at);
  return { name: error.name, message, stack: `${error.name}: ${message}${error.message.slice(at)}` };
}

/** The preview's answer when the app threw: a 500 with the message, and the stack in development. */
export function appErrorResponse(error: ThrownError, request: Request, showDetails: boolean): Response {
  const name = error.name;
  const message = showDetails ? error.message : "The app failed to handle this request.";
  const stack = showDetails ? (error.stack ?? "") : "";
  const hint = showDetails ? exceptionHint(error.message) : null;
  const headers = { "x-app-error": "1" };
  if (!(request.headers.get("accept") ?? "").includes("text/html")) {
    return new Response(`${name}: ${message}\n${hint ? `\n${hint}\n\n` : ""}${stack}\n`, {
      status: 500,
      headers: { ...headers, "content-type": "text/plain; charset=utf-8" },
    });
  }
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Error: ${escapeHtml(message)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;color:#1f2328}h1{color:#c62828;font-size:1.3rem}
pre{background:#1e1e1e;color:#f0f0f0;padding:1rem;border-radius:6px;overflow:auto}
.hint{background:#fff8e1;border-left:4px solid #f9a825;padding:.6rem .9rem;max-width:60rem}</style></head>
<body><h1>${escapeHtml(name)}: ${escapeHtml(message)}</h1><p>The app threw while handling <code>${escapeHtml(
    request.method,
  )} ${escapeHtml(new URL(request.url).pathname)}</code>. Its terminal has the details.</p>
${hint ? `<p class="hint">${escapeHtml(hint)}</p>` : ""}
${stack ? `<pre>${escapeHtml(stack)}</pre>` : ""}</body></html>`;
  return new Response(html, { status: 500, headers: { ...headers, "content-type": "text/html; charset=utf-8" } });
}
