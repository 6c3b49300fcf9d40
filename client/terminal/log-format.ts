/** How the project's history (request lines, console output, exceptions, deploys) reads in the terminal. */
import type { ConsoleLevel, LogEntry } from "../../shared/logs";
import { visibleStrings } from "../../shared/terminal-text";
import { style } from "./ansi";

function clock(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, "0");
  return style.gray(`${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`);
}

function statusColor(status: number | null): (text: string) => string {
  if (status === null) return style.red;
  if (status >= 500) return style.red;
  if (status >= 400) return style.yellow;
  if (status >= 300) return style.cyan;
  return style.green;
}

/** A style for each console level (the type makes a new level need one). */
const LEVEL_STYLE: Record<ConsoleLevel, (text: string) => string> = {
  debug: style.gray,
  log: (t) => t,
  info: style.cyan,
  warn: style.yellow,
  error: style.red,
};

const version = (v: number | null) => (v === null ? "" : ` ${style.gray(`v${v}`)}`);

/** Which app a line is about: the draft's lines carry its revision, the live app's its version. */
const source = (entry: LogEntry) =>
  entry.draft === undefined ? version(entry.version) : ` ${style.magenta(`draft r${entry.draft}`)}`;

/** Continuation lines of a multi-line message line up under its first line. */
function indent(text: string, by: number): string {
  return text.replace(/\r?\n/g, `\r\n${" ".repeat(by)}`);
}

const GUTTER = 11; // "hh:mm:ss" plus the mark and spaces before a message

/** One entry as terminal text. Its strings come from apps and visitors: their control characters are shown, not run. */
export function formatLogEntry(raw: LogEntry): string {
  const entry = visibleStrings(raw);
  const time = clock(entry.at);
  const line = formatLine(entry, time);
  // Console output and notes carry no version of their own; a draft's are marked at the end, and a
  // Worker project's object's lines (its requests excepted, which name it first) with the object.
  const object = entry.object !== undefined && entry.kind !== "request" ? ` ${style.blue(`[${entry.object}]`)}` : "";
  if (entry.draft !== undefined && (entry.kind === "console" || entry.kind === "system")) {
    return `${line}${object} ${style.magenta(`[draft r${entry.draft}]`)}`;
  }
  return line + object;
}

function formatLine(entry: LogEntry, time: string): string {
  switch (entry.kind) {
    case "request": {
      // An RPC call to an object has no status: "ok", or "---" with how it failed.
      const rpcOk = entry.status === null && entry.outcome === "ok";
      const paint = rpcOk ? style.green : statusColor(entry.status);
      const status = entry.status === null ? (rpcOk ? "ok" : "---") : String(entry.status);
      const outcome = entry.outcome !== "ok" ? ` ${style.red(entry.outcome)}` : "";
      const duration = entry.durationMs === null ? "" : ` ${style.gray(`${entry.durationMs} ms`)}`;
      // A call to a Worker project's object is indented and names the object; it ends (and prints)
      // before the request of the Worker that made it.
      const object = entry.object !== undefined ? `  ${style.blue(entry.object)} ${style.gray("▸")} ` : "";
      return `${time} ${object}${style.bold(entry.method)} ${entry.path} ${paint(status)}${duration}${source(entry)}${outcome}`;
    }
    case "console": {
      const paint = LEVEL_STYLE[entry.level];
      const mark = entry.level === "warn" ? "!" : entry.level === "error" ? "✖" : "›";
      return `${time} ${paint(mark)} ${paint(indent(entry.message, GUTTER))}`;
    }
    case "exception": {
      const head = `${time} ${style.boldRed(`✖ ${entry.name}: ${entry.message}`)}${source(entry)}`;
      const stack = (entry.stack ?? "")
        .split(/\r?\n/)
        .filter((line, i) => line.trim() !== "" && !(i === 0 && line.includes(entry.message)))
        .map((line) => `${" ".repeat(GUTTER)}${style.red(line.trim())}`);
      return [head, ...stack].join("\r\n");
    }
    case "deploy":
      return `${time} ${style.boldGreen(`● deployed v${entry.version ?? "?"}`)} ${style.gray(shortCode(entry.codeId))}`;
    case "save-error": {
      const still =
        entry.draft !== undefined
          ? style.magenta(" (not deployed to the draft, which keeps its code)")
          : entry.version === null
            ? ""
            : style.gray(` (v${entry.version} is still live)`);
      const head = `${time} ${style.boldRed("✖ save rejected:")} ${style.red(indent(entry.message, GUTTER))}${still}`;
      const more = entry.diagnostics
        .slice(1)
        .map((d) => `${" ".repeat(GUTTER)}${style.red(`${d.file}:${d.line}:${d.column} ${d.message}`)}`);
      return [head, ...more].join("\r\n");
    }
    case "system": {
      const paint = entry.level === "error" ? style.red : entry.level === "warn" ? style.yellow : style.cyan;
      return `${time} ${paint(`◆ ${indent(entry.message, GUTTER)}`)}`;
    }
    case "type-check": {
      const paint = entry.level === "info" ? style.gray : style.yellow;
      const lines = entry.diagnostics.map(
        (d) => `${" ".repeat(GUTTER)}${style.yellow(indent(`${d.file}:${d.line}:${d.column} ${d.message}`, GUTTER))}`,
      );
      return [`${time} ${paint(`◆ ${entry.message}`)}`, ...lines].join("\r\n");
    }
  }
}

function shortCode(codeId: string): string {
  const hash = codeId.split(":").pop() ?? codeId;
  return hash.slice(0, 8);
}
