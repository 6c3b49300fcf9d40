/**
 * How a failed call reads to an agent: the HTTP API's message first (the same words), then what its
 * details hold, with compile diagnostics as `file:line:column message` and the source line they
 * point at, so an agent can fix the code without reading the files back.
 */
import type { Diagnostic } from "../../shared/api";
import type { Failure } from "../outcome";

/** `files`: the sources the call sent, to quote the lines diagnostics point at. */
export function failureText(failure: Failure, files?: Record<string, string>): string {
  const { code, message, details } = failure.error;
  const lines = [message];
  if (details?.diagnostics?.length) {
    lines.push("", ...details.diagnostics.map((d) => diagnosticText(d, files)));
  }
  for (const issue of details?.issues ?? []) lines.push(`- ${issue.path ? `${issue.path}: ` : ""}${issue.message}`);
  if (details?.liveVersion !== undefined) lines.push(`The live version is v${details.liveVersion}.`);
  lines.push("", `(${code}, HTTP ${failure.status})`);
  return lines.join("\n");
}

/** `app.ts:3:11 message`, then the line it points at and a caret under the column. */
export function diagnosticText(d: Diagnostic, files?: Record<string, string>): string {
  const head = `${d.file}:${d.line}:${d.column} ${d.message}`;
  const source = files?.[d.file]?.split("\n")[d.line - 1];
  if (source === undefined) return head;
  const gutter = `${d.line} | `;
  const caret = `${" ".repeat(gutter.length + Math.max(0, d.column - 1))}^`;
  return `${head}\n    ${gutter}${source.replace(/\t/g, " ")}\n    ${caret}`;
}
